// The versioned world state as the peer sees it: values with the height of the transaction that last
// wrote them, key-level metadata (the endorsement policy), and per-key history. Any store (memory,
// SQLite) that implements `VersionedStateReader` can back a simulation and a validation.

/** Height of the transaction that last wrote a key: Fabric's `version.Height`. */
export interface Version {
  readonly blockNum: number;
  readonly txNum: number;
}

/** Key-level metadata; Fabric uses one entry, `VALIDATION_PARAMETER` (the key's endorsement policy). */
export type StateMetadata = Readonly<Record<string, Uint8Array>>;

export interface VersionedValue {
  readonly value: Uint8Array;
  readonly version: Version;
  readonly metadata?: StateMetadata;
}

export interface VersionedKV extends VersionedValue {
  readonly key: string;
}

export interface TxTimestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** One entry of a key's history, as `getHistoryForKey` returns it. */
export interface KeyModification {
  readonly txId: string;
  readonly value: Uint8Array;
  readonly isDelete: boolean;
  readonly timestamp: TxTimestamp;
}

export type MaybePromise<T> = T | Promise<T>;
export type MaybeAsyncIterable<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Read access to committed state of one chaincode namespace.
 * - `range(startKey, endKey)`: keys with startKey <= key < endKey in UTF-8 byte order (see `compareKeys`);
 *   an empty endKey means "to the end". Composite keys (leading U+0000) sort first.
 * - `history(key)`: newest first (Fabric >= 2.0 orders by block and transaction height, descending).
 */
export interface VersionedStateReader {
  get(key: string): MaybePromise<VersionedValue | undefined>;
  /**
   * Optional: many point reads at once, each as `get` would answer it (a store may answer them in one query);
   * the map has an entry for every key asked, undefined when absent. See `getAll`.
   */
  getMany?(keys: readonly string[]): MaybePromise<ReadonlyMap<string, VersionedValue | undefined>>;
  range(startKey: string, endKey: string): MaybeAsyncIterable<VersionedKV>;
  history(key: string): MaybeAsyncIterable<KeyModification>;
}

export function compareVersions(a: Version, b: Version): number {
  return a.blockNum - b.blockNum || a.txNum - b.txNum;
}

export function sameVersion(a: Version | null | undefined, b: Version | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff;

/**
 * LevelDB orders keys by their UTF-8 bytes, which differs from JS (UTF-16) order above U+FFFF. Without
 * encoding: up to the first differing code unit the strings are equal, so their UTF-8 bytes are too; when
 * neither differing unit is a surrogate, code-unit order there is code-point order, which UTF-8 byte order
 * keeps, and a string that is a prefix of the other sorts first in both orders. Only a difference at a
 * surrogate (a pair, or a lone one, which Buffer encodes as U+FFFD) is decided on the encoded bytes.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === length) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (!isSurrogate(x) && !isSurrogate(y)) return x - y;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** True when `key` lies in [startKey, endKey) (or [startKey, endKey] with `includeEnd`); '' end = unbounded. */
export function inRange(key: string, startKey: string, endKey: string, includeEnd = false): boolean {
  if (compareKeys(key, startKey) < 0) return false;
  if (endKey === '') return true;
  const c = compareKeys(key, endKey);
  return includeEnd ? c <= 0 : c < 0;
}

/** Point reads of `keys` through `reader.getMany` when it has one, else one `get` each. */
export async function getAll(
  reader: VersionedStateReader,
  keys: readonly string[],
): Promise<ReadonlyMap<string, VersionedValue | undefined>> {
  if (reader.getMany) return reader.getMany(keys);
  const out = new Map<string, VersionedValue | undefined>();
  for (const key of keys) out.set(key, await reader.get(key));
  return out;
}

export async function* iterate<T>(source: MaybeAsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of source) yield item;
}

export async function collect<T>(source: MaybeAsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}
