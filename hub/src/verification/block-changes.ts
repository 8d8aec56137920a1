/**
 * What a committed block changes in the chain index, read from its valid transactions' arguments and chaincode
 * events (the event tells which records were new rather than repeats). Pure: used by the indexer on the main
 * thread and by the index's writer thread (`chain-index-worker.ts`).
 */
import {
  CHAINCODE_EVENTS,
  type DepartmentCode,
  type RecognitionOutcome,
  type RecognitionSubjectType,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';
import { type LedgerBlock } from '../ledger';
import {
  type AnchorKind,
  type IndexChanges,
  type IndexedAnchor,
  type IndexedBlock,
  type IndexedDecision,
  type IndexedRecognition,
  type IndexedRevocation,
  LATER_VERSION,
} from './chain-index';

type Json = Record<string, unknown>;

interface Extracted {
  anchors: IndexedAnchor[];
  revocations: IndexedRevocation[];
  recognitions: Omit<IndexedRecognition, 'decisionTxId' | 'decidedAt' | 'decisionJson' | 'outcome'>[];
  decisions: IndexedDecision[];
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

/**
 * What the index reads of a transaction: a valid endorser transaction with a chaincode event, its first
 * argument (the record or records), time, position, creator and endorsers. Small enough to hand to another
 * thread (the chain index's writer) as it is: no certificates, signatures or envelope bytes.
 */
export interface IndexableTransaction {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly timestamp: string;
  readonly arg: string | undefined;
  readonly event: { readonly eventName: string; readonly payload: Uint8Array };
  readonly endorsers: string[];
  readonly creator: string | null;
}

/** The transactions of a block that can change the index, as {@link IndexableTransaction}s. */
export function indexableTransactions(block: LedgerBlock): IndexableTransaction[] {
  const out: IndexableTransaction[] = [];
  for (const tx of block.transactions) {
    if (tx.validationCode !== 'VALID' || tx.type !== 'endorser' || !tx.event) continue;
    out.push({
      txId: tx.txId,
      blockNumber: tx.blockNumber,
      txIndex: tx.txIndex,
      timestamp: tx.timestamp,
      arg: tx.args[0],
      event: { eventName: tx.event.eventName, payload: tx.event.payload },
      endorsers: tx.endorsements.map((e) => e.mspId),
      creator: tx.creator?.mspId ?? null,
    });
  }
  return out;
}

/** What a committed block changes in the index. */
export function extractBlock(block: LedgerBlock): IndexChanges {
  return extractTransactions(indexableTransactions(block));
}

/** What these transactions (of one block, in order) change in the index. */
export function extractTransactions(transactions: readonly IndexableTransaction[]): IndexChanges {
  const out: Extracted = { anchors: [], revocations: [], recognitions: [], decisions: [] };
  for (const tx of transactions) {
    const handler = EVENT_HANDLERS[tx.event.eventName];
    handler?.(tx, decodeEvent(tx), out);
  }
  return out;
}

/**
 * What a reader of the index must know of these transactions before another thread commits them
 * (`ChainIndex.expect`): recognitions, REVOKED milestones and later versions of a key. Only the transactions
 * that may hold one are read in full (a recognition request; an argument that names REVOKED or has a \u
 * escape, which could spell it); `laterVersions` is true when any argument has a "version" member that is not
 * 1 (or could have: an escape). A yes too many only costs the reader a query; a no is always right.
 */
export function expectedChanges(transactions: readonly IndexableTransaction[]): {
  changes: IndexChanges;
  laterVersions: boolean;
} {
  const full: IndexableTransaction[] = [];
  let laterVersions = false;
  for (const tx of transactions) {
    const arg = tx.arg ?? '';
    const escaped = arg.includes('\\u');
    if (escaped || arg.includes('REVOKED') || tx.event.eventName === CHAINCODE_EVENTS.RecognitionRequested)
      full.push(tx);
    if (!laterVersions && (escaped || LATER_VERSION.test(arg))) laterVersions = true;
  }
  return { changes: extractTransactions(full), laterVersions };
}

type EventHandler = (tx: IndexableTransaction, event: Json, out: Extracted) => void;

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

function indexed(kind: AnchorKind, anchor: Json, tx: IndexableTransaction): IndexedAnchor {
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
    endorsers: tx.endorsers,
    creator: tx.creator,
  };
}

function argAnchors(tx: IndexableTransaction): Json[] {
  const parsed = parse(tx.arg);
  if (Array.isArray(parsed)) return parsed.filter(isObject);
  return isObject(parsed) ? [parsed] : [];
}

function argObject(tx: IndexableTransaction): Json | undefined {
  const parsed = parse(tx.arg);
  return isObject(parsed) ? parsed : undefined;
}

function decodeEvent(tx: IndexableTransaction): Json {
  const parsed = parse(Buffer.from(tx.event.payload).toString('utf8'));
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
