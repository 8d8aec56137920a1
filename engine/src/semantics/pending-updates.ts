// The updates of the valid transactions of a block, laid over committed state. Validation of the
// n-th transaction of a block sees committed state plus the writes of the valid transactions before
// it (Fabric's combined iterator), and the committer applies the same updates afterwards.
import type { ReadWriteSet } from './read-write-set';
import {
  compareKeys,
  getAll,
  type KeyModification,
  type StateMetadata,
  type TxTimestamp,
  type Version,
  type VersionedKV,
  type VersionedStateReader,
  type VersionedValue,
} from './state';

/** The new state of one key: value null = deleted; metadata null = none. */
export interface StateUpdate {
  readonly key: string;
  readonly value: Uint8Array | null;
  readonly metadata: StateMetadata | null;
  readonly version: Version;
}

/** One history-database entry: every key of a valid transaction's (value) write set. */
export interface HistoryEntry extends KeyModification {
  readonly key: string;
  readonly blockNum: number;
  readonly txNum: number;
}

export interface CommittableTransaction {
  readonly txId: string;
  readonly txNum: number;
  readonly timestamp: TxTimestamp;
  readonly readWriteSet: ReadWriteSet;
}

const hasEntries = (m: StateMetadata | null | undefined): m is StateMetadata =>
  !!m && Object.keys(m).length > 0;

function toVersioned(update: StateUpdate): VersionedValue | undefined {
  if (!update.value) return undefined;
  return hasEntries(update.metadata)
    ? { value: update.value, version: update.version, metadata: update.metadata }
    : { value: update.value, version: update.version };
}

export class PendingUpdates implements VersionedStateReader {
  readonly #base: VersionedStateReader;
  readonly #blockNum: number;
  readonly #updates = new Map<string, StateUpdate>();
  /** The updated keys in key order, plus keys added since the last sort (merged in on the next range). */
  readonly #keys = new SortedKeys();
  readonly #history: HistoryEntry[] = [];

  constructor(base: VersionedStateReader, blockNum: number) {
    this.#base = base;
    this.#blockNum = blockNum;
  }

  get blockNum(): number {
    return this.#blockNum;
  }

  async get(key: string): Promise<VersionedValue | undefined> {
    const pending = this.#updates.get(key);
    if (pending) return toVersioned(pending);
    return this.#base.get(key);
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, VersionedValue | undefined>> {
    const out = new Map<string, VersionedValue | undefined>();
    const committed: string[] = [];
    for (const key of keys) {
      const pending = this.#updates.get(key);
      if (pending) out.set(key, toVersioned(pending));
      else committed.push(key);
    }
    if (committed.length > 0)
      for (const [key, value] of await getAll(this.#base, committed)) out.set(key, value);
    return out;
  }

  async *range(startKey: string, endKey: string): AsyncGenerator<VersionedKV> {
    const pending = this.#keys.range(startKey, endKey).map((key) => this.#updates.get(key)!);
    let i = 0;
    for await (const kv of this.#base.range(startKey, endKey)) {
      for (; i < pending.length && compareKeys(pending[i]!.key, kv.key) < 0; i++)
        yield* this.#yieldUpdate(pending[i]!);
      if (i < pending.length && pending[i]!.key === kv.key) {
        yield* this.#yieldUpdate(pending[i]!);
        i++;
        continue;
      }
      yield kv;
    }
    for (; i < pending.length; i++) yield* this.#yieldUpdate(pending[i]!);
  }

  async *history(key: string): AsyncGenerator<KeyModification> {
    const mine = this.#history.filter((h) => h.key === key).reverse();
    for (const entry of mine)
      yield { txId: entry.txId, value: entry.value, isDelete: entry.isDelete, timestamp: entry.timestamp };
    yield* this.#base.history(key);
  }

  /**
   * Applies a valid transaction's writes with Fabric's commit rules: version = (block, tx); a value
   * write keeps the key's metadata unless the transaction also wrote metadata; a delete drops both;
   * a metadata-only write on a key that does not exist is ignored.
   */
  async apply(tx: CommittableTransaction): Promise<void> {
    const version: Version = { blockNum: this.#blockNum, txNum: tx.txNum };
    const metadataWrites = new Map(tx.readWriteSet.metadataWrites.map((m) => [m.key, m.entries] as const));
    for (const write of tx.readWriteSet.writes) {
      const metadata = write.isDelete ? null : await this.#metadataAfter(write.key, metadataWrites);
      this.#set({
        key: write.key,
        value: write.isDelete ? null : write.value,
        metadata,
        version,
      });
      this.#history.push({
        key: write.key,
        blockNum: this.#blockNum,
        txNum: tx.txNum,
        txId: tx.txId,
        value: write.isDelete ? new Uint8Array(0) : write.value,
        isDelete: write.isDelete,
        timestamp: tx.timestamp,
      });
    }
    const valueKeys = new Set(tx.readWriteSet.writes.map((w) => w.key));
    for (const [key, entries] of metadataWrites) {
      if (valueKeys.has(key)) continue;
      const current = await this.get(key);
      if (!current) continue;
      this.#set({
        key,
        value: current.value,
        metadata: hasEntries(entries) ? entries : null,
        version,
      });
    }
  }

  /** The block's net updates, sorted by key. */
  updates(): StateUpdate[] {
    return this.#keys.all().map((key) => this.#updates.get(key)!);
  }

  /** History entries in commit order. */
  historyEntries(): HistoryEntry[] {
    return [...this.#history];
  }

  async #metadataAfter(
    key: string,
    metadataWrites: Map<string, StateMetadata | null>,
  ): Promise<StateMetadata | null> {
    if (metadataWrites.has(key)) {
      const entries = metadataWrites.get(key);
      return hasEntries(entries) ? entries : null;
    }
    const current = await this.get(key);
    return hasEntries(current?.metadata) ? current.metadata : null;
  }

  #set(update: StateUpdate): void {
    if (!this.#updates.has(update.key)) this.#keys.add(update.key);
    this.#updates.set(update.key, update);
  }

  *#yieldUpdate(update: StateUpdate): Generator<VersionedKV> {
    const value = toVersioned(update);
    if (value) yield { key: update.key, ...value };
  }
}

/**
 * Distinct keys kept in UTF-8 byte order (see `compareKeys`) for range reads: new keys collect unsorted and
 * are merged in when a range or the full list is asked for, so a block of n keys costs O(n log n) in sorting
 * however its range reads and writes interleave.
 */
export class SortedKeys {
  #sorted: string[] = [];
  #added: string[] = [];

  /** Adds a key not yet present (the caller keeps keys distinct). */
  add(key: string): void {
    this.#added.push(key);
  }

  get size(): number {
    return this.#sorted.length + this.#added.length;
  }

  /** Every key, sorted (a new array). */
  all(): string[] {
    return [...this.#merged()];
  }

  /** The keys in [startKey, endKey) ('' end: unbounded), sorted (a new array). */
  range(startKey: string, endKey: string): string[] {
    const sorted = this.#merged();
    const from = lowerBound(sorted, startKey);
    const to = endKey === '' ? sorted.length : Math.max(from, lowerBound(sorted, endKey));
    return sorted.slice(from, to);
  }

  #merged(): readonly string[] {
    if (this.#added.length === 0) return this.#sorted;
    const added = this.#added.sort(compareKeys);
    const sorted = this.#sorted;
    const out: string[] = new Array<string>(sorted.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < sorted.length && j < added.length)
      out[k++] = compareKeys(sorted[i]!, added[j]!) <= 0 ? sorted[i++]! : added[j++]!;
    while (i < sorted.length) out[k++] = sorted[i++]!;
    while (j < added.length) out[k++] = added[j++]!;
    this.#sorted = out;
    this.#added = [];
    return out;
  }
}

/** Index of the first key >= `key` in sorted `keys`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
