// What the chaincode keeps in world state: the protocol's anchor and registry shapes, stamped with the
// transaction that wrote them. Field names are the protocol's; nothing is renamed.
import type {
  AnchorRef,
  CertificateAnchor,
  CertificateRevocation,
  Checkpoint,
  CreditAnchor,
  IssuerGrant,
  MilestoneAnchor,
  RecognitionDecision,
  RecognitionRequest,
  RecognitionStatus,
  SignerRegistration,
} from '@approval-ledger/protocol';

/** The ledger transaction that wrote an entry, and its (proposal) time. */
export interface LedgerStamp {
  readonly txId: string;
  readonly recordedAt: string;
}

/**
 * `{ ...record, ...stamp }`: the record's keys, then `txId` and `recordedAt`, in that order, the stamp's values
 * winning. Not written as a spread: V8 builds a copy of a parsed record by spread and then adds keys the record
 * does not have on its slow path, 6.6-7.3 µs for a milestone anchor against 0.3-0.4 µs this way (Node 20, zod's
 * parsed anchors). Records reach here validated by the protocol's strict schemas, so they hold plain data keys.
 */
export function stamped<T extends object>(record: T, stamp: LedgerStamp): T & LedgerStamp {
  return Object.assign({}, record, { txId: stamp.txId, recordedAt: stamp.recordedAt });
}

export type MilestoneEntry = MilestoneAnchor & LedgerStamp;

export type RevocationEntry = Pick<CertificateRevocation, 'reason' | 'revokedAt' | 'source'> & LedgerStamp;

export type CertificateEntry = CertificateAnchor & LedgerStamp & { readonly revocation?: RevocationEntry };

/** A certificate's status at a given time: derived, never stored. */
export type CertificateStatus = 'VALID' | 'REVOKED' | 'EXPIRED' | 'NOT_YET_VALID';

export type CertificateView = CertificateEntry & {
  readonly status: CertificateStatus;
  readonly statusAt: string;
};

export type CreditEntry = CreditAnchor & LedgerStamp;

export type IssuerGrantEntry = IssuerGrant & LedgerStamp;

export type SignerEntry = SignerRegistration &
  LedgerStamp & {
    readonly revokedAt?: string;
    readonly revokedTxId?: string;
    /** Set when the signer was rotated out: the address that replaced it. */
    readonly replacedBy?: string;
  };

export type DecisionEntry = RecognitionDecision & LedgerStamp;

export type RecognitionEntry = RecognitionRequest & {
  readonly requestedAt: string;
  readonly requestTxId: string;
  readonly decision?: DecisionEntry;
};

/** A recognition as read: its status derived from its decision and the state of its source. */
export type RecognitionView = RecognitionEntry & { readonly status: RecognitionStatus };

export type CheckpointEntry = Checkpoint & LedgerStamp & { readonly anchor?: AnchorRef & LedgerStamp };

/** Summary of a milestone write (single or batch), also the event payload. */
export interface MilestonesRecordedSummary {
  readonly count: number;
  readonly recorded: readonly string[];
  readonly unchanged: readonly string[];
  readonly projectCodes: readonly string[];
  readonly region: string;
  readonly dept: string;
}
