/**
 * The shapes the explorer reads from the hub's HTTP API (`/api/v1`, INTERFACES.md) and its Server-Sent Events,
 * mirroring `hub/src/http/api-schemas.ts` and the services behind it. Every response type the explorer relies
 * on is declared here and only here, so aligning with the hub is a change to this one file. Records and the
 * proof bundle are the protocol package's types.
 *
 * `envelope` on each transaction (base64 of the exact envelope bytes the data hash covers) is what lets the
 * browser re-compute a block's data hash and check the creator's and endorsers' signatures itself; its format
 * is the protocol package's `block-format` (the same code the hub writes blocks with).
 */
import {
  type Certificate,
  type CertificateAnchor,
  type DepartmentCode,
  type Milestone,
  type ProjectType,
  type ProofBundle,
  type RecognitionDecision,
  type RecognitionStatus,
  type RegionCode,
  type StageCode,
  type StageStatus,
} from '@approval-ledger/protocol';

export type { ProofBundle } from '@approval-ledger/protocol';

/** RFC 9457 problem details, as every error of the API is returned. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly { readonly path: string; readonly rule?: string; readonly message: string }[];
}

/** Whether the off-chain record is there and still opens its on-chain commitment. */
export type OffChainState = 'match' | 'mismatch' | 'missing';

export interface Revoked {
  readonly at: string;
  readonly reason: string | null;
  readonly txId: string | null;
}

/** One anchored record of a project (milestone or certificate), as `GET /projects/:code` lists it. */
export interface ProvenanceEntry {
  readonly kind: 'milestone' | 'certificate' | 'credit';
  /** Milestone id or certificate number. */
  readonly id: string;
  readonly region: RegionCode;
  readonly dept: DepartmentCode | null;
  readonly stage: StageCode | null;
  readonly decision: string | null;
  /** decidedAt (milestones), issuedAt (certificates). */
  readonly decidedAt: string | null;
  readonly commitment: string;
  readonly documentDigests: readonly string[];
  readonly txId: string;
  readonly blockNumber: number;
  readonly recordedAt: string;
  /** MSP IDs of the organisations whose peers endorsed the transaction. */
  readonly endorsedBy: readonly string[];
  readonly submittedBy: string | null;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
  readonly revoked?: Revoked;
  readonly offChain: OffChainState;
  readonly tampered: boolean;
  readonly dataClass?: string;
  /** The full off-chain record (a Milestone or Certificate), when the caller may see it. */
  readonly record?: Milestone | Certificate;
  readonly sourceKey?: string;
}

/** A milestone entry: a provenance entry whose stage, decision and time are set. */
export type MilestoneEntry = ProvenanceEntry & {
  readonly kind: 'milestone';
  readonly stage: StageCode;
  readonly decision: string;
  readonly decidedAt: string;
};

/** A recognition as the chain index holds it; `status` derives SOURCE_REVOKED from the subject. */
export interface RecognitionView {
  readonly id: string;
  readonly subjectType: 'certificate' | 'milestone';
  readonly subjectId: string;
  readonly sourceRegion: RegionCode;
  readonly targetRegion: RegionCode;
  /** PENDING | RECOGNISED | REJECTED as decided. */
  readonly outcome?: string;
  readonly status: RecognitionStatus;
  readonly requestTxId?: string;
  readonly requestedAt: string;
  readonly decisionTxId?: string | null;
  readonly decidedAt?: string | null;
  /** The request and decision records as anchored (canonical JSON text). */
  readonly requestJson?: string;
  readonly decisionJson?: string | null;
}

export interface StageProgressView {
  readonly stage: StageCode;
  readonly dept: DepartmentCode;
  readonly status: StageStatus;
  readonly waitingFor: readonly StageCode[];
  readonly completedAt?: string;
  /** Projected completion of an open stage. */
  readonly expected?: { readonly medianAt: string; readonly p90At: string };
  /** The duration statistics the projection used. */
  readonly history?: { readonly samples: number; readonly medianDays: number; readonly p90Days: number };
}

/** The project's progress along its approval plan, and the expected completion with its basis. */
export interface ProjectProgress {
  readonly projectType: ProjectType;
  readonly projectTypeBasis: 'recorded' | 'project code kind' | 'assumed';
  readonly completed: number;
  readonly total: number;
  readonly percent: number;
  readonly stages: readonly StageProgressView[];
  readonly expectedCompletion:
    | { readonly status: 'complete'; readonly completedAt: string }
    | { readonly status: 'projected'; readonly medianAt: string; readonly p90At: string }
    | { readonly status: 'unknown'; readonly missingHistory: readonly StageCode[] };
  /** In words: what the projection rests on. */
  readonly basis: string;
}

/** `GET /projects/:projectCode`: the project's provenance. */
export interface ProjectProvenance {
  readonly projectCode: string;
  readonly region: RegionCode | null;
  readonly projectName: string | null;
  readonly projectType: ProjectType;
  readonly milestones: readonly ProvenanceEntry[];
  readonly certificates: readonly ProvenanceEntry[];
  readonly recognitions: readonly RecognitionView[];
  /** Off-chain records of the project not (yet) on the chain: pending, conflicting or refused. */
  readonly unanchored: readonly {
    readonly sourceKey: string;
    readonly kind: string;
    readonly status: string;
    readonly reason: string | null;
  }[];
  readonly progress: ProjectProgress;
}

/** `GET /projects?q=`: projects by code prefix, credit code or name fragment. */
export interface ProjectSummary {
  readonly projectCode: string;
  readonly region: RegionCode;
  readonly milestones: number;
  readonly certificates: number;
  readonly lastDecision: {
    readonly stage: StageCode | null;
    readonly decision: string | null;
    readonly at: string | null;
  } | null;
}

export interface ProjectSearchResult {
  readonly query: string;
  readonly projects: readonly ProjectSummary[];
}

/** One anchored record that names the verified hash (as a document digest or its commitment). */
export interface VerifyMatch {
  readonly kind: 'milestone' | 'certificate' | 'credit';
  readonly id: string;
  readonly matchedBy: 'commitment' | 'document';
  readonly status: 'valid' | 'revoked' | 'expired' | 'not-yet-valid';
  /** The off-chain record no longer opens its on-chain commitment. */
  readonly tampered: boolean;
  readonly offChain: OffChainState;
  readonly region: RegionCode;
  readonly dept: DepartmentCode | null;
  readonly projectCode: string | null;
  readonly commitment: string;
  readonly anchored: { readonly txId: string; readonly blockNumber: number; readonly at: string };
  readonly revoked?: Revoked;
  readonly recognitions: readonly {
    readonly id: string;
    readonly sourceRegion: RegionCode;
    readonly targetRegion: RegionCode;
    readonly status: RecognitionStatus;
  }[];
  /** Where the proof bundle is (`GET /proofs/:kind/:id`). */
  readonly proof: { readonly format: 'approval-ledger/proof@1'; readonly href: string };
  /** The bundle itself, when asked for with `bundle: true`. */
  readonly bundle?: ProofBundle;
}

/** `POST /verify`. */
export interface VerifyResponse {
  readonly sha256: string;
  readonly anchored: boolean;
  readonly status: 'valid' | 'revoked' | 'tampered' | 'not-anchored';
  readonly checkedAt: string;
  readonly matches: readonly VerifyMatch[];
}

export type CertificateStatus = 'VALID' | 'REVOKED' | 'EXPIRED' | 'NOT_YET_VALID';

/** `GET /certificates/:number[?at=]`: status at `at`, the on-chain entry, history and recognitions. */
export interface CertificateStatusView {
  readonly number: string;
  readonly at: string;
  readonly status: CertificateStatus;
  readonly valid: boolean;
  /** The certificate's current on-chain entry (anchor, recording transaction, revocation). */
  readonly certificate: Partial<CertificateAnchor> & { readonly txId?: string; readonly recordedAt?: string };
  /** What the ledger held at `at`. */
  readonly recordedAt: { readonly txId: string; readonly timestamp: string; readonly status: string } | null;
  readonly history: readonly {
    readonly txId: string;
    readonly timestamp: string;
    readonly revoked: boolean;
  }[];
  readonly anchored?: {
    readonly txId: string;
    readonly blockNumber: number;
    readonly at: string;
    readonly endorsedBy: readonly string[];
  };
  readonly revocation?: Revoked & { readonly blockNumber: number | null };
  readonly recognitions: readonly RecognitionView[];
  readonly offChain: OffChainState;
  readonly tampered: boolean;
  readonly dataClass?: string;
  readonly record?: Certificate;
}

/** `POST /recognitions/:id/decision`: the protocol's RecognitionDecision (signed EIP-712). */
export type DecisionRequest = RecognitionDecision;

/** `POST /recognitions/:id/decision` answer. */
export interface RecognitionOutcome {
  readonly recognition: { readonly id: string; readonly status: RecognitionStatus };
  readonly txId: string;
  readonly blockNumber: number;
}

/** `GET /recognitions?source=&target=&status=`. */
export interface RecognitionBoard {
  readonly recognitions: readonly RecognitionView[];
}

/** A signature by an organisation's node: PEM certificate and base64 DER ECDSA P-256 signature. */
export interface LedgerSignatureJson {
  readonly mspId: string;
  readonly certificate: string;
  readonly signature: string;
  /**
   * A Fabric block signature only: base64 of `Metadata.value ‖ signature_header`, the bytes the orderer signed
   * before the ASN.1 DER block header (absent on the embedded engine and for endorsements).
   */
  readonly signedPrefix?: string;
}

export interface BlockHeaderJson {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

/** One transaction as `GET /blocks/:number` (without `args`, `records`) and `GET /transactions/:txId` give it. */
export interface TransactionJson {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly validationCode: string;
  /** ISO 8601 UTC with nanoseconds, from the proposal. */
  readonly timestamp: string;
  readonly type: 'config' | 'endorser';
  readonly creator: { readonly mspId: string; readonly certificate: string } | null;
  readonly chaincodeName: string | null;
  readonly function: string | null;
  readonly args?: readonly string[];
  readonly endorsements: readonly LedgerSignatureJson[];
  readonly event: { readonly name: string; readonly payload: unknown } | null;
  readonly envelopeBytes?: number;
  /** base64 of the exact envelope bytes hashed into the block's data hash (absent from older hubs). */
  readonly envelope?: string;
  /** Records this transaction anchored or revoked. */
  readonly records?: readonly { readonly kind: string; readonly id: string; readonly commitment: string }[];
}

export interface BlockJson {
  readonly number: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  /** `rfc6962`: Merkle root over the envelopes (embedded); `fabric`: SHA-256 of their concatenation. */
  readonly dataHashScheme: string;
  readonly signatures: readonly LedgerSignatureJson[];
  readonly transactions: readonly TransactionJson[];
}

/** A block as the chain index summarises it (block pages, `/stats`, the `block` event). */
export interface BlockSummary {
  readonly number: number;
  readonly hash: string;
  readonly previousHash: string;
  readonly dataHash: string;
  readonly txCount: number;
  readonly validTxCount: number;
  /** Records newly anchored in the block. */
  readonly records: number;
  /** The latest proposal time among its transactions. */
  readonly time: string | null;
  readonly signers: readonly string[];
}

/** `GET /blocks?before=&limit=`: blocks newest first. */
export interface BlockPage {
  readonly height: number;
  readonly blocks: readonly BlockSummary[];
}

/** `GET /stats`: the dashboard's figures. */
export interface DashboardStats {
  readonly chain: {
    readonly height: number;
    readonly indexedBlock: number;
    readonly engine: string;
    readonly milestones: number;
    readonly certificates: number;
    readonly revokedCertificates: number;
    readonly credits: number;
    readonly projects: number;
    readonly recognitions: number;
    readonly byRegion: Readonly<Partial<Record<RegionCode, number>>>;
    /** Anchored records by department (absent from older hubs). */
    readonly byDept?: Readonly<Partial<Record<DepartmentCode, number>>>;
  };
  readonly offChain: { readonly records: Readonly<Record<string, number>>; readonly deadLetters: number };
  readonly ingest: { readonly consumerLag: number | null; readonly inFlight: number | null };
  readonly recentBlocks: readonly BlockSummary[];
  readonly at: string;
}

/** `GET /reconciliation` (admin, auditor): store against chain, and each legacy source system. */
export interface ReconciliationReport {
  readonly chain: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly checked: number;
    readonly drift: Readonly<Record<string, number>>;
  } | null;
  readonly sources: readonly {
    readonly sourceSystem: string;
    /** Distinct record versions seen on `LEGACY`. */
    readonly seen: number;
    readonly byState: Readonly<Record<string, number>>;
    readonly notSeen: number;
    /** When the hub last saw a `LEGACY` message from this system; null: never (absent from older hubs). */
    readonly lastSeenAt?: string | null;
  }[];
}

/** `GET /dlq` (admin, auditor). */
export interface DeadLetter {
  readonly seq: number;
  readonly subject: string;
  readonly code: string;
  readonly reason: string;
  readonly sourceKey: string | null;
  readonly receivedAt: string;
  readonly replayCount: number;
}

export interface DeadLetterList {
  readonly deadLetters: readonly DeadLetter[];
}

/** `GET /audit-log?after=&limit=` (auditors): entries in order. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: {
    readonly subject: string | null;
    readonly region: RegionCode | null;
    readonly role: string | null;
    readonly dept: DepartmentCode | null;
  };
  readonly action: string;
  readonly resource: string;
  readonly outcome: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
}

/** What `GET /events` sends, by SSE event name. */
export interface LedgerEventMap {
  /** A block was committed and indexed. */
  readonly block: BlockSummary;
  /** A receipt as published on `ledger.receipt.*` (the protocol's Receipt). */
  readonly receipt: {
    readonly recordId: string;
    readonly kind: 'milestone' | 'certificate' | 'credit';
    readonly status: string;
    readonly txId?: string;
    readonly blockNumber?: number;
  };
  /** A recognition notice from `ledger.recognition.*`. */
  readonly recognition: { readonly recognitionIds?: readonly string[] };
}

export type LedgerEventName = keyof LedgerEventMap;

export type LedgerEvent = {
  [K in LedgerEventName]: { readonly type: K; readonly data: LedgerEventMap[K] };
}[LedgerEventName];
