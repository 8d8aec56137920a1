/**
 * Committed state as one block's validation sees it: point reads are remembered for the block, since the
 * validator reads the same keys several times (key-level policies, read-set versions, metadata carried over)
 * and nothing commits while a block is validated (the committer is the only writer). Small ranges are
 * remembered the same way; larger ones and history reads go to the store.
 */
import {
  type KeyModification,
  type MaybeAsyncIterable,
  type VersionedKV,
  type VersionedStateReader,
  type VersionedValue,
} from './semantics';
import { type SqliteState } from './sqlite-state';

const CACHED_RANGE = 100;

export class BlockReadCache implements VersionedStateReader {
  readonly #values = new Map<string, VersionedValue | undefined>();
  readonly #ranges = new Map<string, readonly VersionedKV[]>();

  constructor(private readonly committed: SqliteState) {}

  get(key: string): VersionedValue | undefined {
    if (this.#values.has(key)) return this.#values.get(key);
    const value = this.committed.get(key);
    this.#values.set(key, value);
    return value;
  }

  getMany(keys: readonly string[]): Map<string, VersionedValue | undefined> {
    this.prefetch(keys);
    return new Map(keys.map((key) => [key, this.#values.get(key)]));
  }

  /** Reads every key not yet remembered in one batch (see `LedgerDatabase.getStates`). */
  prefetch(keys: Iterable<string>): void {
    const missing = new Set<string>();
    for (const key of keys) if (!this.#values.has(key)) missing.add(key);
    if (missing.size === 0) return;
    for (const [key, value] of this.committed.getMany([...missing])) this.#values.set(key, value);
  }

  /** Small ranges (up to {@link CACHED_RANGE} keys) are remembered too: each transaction's re-check of the same range reads SQLite once. */
  *range(startKey: string, endKey: string): Generator<VersionedKV> {
    const id = JSON.stringify([startKey, endKey]);
    const cached = this.#ranges.get(id);
    if (cached) {
      yield* cached;
      return;
    }
    const first: VersionedKV[] = [];
    const source = this.committed.range(startKey, endKey);
    for (let next = source.next(); ; next = source.next()) {
      if (next.done) {
        this.#ranges.set(id, first);
        yield* first;
        return;
      }
      first.push(next.value);
      if (first.length > CACHED_RANGE) break;
    }
    yield* first;
    yield* source;
  }

  history(key: string): MaybeAsyncIterable<KeyModification> {
    return this.committed.history(key);
  }
}
