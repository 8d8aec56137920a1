/**
 * Committed world state and key history over the ledger database, as the chaincode stub reads them. Range and
 * history queries read pages of {@link PAGE} rows (each page one short SQLite statement), so no statement
 * stays open across the stub's awaits while blocks commit; the read set records what was seen and MVCC
 * validation at commit catches any change in between, as on a peer.
 */
import { chaincodeDefinition } from '@approval-ledger/protocol';
import {
  qualifiedKey,
  type KeyModification,
  type VersionedKV,
  type VersionedStateReader,
  type VersionedValue,
} from './semantics';
import { type EndorserTransactionJson, fromBase64 } from './block-format';
import { type LedgerDatabase } from './ledger-database';

const PAGE = 100;
const WRITE_SET_CACHE = 16;

export class SqliteState implements VersionedStateReader {
  /** Values written by recent transactions, by `block:tx`: history entries read their value from there. */
  readonly #writeSets = new Map<string, Map<string, string>>();

  constructor(private readonly db: LedgerDatabase) {}

  get(key: string): VersionedValue | undefined {
    return this.db.getState(key);
  }

  getMany(keys: readonly string[]): Map<string, VersionedValue | undefined> {
    return this.db.getStates(keys);
  }

  *range(startKey: string, endKey: string): Generator<VersionedKV> {
    let after: string | undefined;
    for (;;) {
      const page = this.db.statePage(startKey, endKey, after, PAGE);
      yield* page;
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) return;
      after = last.key;
    }
  }

  *history(key: string): Generator<KeyModification> {
    let before: { blockNum: number; txNum: number } | undefined;
    for (;;) {
      const page = this.db.historyPage(key, before, PAGE);
      for (const row of page) {
        const value = row.isDelete ? new Uint8Array(0) : this.#writtenValue(row.blockNum, row.txNum, key);
        yield { txId: row.txId, value, isDelete: row.isDelete, timestamp: row.timestamp };
      }
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) return;
      before = { blockNum: last.blockNum, txNum: last.txNum };
    }
  }

  /**
   * The value a valid transaction wrote to `key` (as stored: qualified by its namespace under the plan), from its
   * envelope's write set, which holds the chaincode's own keys (as Fabric reads history).
   */
  #writtenValue(blockNum: number, txNum: number, key: string): Uint8Array {
    const id = `${blockNum}:${txNum}`;
    let writes = this.#writeSets.get(id);
    if (!writes) {
      const envelope = this.db.envelopeAt(blockNum, txNum);
      if (envelope === undefined) throw new Error(`history names transaction ${id}, which is not stored`);
      const tx = JSON.parse(envelope) as EndorserTransactionJson;
      const namespace = chaincodeDefinition(tx.proposal.chaincode) ? tx.proposal.chaincode : undefined;
      const stored = (k: string): string => (namespace ? qualifiedKey(namespace, k) : k);
      writes = new Map(tx.rwset.writes.map((w) => [stored(w.key), w.value]));
      if (this.#writeSets.size >= WRITE_SET_CACHE)
        this.#writeSets.delete(this.#writeSets.keys().next().value ?? '');
      this.#writeSets.set(id, writes);
    }
    return fromBase64(writes.get(key) ?? '');
  }
}
