/**
 * Ingest with exactly-once effect. Per delivered `legacy.*` message:
 *
 *   decode + validate ─ invalid ─> dead letter (unchanged, reason in headers) + REJECTED receipt ─> term
 *        │ valid
 *   batch per kind, region and department (size or time)
 *        │
 *   store the full records off chain, each with its delivery (idempotent on the source key; a re-delivery gets
 *   its stored salt back, so its commitment is the one already sent) ─> anchor on the ledger (idempotent chaincode)
 *        │
 *   mark anchored + the receipts' copy (one store transaction) ─> receipt on ledger.receipt.<region>.<dept> ─> ack
 *
 * Nothing is acknowledged before the ledger commit and the receipt: a crash anywhere re-delivers, and the
 * re-delivery finds the same stored record and an unchanged ledger entry. Refused records go to the DLQ and
 * are terminated; transient failures are nak'ed with a growing delay. At most `maxInFlight` messages are
 * being worked on at once: beyond that, `accept()` waits, which holds back the consumer (backpressure).
 * Both store steps of a batch join the store steps of the batches ready at the same moment in one
 * transaction (group-commit.ts); each batch goes on only once the commit holding its step is done. Receipts
 * go out pipelined, their PubAcks awaited together (NatsBus.publishMany).
 */
import {
  MAX_BATCH,
  MSG_ID_HEADER,
  receiptSubject,
  recordIdOf,
  sha256Hex,
  type Envelope,
  type Receipt,
  type ReceiptStatus,
} from '@approval-ledger/protocol';
import { type Logger } from 'pino';
import { type Bus } from '../bus/nats-bus';
import { type DeliveredMessage } from '../bus/durable-consumer';
import { type HubMetrics } from '../metrics/hub-metrics';
import {
  type Delivery,
  type InsertOutcome,
  type ReceiptEntry,
  type RecordRepository,
  type Store,
  type StoredRecord,
} from '../store';
import { type AnchorItem, type AnchorResult, type Anchorer } from './anchorer';
import { newRecordsWithCorrections, readsStoredVersions } from './correction-resolver';
import { Capacity } from './capacity';
import { DeadLetterer } from './dead-letterer';
import { decodeEnvelope, sourceKeyOf, type MessageOrigin } from './envelope-decoder';
import { GroupCommitter } from './group-commit';
import { KeyedBatcher } from './keyed-batcher';
import { type RevocationNotifier } from './revocation-notifier';
import { StageBudget } from './stage-budget';

export interface IngestOptions {
  /** Messages worked on at once (default 4000). */
  readonly maxInFlight?: number;
  /** How long a batch waits for more records (default 25 ms). */
  readonly maxWaitMs?: number;
  /** Records per milestone transaction (default MAX_BATCH = 500). */
  readonly milestoneBatch?: number;
  /** Records per batch of certificates, revocations or credit events (each its own transaction). */
  readonly singleBatch?: number;
  /** Deliveries after which a record the ledger keeps refusing as NOT_FOUND is dead-lettered (default 8). */
  readonly maxNotFoundDeliveries?: number;
}

/** Hooks for the read side (the chain index). */
export interface IngestObserver {
  /** The records just stored off chain (before anchoring). */
  stored?(records: readonly StoredRecord[]): void;
  /** Resolves once the read side shows block `blockNumber`; receipts wait for it. */
  committed?(blockNumber: number): Promise<void>;
}

export interface IngestDeps {
  readonly store: Store;
  readonly observer?: IngestObserver;
  readonly anchorer: Anchorer;
  readonly bus: Bus;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly revocations?: RevocationNotifier;
  /** The crypto suite of the commitments (the data dir's artefact suite); default `intl` (SHA-256). */
  readonly suite?: 'intl' | 'gm';
  /** Per-stage CPU and bytes of the main thread (the benchmark's budget); default off. */
  readonly budget?: StageBudget;
}

interface Accepted {
  readonly msg: DeliveredMessage;
  readonly envelope: Envelope;
}

type Settle =
  { readonly how: 'ack' } | { readonly how: 'nak'; readonly delayMs: number } | { readonly how: 'term' };

/** One record's anchoring outcome, to write to the store. */
interface Anchored {
  readonly index: number;
  readonly item: AnchorItem;
  readonly result: AnchorResult;
  /** When the outcome was known: the record's `anchored_at` and its ANCHORED receipt's `at` (one moment). */
  readonly at: Date;
}

/** What becomes of one message of a batch. */
interface Decision {
  readonly accepted: Accepted;
  readonly settle: Settle;
  readonly receipt?: ReceiptEntry;
  readonly deadLetter?: { readonly code: string; readonly reason: string };
}

const MAX_NAK_DELAY_MS = 30_000;

/**
 * The stage budget (the benchmark's, off in production) measures one message's decoding in this many: two
 * readings of /proc per message cost about 5 µs, a third of decoding itself (measured for issue 16).
 */
const DECODES_PER_MEASURE = 8;

export class IngestPipeline {
  readonly #capacity: Capacity;
  readonly #batcher: KeyedBatcher<Accepted>;
  readonly #deadLetters: DeadLetterer;
  readonly #maxNotFound: number;
  readonly #unbatched = new Set<Promise<void>>();
  readonly #budget: StageBudget;
  /** The store writes of concurrent batches, committed together (group-commit.ts). */
  readonly #commits: GroupCommitter;
  /** Settles once every batch begun so far has stored its rows (or failed to): see `#decide`. */
  #storedSoFar: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: IngestDeps,
    options: IngestOptions = {},
  ) {
    this.#capacity = new Capacity(options.maxInFlight ?? 4000);
    this.#maxNotFound = options.maxNotFoundDeliveries ?? 8;
    this.#budget = deps.budget ?? StageBudget.off;
    this.#commits = new GroupCommitter(deps.store);
    const milestoneBatch = Math.min(options.milestoneBatch ?? MAX_BATCH, MAX_BATCH);
    const singleBatch = options.singleBatch ?? 200;
    this.#batcher = new KeyedBatcher<Accepted>(
      {
        maxSize: (key) => (key.startsWith('milestone|') ? milestoneBatch : singleBatch),
        maxWaitMs: options.maxWaitMs ?? 25,
      },
      (_key, items) => this.#flush(items),
    );
    this.#deadLetters = new DeadLetterer(deps.bus, deps.metrics);
  }

  /** Takes one delivered message; resolves once there is room for it (not when it is processed). */
  async accept(msg: DeliveredMessage): Promise<void> {
    await this.#capacity.acquire();
    this.deps.metrics.inFlight.inc();
    const decoded = this.#budget.sampled('decode', DECODES_PER_MEASURE, () =>
      decodeEnvelope(msg.subject, msg.data, msg.header(MSG_ID_HEADER)),
    );
    if (decoded.ok) {
      const { envelope } = decoded;
      this.#batcher.add(`${envelope.kind}|${envelope.region}|${envelope.dept}`, { msg, envelope });
      return;
    }
    const work = this.#refuse(msg, decoded.code, decoded.reason, decoded.origin).finally(() => {
      this.#unbatched.delete(work);
      this.#done(1);
    });
    this.#unbatched.add(work);
  }

  /** Processes everything accepted so far; resolves when every message is settled. */
  async drain(): Promise<void> {
    await this.#batcher.drain();
    while (this.#unbatched.size > 0) await Promise.allSettled([...this.#unbatched]);
  }

  get inFlight(): number {
    return this.#capacity.used;
  }

  // ------------------------------------------------------------------------------------ invalid messages

  async #refuse(msg: DeliveredMessage, code: string, reason: string, origin: MessageOrigin): Promise<void> {
    try {
      await this.#deadLetters.send({
        subject: msg.subject,
        data: msg.data,
        streamSeq: msg.streamSeq,
        msgId: msg.header(MSG_ID_HEADER),
        code,
        reason,
        region: origin.region,
        dept: origin.dept,
        sourceKey: sourceKeyOf(origin),
      });
      const receipt = rejectedReceipt(msg, origin, reason);
      if (receipt) await this.#publishReceipts([receipt]);
      msg.term(`dead-lettered: ${code}`);
      this.deps.metrics.ingested.inc({ kind: origin.kind ?? 'unknown', status: 'REJECTED' });
    } catch (error) {
      this.deps.logger.warn({ err: error, seq: msg.streamSeq }, 'dead-lettering failed; will retry');
      msg.nak(nakDelay(msg.deliveryCount));
    }
  }

  // ------------------------------------------------------------------------------------------- batches

  async #flush(batch: Accepted[]): Promise<void> {
    try {
      const { decisions, anchored } = await this.#decide(batch);
      await this.#publish(decisions, anchored);
      this.#budget.sync('acks', () => decisions.forEach(settle), true);
    } catch (error) {
      this.deps.logger.warn({ err: error, records: batch.length }, 'ingest batch failed; will retry');
      for (const a of batch) a.msg.nak(nakDelay(a.msg.deliveryCount));
    } finally {
      this.#done(batch.length);
    }
  }

  async #decide(batch: readonly Accepted[]): Promise<{ decisions: Decision[]; anchored: Anchored[] }> {
    const { store } = this.deps;
    const budget = this.#budget;
    // batches run side by side; one that completes corrections reads the stored versions of its keys, so it
    // first waits until every earlier batch has stored its rows (version 1 in the batch before its update would
    // otherwise be missed, and the update refused as a second first version); other batches do not wait
    const earlier = this.#storedSoFar;
    let storedHere!: () => void;
    const here = new Promise<void>((resolve) => (storedHere = resolve));
    this.#storedSoFar = earlier.then(() => here);
    let outcomes: InsertOutcome[];
    try {
      if (batch.some((a) => readsStoredVersions(a.envelope))) await earlier;
      // each new record gets a fresh salt (protocol's newSalt); a stored one keeps its own (returned as
      // duplicate); an adapter's correction becomes version n + 1 of the stored current version
      // (correction-resolver.ts)
      const fresh = await budget.async('canonicalise', () =>
        newRecordsWithCorrections(
          store.records,
          batch.map((a) => a.envelope),
          this.deps.suite,
        ),
      );
      // the records, each with its delivery as a sighting (`Delivery`), in one transaction shared with the
      // store work of other batches ready meanwhile (group-commit.ts): it resolves once committed
      outcomes = await budget.async(
        'store',
        () => {
          const at = new Date();
          const deliveries = batch.map((a): Delivery => ({ streamSeq: a.msg.streamSeq, at }));
          return this.#commits.run((tx) => tx.records.insertPendingBatch(fresh, deliveries));
        },
        true,
      );
    } finally {
      storedHere();
    }
    budget.sync(
      'chain-index',
      () =>
        this.deps.observer?.stored?.(outcomes.filter((o) => o.outcome === 'inserted').map((o) => o.stored)),
      true,
    );
    const decisions = new Array<Decision | undefined>(batch.length);
    const toAnchor: number[] = [];
    outcomes.forEach((outcome, i) => {
      const accepted = batch[i] as Accepted;
      const early = decideWithoutLedger(accepted, outcome);
      if (early) decisions[i] = early;
      else toAnchor.push(i);
    });
    const anchored: Anchored[] = [];
    // versions of one key go to the ledger one after the other: version n + 1 needs version n committed
    for (const round of rounds(toAnchor, (i) => (outcomes[i] as InsertOutcome).stored.ledgerKey)) {
      const first = (batch[round[0] as number] as Accepted).envelope;
      const items = round.map((i) => anchorItemOf((outcomes[i] as InsertOutcome).stored));
      const results = await budget.started('ledger', () =>
        this.deps.anchorer.anchor({ kind: first.kind, region: first.region, dept: first.dept, items }),
      );
      const at = new Date();
      const done = round.map((i, j) => ({
        index: i,
        item: items[j] as AnchorItem,
        result: results[j] as AnchorResult,
        at,
      }));
      await this.#applyResults(done, batch, decisions);
      anchored.push(...done);
    }
    return { decisions: decisions as Decision[], anchored };
  }

  async #applyResults(
    results: readonly Anchored[],
    batch: readonly Accepted[],
    decisions: (Decision | undefined)[],
  ): Promise<void> {
    const blocks = results.flatMap(({ result }) =>
      result.status === 'anchored' ? [result.blockNumber] : [],
    );
    if (blocks.length > 0) await this.deps.observer?.committed?.(Math.max(...blocks));
    for (const { index, item, result, at } of results) {
      decisions[index] = this.#decisionOf(batch[index] as Accepted, item, result, at);
    }
    if (this.deps.revocations) {
      for (const { item, result } of results) {
        if (result.status === 'anchored') await this.deps.revocations.revoked(item, result);
      }
    }
  }

  #decisionOf(accepted: Accepted, item: AnchorItem, result: AnchorResult, at: Date): Decision {
    switch (result.status) {
      case 'anchored':
        return {
          accepted,
          settle: { how: 'ack' },
          receipt: receiptOf(accepted, item.commitment, 'ANCHORED', result, at),
        };
      case 'conflict':
        return refusal(accepted, 'CONFLICT', item.commitment, result.code, result.reason);
      case 'rejected':
        return refusal(accepted, 'REJECTED', messageHash(accepted), result.code, result.reason);
      case 'retry':
        return this.#retryDecision(accepted, result);
    }
  }

  #retryDecision(accepted: Accepted, result: Extract<AnchorResult, { status: 'retry' }>): Decision {
    const refusedByLedger = result.code === 'NOT_FOUND' || result.code === 'UNKNOWN';
    if (refusedByLedger && accepted.msg.deliveryCount >= this.#maxNotFound) {
      return refusal(accepted, 'REJECTED', messageHash(accepted), result.code, result.reason);
    }
    return { accepted, settle: { how: 'nak', delayMs: nakDelay(accepted.msg.deliveryCount) } };
  }

  /**
   * Dead letters first; then, in one store transaction, the anchoring state of every record and the receipts'
   * copy (an ANCHORED receipt's copy is its record's anchoring: `storedReceipts`); then every receipt
   * (pipelined: all sent, then their PubAcks awaited together).
   */
  async #publish(decisions: readonly Decision[], anchored: readonly Anchored[]): Promise<void> {
    await Promise.all(decisions.filter((d) => d.deadLetter).map((d) => this.#sendDeadLetter(d)));
    const receipts = decisions.flatMap((d) => (d.receipt ? [d.receipt] : []));
    if (anchored.length > 0 || receipts.length > 0) {
      await this.#budget.async(
        'store',
        () =>
          this.#commits.run(async (tx) => {
            await persistResults(tx.records, anchored);
            await tx.receipts.appendBatch(storedReceipts(receipts));
          }),
        true,
      );
    }
    await this.#budget.started('receipts', () => this.#sendReceipts(receipts), true);
    for (const d of decisions) {
      if (d.receipt)
        this.deps.metrics.ingested.inc({ kind: d.accepted.envelope.kind, status: d.receipt.receipt.status });
    }
  }

  async #sendDeadLetter(decision: Decision): Promise<void> {
    const { msg, envelope } = decision.accepted;
    const letter = decision.deadLetter as NonNullable<Decision['deadLetter']>;
    await this.#deadLetters.send({
      subject: msg.subject,
      data: msg.data,
      streamSeq: msg.streamSeq,
      msgId: msg.header(MSG_ID_HEADER),
      code: letter.code,
      reason: letter.reason,
      region: envelope.region,
      dept: envelope.dept,
      sourceKey: recordIdOf(envelope.source),
    });
  }

  /** Publishes the receipts (pipelined), then keeps their copy in the store. */
  async #publishReceipts(entries: readonly ReceiptEntry[]): Promise<void> {
    await this.#sendReceipts(entries);
    await this.deps.store.receipts.appendBatch(entries);
  }

  async #sendReceipts(entries: readonly ReceiptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // pipelined: every receipt sent at once, their PubAcks collected on one subscription (nats-bus.ts)
    await this.deps.bus.publishMany(
      entries.map((e) => ({
        subject: receiptSubject(e.region, e.dept),
        data: JSON.stringify(e.receipt),
        msgId: `receipt:${e.receipt.recordId}:${e.receipt.status}`,
      })),
    );
  }

  #done(count: number): void {
    this.#capacity.release(count);
    this.deps.metrics.inFlight.dec(count);
  }
}

// ------------------------------------------------------------------------------------------------ helpers

/** Records the store already had anchored, or holds under the same source key with other content. */
function decideWithoutLedger(accepted: Accepted, outcome: InsertOutcome): Decision | undefined {
  if (outcome.outcome === 'conflict') {
    const reason = `source record ${outcome.stored.id} was already received with different content`;
    return refusal(accepted, 'CONFLICT', outcome.stored.commitment, 'record.sourceConflict', reason);
  }
  const { stored } = outcome;
  if (
    outcome.outcome === 'duplicate' &&
    stored.status === 'anchored' &&
    stored.txId !== null &&
    stored.blockNumber !== null
  ) {
    const anchored = { txId: stored.txId, blockNumber: stored.blockNumber };
    return {
      accepted,
      settle: { how: 'ack' },
      receipt: receiptOf(accepted, stored.commitment, 'DUPLICATE', anchored),
    };
  }
  return undefined;
}

/**
 * Writes the anchoring state of every record (one UPDATE per transaction and moment that anchored some). The
 * anchoring is the copy of the record's ANCHORED receipt (`ReceiptRepository`): same transaction, block and time.
 */
async function persistResults(records: RecordRepository, results: readonly Anchored[]): Promise<void> {
  const byTx = new Map<string, { txId: string; blockNumber: number; at: Date; ids: string[] }>();
  for (const { item, result, at } of results) {
    if (result.status === 'anchored') {
      const key = `${result.txId}|${at.getTime()}`;
      const entry = byTx.get(key) ?? { txId: result.txId, blockNumber: result.blockNumber, at, ids: [] };
      entry.ids.push(item.sourceKey);
      byTx.set(key, entry);
    } else if (result.status === 'conflict' || result.status === 'rejected') {
      await records.markStatus([item.sourceKey], result.status, `${result.code}: ${result.reason}`);
    }
  }
  for (const { txId, blockNumber, at, ids } of byTx.values())
    await records.markAnchored(ids, { txId, blockNumber, at });
}

/**
 * The receipts the store keeps rows for: all but ANCHORED, whose copy is the record's anchoring written in the
 * same transaction (`persistResults`): one row less per record, and one random-key index entry less.
 */
function storedReceipts(receipts: readonly ReceiptEntry[]): ReceiptEntry[] {
  return receipts.filter((r) => r.receipt.status !== 'ANCHORED');
}

/**
 * Splits indexes into rounds in which each key appears once, keeping order: a batch without two versions of
 * one key is one round.
 */
export function rounds(indexes: readonly number[], keyOf: (index: number) => string): number[][] {
  const out: number[][] = [];
  const roundOfKey = new Map<string, number>();
  for (const index of indexes) {
    const key = keyOf(index);
    const round = (roundOfKey.get(key) ?? -1) + 1;
    roundOfKey.set(key, round);
    (out[round] ??= []).push(index);
  }
  return out;
}

function anchorItemOf(stored: StoredRecord): AnchorItem {
  return {
    sourceKey: stored.id,
    kind: stored.kind,
    ledgerKey: stored.ledgerKey,
    record: stored.record,
    salt: stored.salt,
    commitment: stored.commitment,
  };
}

function receiptOf(
  accepted: Accepted,
  sha256: string,
  status: ReceiptStatus,
  anchored: { txId: string; blockNumber: number },
  at = new Date(),
): ReceiptEntry {
  const { envelope } = accepted;
  const receipt: Receipt = {
    recordId: recordIdOf(envelope.source),
    kind: envelope.kind,
    sha256,
    txId: anchored.txId,
    blockNumber: anchored.blockNumber,
    status,
    at: at.toISOString(),
  };
  return { receipt, region: envelope.region, dept: envelope.dept };
}

function refusal(
  accepted: Accepted,
  status: 'CONFLICT' | 'REJECTED',
  sha256: string,
  code: string,
  reason: string,
): Decision {
  const { envelope } = accepted;
  const text = truncate(`${code}: ${reason}`);
  const receipt: Receipt = {
    recordId: recordIdOf(envelope.source),
    kind: envelope.kind,
    sha256,
    status,
    reason: text,
    at: new Date().toISOString(),
  };
  return {
    accepted,
    settle: { how: 'term' },
    receipt: { receipt, region: envelope.region, dept: envelope.dept },
    deadLetter: { code, reason: text },
  };
}

function rejectedReceipt(
  msg: DeliveredMessage,
  origin: MessageOrigin,
  reason: string,
): ReceiptEntry | undefined {
  const { region, dept, kind } = origin;
  const recordId = sourceKeyOf(origin);
  if (!region || !dept || !kind || recordId === undefined) return undefined;
  const receipt: Receipt = {
    recordId,
    kind,
    sha256: sha256Hex(msg.data),
    status: 'REJECTED',
    reason: truncate(reason),
    at: new Date().toISOString(),
  };
  return { receipt, region, dept };
}

function messageHash(accepted: Accepted): string {
  return sha256Hex(accepted.msg.data);
}

function settle(decision: Decision): void {
  const { msg } = decision.accepted;
  if (decision.settle.how === 'ack') msg.ack();
  else if (decision.settle.how === 'nak') msg.nak(decision.settle.delayMs);
  else msg.term(`dead-lettered: ${decision.deadLetter?.code ?? 'refused'}`);
}

/** 0.5 s, 1 s, 2 s, ... up to 30 s. */
export function nakDelay(deliveryCount: number): number {
  return Math.min(MAX_NAK_DELAY_MS, 500 * 2 ** Math.max(0, Math.min(10, deliveryCount - 1)));
}

function truncate(text: string, max = 2000): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
