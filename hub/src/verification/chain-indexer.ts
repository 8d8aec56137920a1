/**
 * Keeps the chain index up to date: follows the ledger's committed blocks from the index's cursor and, for
 * every valid transaction, reads what it recorded from its arguments and its chaincode event (the event
 * tells which records were new rather than repeats). `waitFor(n)` resolves once block n is indexed, so a
 * receipt is only sent when the read routes already show the record. With a writer (the hub's), the index is
 * written on the writer's thread and a block counts as indexed once the writer has committed it.
 */
import {
  CHAINCODE_EVENTS,
  type DepartmentCode,
  type RecognitionOutcome,
  type RecognitionSubjectType,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';
import { type Logger } from 'pino';
import { type EventStream, type LedgerBlock, type LedgerPort, type LedgerTransaction } from '../ledger';
import { type HubMetrics } from '../metrics/hub-metrics';
import { StageBudget } from '../ingest/stage-budget';
import {
  type AnchorKind,
  type ChainIndex,
  type IndexChanges,
  type IndexedAnchor,
  type IndexedBlock,
  type IndexedDecision,
  type IndexedRecognition,
  type IndexedRevocation,
} from './chain-index';
import { type ChainIndexWriter } from './chain-index-writer';

type Json = Record<string, unknown>;

/** Blocks handed to the writer and not yet committed before the indexer waits for the oldest. */
const MAX_BACKLOG = 64;

interface Extracted {
  anchors: IndexedAnchor[];
  revocations: IndexedRevocation[];
  recognitions: Omit<IndexedRecognition, 'decisionTxId' | 'decidedAt' | 'decisionJson' | 'outcome'>[];
  decisions: IndexedDecision[];
}

export class ChainIndexer {
  #stream: EventStream<LedgerBlock> | undefined;
  #running: Promise<void> | undefined;
  #indexed: number;
  readonly #waiters: { block: number; resolve: () => void }[] = [];
  readonly #listeners = new Set<(block: IndexedBlock) => void>();
  /** Commits handed to the writer and not yet done, oldest first (they complete in order). */
  readonly #backlog: Promise<void>[] = [];
  #failed = false;

  constructor(
    private readonly ledger: LedgerPort,
    readonly index: ChainIndex,
    private readonly logger: Logger,
    private readonly metrics?: HubMetrics,
    /** Counts the indexing of each block as ingest's `chain-index` stage (the benchmark's budget). */
    private readonly budget: StageBudget = StageBudget.off,
    /**
     * Commits the blocks on its own thread (the hub's); without it, `index` applies each block on this thread.
     * Blocks are extracted here and handed over without waiting, up to MAX_BACKLOG not yet committed.
     */
    private readonly writer?: ChainIndexWriter,
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
        const { summary, changes } = this.budget.sync(
          'chain-index',
          () => {
            const summary = blockSummary(block);
            const changes = extractBlock(block);
            if (writer) this.index.expect(changes);
            else this.index.applyBlock(summary, changes);
            return { summary, changes };
          },
          true,
        );
        if (!writer) {
          this.#indexedUpTo(summary, changes);
          continue;
        }
        const committed = writer.apply(summary, changes).then(
          () => this.#indexedUpTo(summary, changes),
          (error: unknown) => this.#stopAfter(error),
        );
        this.#backlog.push(committed);
        void committed.then(() => this.#backlog.shift());
        if (this.#backlog.length >= MAX_BACKLOG) await this.#backlog[0];
      }
      await Promise.all(this.#backlog);
    } catch (error) {
      this.#stopAfter(error);
    }
  }

  /** A commit failed: no later block may be indexed before it, so the indexer stops (and resumes on restart). */
  #stopAfter(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.logger.error({ err: error }, 'the chain indexer stopped');
    this.#stream?.close();
  }

  /** Block `summary.number` is in the index: its waiters and listeners are told. */
  #indexedUpTo(summary: IndexedBlock, changes: IndexChanges): void {
    this.#indexed = summary.number;
    this.metrics?.ledgerHeight.set(summary.number + 1);
    this.#wake();
    for (const listener of this.#listeners) listener({ ...summary, records: changes.anchors.length });
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

/** The block's header facts, for the index and the live feed. */
export function blockSummary(block: LedgerBlock): IndexedBlock {
  const times = block.transactions.map((t) => t.timestamp).sort();
  return {
    number: block.number,
    hash: block.hash,
    previousHash: block.previousHash,
    dataHash: block.dataHash,
    txCount: block.transactions.length,
    validTxCount: block.transactions.filter((t) => t.validationCode === 'VALID').length,
    records: 0,
    time: times[times.length - 1] ?? null,
    signers: block.signatures.map((s) => s.mspId),
  };
}

/** What a committed block changes in the index. */
export function extractBlock(block: LedgerBlock): IndexChanges {
  const out: Extracted = { anchors: [], revocations: [], recognitions: [], decisions: [] };
  for (const tx of block.transactions) {
    if (tx.validationCode !== 'VALID' || tx.type !== 'endorser' || !tx.event) continue;
    const handler = EVENT_HANDLERS[tx.event.eventName];
    handler?.(tx, decodeEvent(tx), out);
  }
  return out;
}

type EventHandler = (tx: LedgerTransaction, event: Json, out: Extracted) => void;

const EVENT_HANDLERS: Readonly<Record<string, EventHandler>> = {
  [CHAINCODE_EVENTS.MilestonesRecorded]: (tx, event, out) => {
    const recorded = new Set(Array.isArray(event.recorded) ? (event.recorded as string[]) : []);
    for (const anchor of argAnchors(tx)) {
      if (typeof anchor.id === 'string' && recorded.has(anchor.id))
        out.anchors.push(indexed('milestone', anchor, tx));
    }
  },
  [CHAINCODE_EVENTS.CertificateIssued]: (tx, event, out) => {
    const anchor = argObject(tx);
    if (event.unchanged !== true && anchor) out.anchors.push(indexed('certificate', anchor, tx));
  },
  [CHAINCODE_EVENTS.CreditRecorded]: (tx, event, out) => {
    const anchor = argObject(tx);
    if (event.unchanged !== true && anchor) out.anchors.push(indexed('credit', anchor, tx));
  },
  [CHAINCODE_EVENTS.CertificateRevoked]: (tx, event, out) => {
    const revocation = argObject(tx);
    if (event.unchanged === true || !revocation) return;
    out.revocations.push({
      number: String(revocation.number),
      revokedAt: String(revocation.revokedAt),
      reason: String(revocation.reason),
      txId: tx.txId,
      blockNumber: tx.blockNumber,
    });
  },
  [CHAINCODE_EVENTS.RecognitionRequested]: (tx, event, out) => {
    const request = argObject(tx);
    if (event.unchanged === true || !request) return;
    out.recognitions.push({
      id: String(request.id),
      subjectType: String(request.subjectType) as RecognitionSubjectType,
      subjectId: String(request.subjectId),
      sourceRegion: String(request.sourceRegion) as RegionCode,
      targetRegion: String(request.targetRegion) as RegionCode,
      requestTxId: tx.txId,
      requestedAt: tx.timestamp,
      requestJson: JSON.stringify(request),
    });
  },
  [CHAINCODE_EVENTS.RecognitionDecided]: (tx, event, out) => {
    const decision = argObject(tx);
    if (!decision) return;
    out.decisions.push({
      id: String(event.id ?? decision.recognitionId),
      outcome: String(event.outcome ?? decision.outcome) as RecognitionOutcome,
      txId: tx.txId,
      decidedAt: String(decision.decidedAt),
      decisionJson: JSON.stringify({ ...decision, signer: event.signer ?? decision.signer }),
    });
  },
};

function indexed(kind: AnchorKind, anchor: Json, tx: LedgerTransaction): IndexedAnchor {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const key = kind === 'certificate' ? anchor.number : anchor.id;
  return {
    kind,
    key: String(key),
    commitment: String(anchor.commitment),
    region: String(anchor.region) as RegionCode,
    dept: str(anchor.dept) as DepartmentCode | null,
    projectCode: str(anchor.projectCode),
    uscc: str(anchor.applicantUscc ?? anchor.holderUscc ?? anchor.uscc),
    stage: str(anchor.stage) as StageCode | null,
    decision: str(anchor.decision ?? anchor.level) as IndexedAnchor['decision'],
    decidedAt: str(anchor.decidedAt ?? anchor.issuedAt ?? anchor.evaluatedAt),
    validFrom: str(anchor.validFrom),
    validUntil: str(anchor.validUntil),
    txId: tx.txId,
    blockNumber: tx.blockNumber,
    txIndex: tx.txIndex,
    recordedAt: tx.timestamp,
    revokedAt: null,
    revocationReason: null,
    revocationTxId: null,
    revocationBlock: null,
    anchorJson: JSON.stringify(anchor),
    documentDigests: Array.isArray(anchor.documentDigests) ? (anchor.documentDigests as string[]) : [],
    endorsers: tx.endorsements.map((e) => e.mspId),
    creator: tx.creator?.mspId ?? null,
  };
}

function argAnchors(tx: LedgerTransaction): Json[] {
  const parsed = parse(tx.args[0]);
  if (Array.isArray(parsed)) return parsed.filter(isObject);
  return isObject(parsed) ? [parsed] : [];
}

function argObject(tx: LedgerTransaction): Json | undefined {
  const parsed = parse(tx.args[0]);
  return isObject(parsed) ? parsed : undefined;
}

function decodeEvent(tx: LedgerTransaction): Json {
  const parsed = tx.event ? parse(Buffer.from(tx.event.payload).toString('utf8')) : undefined;
  return isObject(parsed) ? parsed : {};
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
