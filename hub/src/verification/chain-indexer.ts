/**
 * Keeps the chain index up to date: follows the ledger's committed blocks from the index's cursor and, for
 * every valid transaction, reads what it recorded from its arguments and its chaincode event (the event
 * tells which records were new rather than repeats). `waitFor(n)` resolves once block n is indexed, so a
 * receipt is only sent when the read routes already show the record. With a writer (the hub's), the index is
 * written on the writer's thread and a block counts as indexed once the writer has committed it.
 */
import { type Logger } from 'pino';
import { type EventStream, type LedgerBlock, type LedgerPort } from '../ledger';
import { type HubMetrics } from '../metrics/hub-metrics';
import { StageBudget } from '../ingest/stage-budget';
import {
  blockSummary,
  expectedChanges,
  extractTransactions,
  type IndexableTransaction,
  indexableTransactions,
} from './block-changes';
import { type ChainIndex, type IndexedBlock } from './chain-index';
import { type ChainIndexWriter } from './chain-index-writer';

export { blockSummary, extractBlock } from './block-changes';

/** Blocks handed to the writer and not yet committed before the indexer waits for the oldest. */
const MAX_BACKLOG = 64;
/**
 * Bytes of transactions (arguments and event payloads) handed to the writer and not yet committed before the
 * indexer waits for the oldest block. The blocks alone did not bound the memory: a block of a few transactions
 * of 500 records each carries about 8 MB, and 64 of them, queued for the writer's thread, held over 500 MB
 * while a hub indexed 1,000,000 records at start.
 */
export const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;

/** A writer of the index on another thread: what the indexer needs of {@link ChainIndexWriter}. */
export type BlockWriter = Pick<ChainIndexWriter, 'apply'>;

/** A block handed to the writer and not yet committed, with the bytes it carried. */
interface HandedOver {
  readonly committed: Promise<void>;
  readonly bytes: number;
}

export class ChainIndexer {
  #stream: EventStream<LedgerBlock> | undefined;
  #running: Promise<void> | undefined;
  #indexed: number;
  readonly #waiters: { block: number; resolve: () => void }[] = [];
  readonly #listeners = new Set<(block: IndexedBlock) => void>();
  /** Commits handed to the writer and not yet done, oldest first (they complete in order). */
  readonly #backlog: HandedOver[] = [];
  /** The bytes of the transactions in {@link #backlog}. */
  #backlogBytes = 0;
  #failed = false;

  constructor(
    private readonly ledger: Pick<LedgerPort, 'blockEvents'>,
    readonly index: ChainIndex,
    private readonly logger: Logger,
    private readonly metrics?: HubMetrics,
    /** Counts the indexing of each block as ingest's `chain-index` stage (the benchmark's budget). */
    private readonly budget: StageBudget = StageBudget.off,
    /**
     * Commits the blocks on its own thread (the hub's); without it, `index` applies each block on this thread.
     * Blocks are extracted here and handed over without waiting, up to MAX_BACKLOG blocks or MAX_BACKLOG_BYTES
     * not yet committed.
     */
    private readonly writer?: BlockWriter,
  ) {
    this.#indexed = index.nextBlock - 1;
  }

  /** The highest block indexed (-1 before block 0). */
  get indexedBlock(): number {
    return this.#indexed;
  }

  start(): void {
    this.#running ??= this.#follow();
  }

  /** Calls `listener` with every block indexed from now on; returns a function that stops it. */
  onBlock(listener: (block: IndexedBlock) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once block `blockNumber` is indexed. */
  waitFor(blockNumber: number): Promise<void> {
    if (blockNumber <= this.#indexed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ block: blockNumber, resolve }));
  }

  async stop(): Promise<void> {
    this.#stream?.close();
    this.#stream = undefined;
    await this.#running;
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  async #follow(): Promise<void> {
    this.#stream = this.ledger.blockEvents({ startBlock: this.index.nextBlock });
    try {
      for await (const block of this.#stream) {
        const writer = this.writer;
        const { summary, transactions, records } = this.budget.sync(
          'chain-index',
          () => {
            const summary = blockSummary(block);
            const transactions = indexableTransactions(block);
            if (writer) {
              // the writer reads the transactions and commits; this thread's sets learn first what it will add
              const { changes, laterVersions } = expectedChanges(transactions);
              this.index.expect(changes, laterVersions);
              return { summary, transactions, records: undefined };
            }
            const changes = extractTransactions(transactions);
            this.index.applyBlock(summary, changes);
            return { summary, transactions, records: changes.anchors.length };
          },
          true,
        );
        if (!writer) {
          this.#indexedUpTo(summary, records ?? 0);
          continue;
        }
        this.#handOver(writer, summary, transactions);
        if (this.#backlog.length >= MAX_BACKLOG || this.#backlogBytes >= MAX_BACKLOG_BYTES)
          await this.#backlog[0]?.committed;
      }
      await Promise.all(this.#backlog.map((b) => b.committed));
    } catch (error) {
      this.#stopAfter(error);
    }
  }

  /**
   * Hands a block's transactions to the writer. A method of its own so that what waits for the commit holds the
   * block's summary only: a callback made in `#follow`'s loop would share the loop's scope, and with it the
   * `LedgerBlock` and every transaction text of the block, until the commit (64 blocks of 500-record
   * transactions held 600 MB of the main thread's heap while a hub indexed 1,000,000 records at start).
   */
  #handOver(writer: BlockWriter, summary: IndexedBlock, transactions: readonly IndexableTransaction[]): void {
    const bytes = transactionBytes(transactions);
    const committed = writer.apply(summary, transactions).then(
      (written) => this.#indexedUpTo(summary, written),
      (error: unknown) => this.#stopAfter(error),
    );
    const handedOver = { committed, bytes };
    this.#backlog.push(handedOver);
    this.#backlogBytes += bytes;
    void committed.then(() => {
      this.#backlog.shift();
      this.#backlogBytes -= handedOver.bytes;
    });
  }

  /** A commit failed: no later block may be indexed before it, so the indexer stops (and resumes on restart). */
  #stopAfter(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.logger.error({ err: error }, 'the chain indexer stopped');
    this.#stream?.close();
  }

  /** Block `summary.number` is in the index: its waiters and listeners are told. */
  #indexedUpTo(summary: IndexedBlock, records: number): void {
    this.index.writesCommitted();
    this.#indexed = summary.number;
    this.metrics?.ledgerHeight.set(summary.number + 1);
    this.#wake();
    for (const listener of this.#listeners) listener({ ...summary, records });
  }

  #wake(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as { block: number; resolve: () => void };
      if (waiter.block <= this.#indexed) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

/** What a block's transactions carry to the writer: their arguments' UTF-16 length and their event payloads. */
function transactionBytes(transactions: readonly IndexableTransaction[]): number {
  let bytes = 0;
  for (const tx of transactions) bytes += (tx.arg?.length ?? 0) + tx.event.payload.byteLength;
  return bytes;
}
