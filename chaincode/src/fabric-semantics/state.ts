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

/** LevelDB orders keys by their UTF-8 bytes, which differs from JS (UTF-16) order above U+FFFF. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** True when `key` lies in [startKey, endKey) (or [startKey, endKey] with `includeEnd`); '' end = unbounded. */
export function inRange(key: string, startKey: string, endKey: string, includeEnd = false): boolean {
  if (compareKeys(key, startKey) < 0) return false;
  if (endKey === '') return true;
  const c = compareKeys(key, endKey);
  return includeEnd ? c <= 0 : c < 0;
}

export async function* iterate<T>(source: MaybeAsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of source) yield item;
}

export async function collect<T>(source: MaybeAsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}
