// The read-write set a simulation produces, shaped like Fabric's `kvrwset.KVRWSet`
// (reads, range queries, writes, metadata writes; each list sorted by key, one entry per key).
import { compareKeys, type StateMetadata, type Version } from './state';

export interface KVRead {
  readonly key: string;
  /** null: the key did not exist when read. */
  readonly version: Version | null;
}

/** A range query the transaction ran; re-executed at commit to detect phantoms. */
export interface RangeQueryInfo {
  readonly startKey: string;
  /** The requested end key when the iterator was exhausted, else the last key it returned (inclusive). */
  readonly endKey: string;
  readonly itrExhausted: boolean;
  readonly reads: readonly KVRead[];
}

export interface KVWrite {
  readonly key: string;
  readonly isDelete: boolean;
  readonly value: Uint8Array;
}

export interface KVMetadataWrite {
  readonly key: string;
  /** null deletes the key's metadata. */
  readonly entries: StateMetadata | null;
}

/**
 * What a read-only chaincode-to-chaincode call on the same channel read, under the called namespace (a peer keeps
 * it as that namespace's `NsReadWriteSet` of the same transaction and validates it at commit like its own).
 */
export interface CalledNamespaceReads {
  readonly namespace: string;
  readonly reads: readonly KVRead[];
  readonly rangeQueries: readonly RangeQueryInfo[];
}

export interface ReadWriteSet {
  readonly reads: readonly KVRead[];
  readonly rangeQueries: readonly RangeQueryInfo[];
  readonly writes: readonly KVWrite[];
  readonly metadataWrites: readonly KVMetadataWrite[];
  /** Reads of other namespaces by chaincode-to-chaincode calls, sorted by namespace; absent when none. */
  readonly calledNamespaces?: readonly CalledNamespaceReads[];
}

const byKey = <T extends { key: string }>(a: T, b: T): number => compareKeys(a.key, b.key);

/** Collects reads and writes during one simulation, as Fabric's `RWSetBuilder` does. */
export class ReadWriteSetBuilder {
  readonly #reads = new Map<string, KVRead>();
  readonly #rangeQueries: RangeQueryInfo[] = [];
  readonly #writes = new Map<string, KVWrite>();
  readonly #metadataWrites = new Map<string, KVMetadataWrite>();
  readonly #called = new Map<string, { reads: Map<string, KVRead>; rangeQueries: RangeQueryInfo[] }>();

  addRead(key: string, version: Version | null): void {
    this.#reads.set(key, { key, version });
  }

  addRangeQuery(info: RangeQueryInfo): void {
    this.#rangeQueries.push(info);
  }

  /** An empty or missing value is a delete, as on a peer (`IsDelete: value == nil`). */
  addWrite(key: string, value: Uint8Array | undefined): void {
    const isDelete = !value || value.length === 0;
    this.#writes.set(key, { key, isDelete, value: isDelete ? new Uint8Array(0) : Uint8Array.from(value) });
  }

  addMetadataWrite(key: string, entries: StateMetadata | null): void {
    this.#metadataWrites.set(key, { key, entries });
  }

  /** Merges what a call into `namespace` read (a second call's read of a key replaces the first, as on a peer). */
  addCalledReads(namespace: string, called: Pick<ReadWriteSet, 'reads' | 'rangeQueries'>): void {
    let entry = this.#called.get(namespace);
    if (!entry) {
      entry = { reads: new Map(), rangeQueries: [] };
      this.#called.set(namespace, entry);
    }
    for (const read of called.reads) entry.reads.set(read.key, read);
    entry.rangeQueries.push(...called.rangeQueries);
  }

  hasWrites(): boolean {
    return this.#writes.size > 0 || this.#metadataWrites.size > 0;
  }

  build(): ReadWriteSet {
    return {
      reads: [...this.#reads.values()].sort(byKey),
      rangeQueries: [...this.#rangeQueries],
      writes: [...this.#writes.values()].sort(byKey),
      metadataWrites: [...this.#metadataWrites.values()].sort(byKey),
      ...(this.#called.size > 0 ? { calledNamespaces: this.#calledNamespaces() } : {}),
    };
  }

  #calledNamespaces(): CalledNamespaceReads[] {
    return [...this.#called.entries()]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([namespace, { reads, rangeQueries }]) => ({
        namespace,
        reads: [...reads.values()].sort(byKey),
        rangeQueries: [...rangeQueries],
      }));
  }
}

/** Every key the transaction writes (value or metadata), sorted. */
export function writtenKeys(rwset: ReadWriteSet): string[] {
  const keys = new Set<string>([
    ...rwset.writes.map((w) => w.key),
    ...rwset.metadataWrites.map((m) => m.key),
  ]);
  return [...keys].sort(compareKeys);
}
