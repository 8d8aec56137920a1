/**
 * Committed state as one block's validation sees it: point reads are remembered for the block, since the
 * validator reads the same keys several times (key-level policies, read-set versions, metadata carried over)
 * and nothing commits while a block is validated (the committer is the only writer). Range and history reads
 * go to the store.
 */
import {
  type KeyModification,
  type MaybeAsyncIterable,
  type VersionedKV,
  type VersionedStateReader,
  type VersionedValue,
} from './fabric-semantics';
import { type SqliteState } from './sqlite-state';

export class BlockReadCache implements VersionedStateReader {
  readonly #values = new Map<string, VersionedValue | undefined>();

  constructor(private readonly committed: SqliteState) {}

  get(key: string): VersionedValue | undefined {
    if (this.#values.has(key)) return this.#values.get(key);
    const value = this.committed.get(key);
    this.#values.set(key, value);
    return value;
  }

  range(startKey: string, endKey: string): MaybeAsyncIterable<VersionedKV> {
    return this.committed.range(startKey, endKey);
  }

  history(key: string): MaybeAsyncIterable<KeyModification> {
    return this.committed.history(key);
  }
}
