/**
 * The off-chain mirror of mutual-recognition cases, for the board (`GET /recognitions`). The ledger is the
 * truth; the hub writes here after each commit.
 */
import {
  type RecognitionDecision,
  type RecognitionRequest,
  type RecognitionStatus,
  type RecognitionSubjectType,
  type RegionCode,
} from '@approval-ledger/protocol';

export interface StoredRecognition {
  readonly request: RecognitionRequest;
  readonly status: RecognitionStatus;
  /** Token subject of the official who asked. */
  readonly requestedBy: string | null;
  readonly requestedAt: Date;
  readonly decision: RecognitionDecision | null;
  readonly decidedAt: Date | null;
  /** Why it is SOURCE_REVOKED (the revocation's reason). */
  readonly statusReason: string | null;
  /** The last ledger transaction that changed it. */
  readonly txId: string | null;
  readonly blockNumber: number | null;
  readonly updatedAt: Date;
}

export interface LedgerPosition {
  readonly txId: string;
  readonly blockNumber: number;
}

export interface RecognitionFilter {
  readonly source?: RegionCode;
  readonly target?: RegionCode;
  readonly status?: RecognitionStatus;
  /** Exclusive lower bound on id, for paging. */
  readonly after?: string;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface RecognitionRepository {
  /** Stores a request as PENDING; a request already stored under its id is left as it is and returned. */
  saveRequest(
    request: RecognitionRequest,
    meta: { readonly requestedBy?: string; readonly requestedAt: Date; readonly ledger?: LedgerPosition },
  ): Promise<StoredRecognition>;
  /** Records the decision (status RECOGNISED or REJECTED); undefined when the request is unknown. */
  saveDecision(
    decision: RecognitionDecision,
    ledger?: LedgerPosition,
  ): Promise<StoredRecognition | undefined>;
  /** Marks every recognition of a revoked result SOURCE_REVOKED; returns those that changed. */
  markSourceRevoked(
    subjectType: RecognitionSubjectType,
    subjectId: string,
    reason: string,
    at: Date,
  ): Promise<StoredRecognition[]>;
  findById(id: string): Promise<StoredRecognition | undefined>;
  findBySubject(subjectType: RecognitionSubjectType, subjectId: string): Promise<StoredRecognition[]>;
  /** The board, in id order. */
  list(filter?: RecognitionFilter): Promise<StoredRecognition[]>;
}
