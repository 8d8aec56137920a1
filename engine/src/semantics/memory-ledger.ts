// A small in-memory world state and committer with a peer's commit-time rules, used by unit tests
// (and as the reference for the embedded engine, which does the same over SQLite).
import {
  BlockValidationParameters,
  validateEndorsements,
  type ChaincodePolicy,
  type Endorser,
} from './endorsement-policy';
import { validateReadSet } from './mvcc';
import { PendingUpdates, type HistoryEntry, type StateUpdate } from './pending-updates';
import type { ChaincodeEventRecord, SimulationResult } from './simulate';
import {
  compareKeys,
  inRange,
  type KeyModification,
  type VersionedKV,
  type VersionedStateReader,
  type VersionedValue,
} from './state';

/** Fabric's TxValidationCode names for the outcomes this committer produces. */
export type TxValidationCode =
  | 'VALID'
  | 'MVCC_READ_CONFLICT'
  | 'PHANTOM_READ_CONFLICT'
  | 'ENDORSEMENT_POLICY_FAILURE'
  | 'DUPLICATE_TXID'
  | 'BAD_RESPONSE_PAYLOAD';

export class MemoryWorldState implements VersionedStateReader {
  readonly #values = new Map<string, VersionedValue>();
  readonly #history = new Map<string, KeyModification[]>();
  #sortedKeys: string[] | undefined;

  get(key: string): VersionedValue | undefined {
    return this.#values.get(key);
  }

  *range(startKey: string, endKey: string): Generator<VersionedKV> {
    this.#sortedKeys ??= [...this.#values.keys()].sort(compareKeys);
    for (const key of this.#sortedKeys) {
      if (!inRange(key, startKey, endKey)) continue;
      const value = this.#values.get(key);
      if (value) yield { key, ...value };
    }
  }

  *history(key: string): Generator<KeyModification> {
    yield* [...(this.#history.get(key) ?? [])].reverse();
  }

  /** Applies a block's updates and history entries (commit order). */
  apply(updates: readonly StateUpdate[], history: readonly HistoryEntry[]): void {
    for (const u of updates) {
      if (!u.value) this.#values.delete(u.key);
      else
        this.#values.set(u.key, {
          value: u.value,
          version: u.version,
          ...(u.metadata ? { metadata: u.metadata } : {}),
        });
    }
    for (const h of history) {
      const list = this.#history.get(h.key) ?? [];
      list.push({ txId: h.txId, value: h.value, isDelete: h.isDelete, timestamp: h.timestamp });
      this.#history.set(h.key, list);
    }
    this.#sortedKeys = undefined;
  }

  get size(): number {
    return this.#values.size;
  }
}

export interface EndorsedTransaction {
  readonly simulation: SimulationResult;
  /** The identities whose endorsement the transaction carries. */
  readonly endorsers: readonly Endorser[];
}

export interface CommittedTransaction {
  readonly txId: string;
  readonly blockNum: number;
  readonly txNum: number;
  readonly validationCode: TxValidationCode;
  /** Delivered only for valid transactions, as Fabric's event service does. */
  readonly event?: ChaincodeEventRecord;
}

export interface MemoryLedgerOptions {
  /** Chaincode-level endorsement policy; default: any one peer of any organisation. */
  readonly chaincodePolicy?: ChaincodePolicy;
}

const anyPeer: ChaincodePolicy = (endorsers) => endorsers.some((e) => e.role === 'peer');

export class MemoryLedger {
  readonly state = new MemoryWorldState();
  readonly #chaincodePolicy: ChaincodePolicy;
  readonly #txIds = new Set<string>();
  #height = 0;

  constructor(options: MemoryLedgerOptions = {}) {
    this.#chaincodePolicy = options.chaincodePolicy ?? anyPeer;
  }

  /** Number of blocks committed; the next block's number. */
  get height(): number {
    return this.#height;
  }

  /** Validates and commits one block of transactions in order; returns each one's outcome. */
  async commitBlock(transactions: readonly EndorsedTransaction[]): Promise<CommittedTransaction[]> {
    const blockNum = this.#height;
    const pending = new PendingUpdates(this.state, blockNum);
    const parameters = new BlockValidationParameters();
    const results: CommittedTransaction[] = [];
    for (const [txNum, tx] of transactions.entries()) {
      const code = await this.#validate(tx, pending, { parameters, txNum });
      const { txId, event } = tx.simulation;
      if (code === 'VALID') {
        await pending.apply({
          txId,
          txNum,
          timestamp: tx.simulation.timestamp,
          readWriteSet: tx.simulation.readWriteSet,
        });
      }
      if (code !== 'DUPLICATE_TXID') this.#txIds.add(txId);
      results.push({
        txId,
        blockNum,
        txNum,
        validationCode: code,
        ...(code === 'VALID' && event ? { event } : {}),
      });
    }
    this.state.apply(pending.updates(), pending.historyEntries());
    this.#height++;
    return results;
  }

  async #validate(
    tx: EndorsedTransaction,
    pending: PendingUpdates,
    block: { parameters: BlockValidationParameters; txNum: number },
  ): Promise<TxValidationCode> {
    const { simulation } = tx;
    if (this.#txIds.has(simulation.txId)) return 'DUPLICATE_TXID';
    if (!simulation.endorsable) return 'BAD_RESPONSE_PAYLOAD';
    const endorsement = await validateEndorsements(
      simulation.readWriteSet,
      pending,
      tx.endorsers,
      this.#chaincodePolicy,
      block,
    );
    if (!endorsement.valid) return 'ENDORSEMENT_POLICY_FAILURE';
    return (await validateReadSet(simulation.readWriteSet, pending)).code;
  }
}
