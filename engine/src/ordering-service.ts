/**
 * The ordering service: endorsed transactions queue in arrival order and are cut into a batch when the batch
 * reaches `maxTransactions` (default 500) or `maxBytes` of envelopes (default 8 MiB), or `timeoutMs`
 * (default 200 ms) after its first transaction arrived, like Fabric's BatchSize / BatchTimeout. Batches are
 * delivered to the committer one at a time, in order. With `cutWhenIdle` (group commit) the timeout is not
 * waited for: what is queued is cut as soon as the committer has nothing to do (at once when it is idle, else
 * when its block is written), so a block holds what arrived while the previous one committed, up to the same
 * limits; the order of transactions, and so every validation rule, is the same as with the timeout. Work still
 * queued when the process dies is lost, as on a crashed orderer before consensus: its submitters never hear back
 * and must submit again.
 */
import { LedgerClosedError } from '@approval-ledger/protocol';
import { type TransactionOutcome } from './committer';
import { type EndorsedTransaction } from './endorser';

export interface BatchOptions {
  readonly maxTransactions?: number;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Group commit: cut when the committer is idle instead of waiting for `timeoutMs` (default false). */
  readonly cutWhenIdle?: boolean;
}

interface Queued {
  readonly tx: EndorsedTransaction;
  readonly resolve: (outcome: TransactionOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export type DeliverBatch = (batch: readonly EndorsedTransaction[]) => Promise<TransactionOutcome[]>;

export class OrderingService {
  readonly #maxTransactions: number;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #cutWhenIdle: boolean;
  /** Batches cut and not yet committed. */
  #inFlight = 0;
  #queue: Queued[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #delivering: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly deliver: DeliverBatch,
    options: BatchOptions = {},
  ) {
    this.#maxTransactions = options.maxTransactions ?? 500;
    this.#timeoutMs = options.timeoutMs ?? 200;
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#cutWhenIdle = options.cutWhenIdle ?? false;
  }

  /** Queues an endorsed transaction; resolves with its outcome once its block is committed. */
  order(tx: EndorsedTransaction): Promise<TransactionOutcome> {
    if (this.#closed) return Promise.reject(new LedgerClosedError(tx.txId));
    const bytes = tx.envelopeText.length;
    if (this.#queue.length > 0 && this.#queuedBytes + bytes > this.#maxBytes) this.#cut();
    return new Promise<TransactionOutcome>((resolve, reject) => {
      this.#queue.push({ tx, resolve, reject });
      this.#queuedBytes += bytes;
      if (this.#queue.length >= this.#maxTransactions || this.#queuedBytes >= this.#maxBytes) this.#cut();
      else if (this.#cutWhenIdle) this.#cutIfIdle();
      else this.#timer ??= setTimeout(() => this.#cut(), this.#timeoutMs);
    });
  }

  /** Cuts what is queued, waits for every batch to commit, and refuses further work. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cut();
    await this.#delivering;
  }

  /** Group commit: cut on the next turn of the event loop (what arrives in this one joins) if nothing commits. */
  #cutIfIdle(): void {
    if (this.#inFlight > 0 || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#inFlight === 0) this.#cut();
    }, 0);
  }

  #cut(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#inFlight++;
    this.#delivering = this.#delivering.then(async () => {
      await this.#deliverBatch(batch);
      this.#inFlight--;
      if (this.#cutWhenIdle && this.#inFlight === 0) this.#cut();
    });
  }

  async #deliverBatch(batch: readonly Queued[]): Promise<void> {
    try {
      const outcomes = await this.deliver(batch.map((q) => q.tx));
      batch.forEach((q, i) => {
        const outcome = outcomes[i];
        if (outcome) q.resolve(outcome);
        else q.reject(new Error(`the committer returned no outcome for transaction ${q.tx.txId}`));
      });
    } catch (error) {
      for (const q of batch) q.reject(error);
    }
  }
}
