// One state database, several chaincode namespaces, as a peer's state DB keeps them: every namespace has its
// own key space (LevelDB stores `namespace 0x00 key`), so a chaincode running as `approval-beijing` reads and
// writes only Beijing's keys, and ranges never cross into another namespace. A transaction's read-write set
// names its keys as the chaincode saw them; the committer qualifies them with the transaction's namespace
// before validating and applying, and reads go through a {@link NamespaceView}.
import type { KVRead, RangeQueryInfo, ReadWriteSet } from './read-write-set';
import type {
  KeyModification,
  MaybeAsyncIterable,
  VersionedKV,
  VersionedStateReader,
  VersionedValue,
} from './state';

const SEPARATOR = '\u0000';
/** Sorts after every `namespace 0x00 ...` key of the namespace and before any other namespace's. */
const END = '\u0001';

/** The stored key of `key` in `namespace`. */
export function qualifiedKey(namespace: string, key: string): string {
  return `${namespace}${SEPARATOR}${key}`;
}

/** A range's stored bounds: '' as start or end means the namespace's own first or last key. */
export function qualifiedRange(namespace: string, startKey: string, endKey: string): [string, string] {
  return [
    qualifiedKey(namespace, startKey),
    endKey === '' ? `${namespace}${END}` : qualifiedKey(namespace, endKey),
  ];
}

function qualifyRead(namespace: string, read: KVRead): KVRead {
  return { key: qualifiedKey(namespace, read.key), version: read.version };
}

function qualifyRange(namespace: string, info: RangeQueryInfo): RangeQueryInfo {
  const [startKey, endKey] = info.itrExhausted
    ? qualifiedRange(namespace, info.startKey, info.endKey)
    : [qualifiedKey(namespace, info.startKey), qualifiedKey(namespace, info.endKey)];
  return {
    startKey,
    endKey,
    itrExhausted: info.itrExhausted,
    reads: info.reads.map((r) => qualifyRead(namespace, r)),
  };
}

/**
 * The read-write set as the one state DB validates and applies it: the transaction's own keys qualified by its
 * `namespace` (left as they are when undefined: a single-namespace ledger), and the reads of chaincode-to-chaincode
 * calls qualified by the namespace called and validated with the rest (a peer validates every namespace's reads).
 */
export function qualifyReadWriteSet(namespace: string | undefined, rwset: ReadWriteSet): ReadWriteSet {
  const called = rwset.calledNamespaces ?? [];
  if (namespace === undefined && called.length === 0) return rwset;
  const own = (key: string): string => (namespace === undefined ? key : qualifiedKey(namespace, key));
  return {
    reads: [
      ...(namespace === undefined ? rwset.reads : rwset.reads.map((r) => qualifyRead(namespace, r))),
      ...called.flatMap((c) => c.reads.map((r) => qualifyRead(c.namespace, r))),
    ],
    rangeQueries: [
      ...(namespace === undefined
        ? rwset.rangeQueries
        : rwset.rangeQueries.map((q) => qualifyRange(namespace, q))),
      ...called.flatMap((c) => c.rangeQueries.map((q) => qualifyRange(c.namespace, q))),
    ],
    writes: rwset.writes.map((w) => ({ ...w, key: own(w.key) })),
    metadataWrites: rwset.metadataWrites.map((m) => ({ ...m, key: own(m.key) })),
  };
}

/** One namespace's state, read through the state DB of every namespace. */
export class NamespaceView implements VersionedStateReader {
  readonly #prefixLength: number;

  constructor(
    private readonly base: VersionedStateReader,
    readonly namespace: string,
  ) {
    this.#prefixLength = namespace.length + SEPARATOR.length;
  }

  get(key: string): VersionedValue | undefined | Promise<VersionedValue | undefined> {
    return this.base.get(qualifiedKey(this.namespace, key));
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, VersionedValue | undefined>> {
    const out = new Map<string, VersionedValue | undefined>();
    const qualified = keys.map((k) => qualifiedKey(this.namespace, k));
    if (this.base.getMany) {
      const found = await this.base.getMany(qualified);
      keys.forEach((k, i) => out.set(k, found.get(qualified[i]!)));
    } else {
      for (const [i, k] of keys.entries()) out.set(k, await this.base.get(qualified[i]!));
    }
    return out;
  }

  async *range(startKey: string, endKey: string): AsyncGenerator<VersionedKV> {
    const [start, end] = qualifiedRange(this.namespace, startKey, endKey);
    for await (const kv of this.base.range(start, end))
      yield { ...kv, key: kv.key.slice(this.#prefixLength) };
  }

  history(key: string): MaybeAsyncIterable<KeyModification> {
    return this.base.history(qualifiedKey(this.namespace, key));
  }
}
