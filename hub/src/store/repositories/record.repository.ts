/**
 * The off-chain records: the full protocol record, its salt and commitment, and its anchoring state.
 *
 * Ingest builds a {@link NewRecord} per envelope with `newRecordFromEnvelope()`, stores a batch with
 * {@link RecordRepository.insertPendingBatch} before it goes to the ledger, and marks it anchored after the
 * commit. A re-delivered envelope comes back as `duplicate` with the stored salt and commitment, which are the
 * ones to send to the ledger again (the chaincode then answers with a no-op).
 */
import {
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type DataClass,
  type DepartmentCode,
  type DocumentRef,
  type EnvelopeKind,
  type Milestone,
  type RegionCode,
  type SourceRef,
} from '@approval-ledger/protocol';

export type RecordKind = EnvelopeKind;
export type AnchorStatus = 'pending' | 'anchored' | 'conflict' | 'rejected';
export const ANCHOR_STATUSES: readonly AnchorStatus[] = ['pending', 'anchored', 'conflict', 'rejected'];

/** The protocol type stored for each kind. */
export interface RecordOfKind {
  milestone: Milestone;
  certificate: Certificate;
  'certificate-revocation': CertificateRevocation;
  credit: CreditEvent;
}

interface RecordColumns<K extends RecordKind> {
  /** `recordIdOf(source)`: `system:recordId:version`. */
  readonly id: string;
  readonly kind: K;
  /** The key on chain: milestone id, certificate number (also of a revocation), credit event id. */
  readonly ledgerKey: string;
  readonly region: RegionCode;
  readonly dept: DepartmentCode | null;
  /** Null for credit events and revocations, which name no project. */
  readonly projectCode: string | null;
  readonly source: SourceRef;
  readonly record: RecordOfKind[K];
  /** `canonicalize(record)`, the bytes the commitment covers. */
  readonly recordJson: string;
  /** 32 random bytes, 64 lower-case hex digits. */
  readonly salt: string;
  /** `commitment(record, salt)`: what goes on chain. */
  readonly commitment: string;
  /** Revocations carry no data class of their own; they are stored as `internal`. */
  readonly dataClass: DataClass;
  readonly documents: readonly DocumentRef[];
  readonly receivedAt: Date;
}

/** A record about to be stored (pending), as `newRecordFromEnvelope()` builds it. */
export type NewRecord = { [K in RecordKind]: RecordColumns<K> }[RecordKind];

/**
 * One delivery on `LEGACY` of the message a record came from: the record's row keeps how often, the last time
 * and the last stream sequence (`seen_count`, `last_seen_at`, `last_stream_seq`; its first is `received_at`),
 * which the reconciliation reads (`reconciliation.repository.ts`).
 */
export interface Delivery {
  /** The message's `LEGACY` stream sequence. */
  readonly streamSeq: number;
  readonly at: Date;
}

interface AnchoringColumns {
  readonly status: AnchorStatus;
  /** Why a record is `conflict` or `rejected`. */
  readonly statusReason: string | null;
  readonly txId: string | null;
  readonly blockNumber: number | null;
  readonly anchoredAt: Date | null;
}

/** A record as stored, with its anchoring state. Narrow on `kind` to get the typed `record`. */
export type StoredRecord = { [K in RecordKind]: RecordColumns<K> & AnchoringColumns }[RecordKind];

/**
 * What happened to one record of a batch, in input order:
 * - `inserted`: stored now, `pending`;
 * - `duplicate`: the same record (same id, same canonical JSON) was already stored, or came earlier in the
 *   batch; `stored` is that row, with the salt and commitment to use;
 * - `conflict`: the id is stored with a different record; nothing was written for this one.
 */
export type InsertOutcome =
  | { readonly outcome: 'inserted'; readonly stored: StoredRecord }
  | { readonly outcome: 'duplicate'; readonly stored: StoredRecord }
  | { readonly outcome: 'conflict'; readonly stored: StoredRecord; readonly incoming: NewRecord };

export interface AnchoredAt {
  readonly txId: string;
  readonly blockNumber: number;
  readonly at: Date;
}

/** What checking a stored record against its on-chain commitment needs, without parsing the record. */
export interface RecordOpening {
  readonly id: string;
  readonly commitment: string;
  readonly salt: string;
  /** The stored canonical JSON, as stored (see `opens()` in verification). */
  readonly recordJson: string;
  readonly status: AnchorStatus;
}

export interface RecordPage {
  readonly records: StoredRecord[];
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

export interface RecordPageOptions {
  /** Exclusive lower bound on `id` (the previous page's `next`). */
  readonly after?: string;
  /** Default 500, at most 5000. */
  readonly limit?: number;
  readonly status?: AnchorStatus;
}

export interface RecordRepository {
  /**
   * Stores a batch as `pending` in one transaction with multi-row INSERTs:
   * either every `inserted` row is written or, if a statement fails, none of the batch is. Idempotent on
   * `id`; a different record under a stored id is a `conflict`, reported, not thrown. `deliveries[i]`, when
   * given, is the `LEGACY` delivery `records[i]` came from: an inserted row starts with it as its one sighting,
   * a stored record (`duplicate` or `conflict`) counts it as one more.
   */
  insertPendingBatch(
    records: readonly NewRecord[],
    deliveries?: readonly Delivery[],
  ): Promise<InsertOutcome[]>;
  /** Sets `anchored` with the transaction and block; returns how many rows changed. */
  markAnchored(ids: readonly string[], anchored: AnchoredAt): Promise<number>;
  /** Sets `conflict` or `rejected` (or back to `pending`) with a reason; returns how many rows changed. */
  markStatus(ids: readonly string[], status: AnchorStatus, reason: string | null): Promise<number>;
  findById(id: string): Promise<StoredRecord | undefined>;
  findByIds(ids: readonly string[]): Promise<StoredRecord[]>;
  /**
   * A project's records that are not anchored (pending, in conflict, rejected), oldest first. Its anchored
   * records are found by the ledger keys of the project's anchors (the chain index's `byProject`):
   * `findByLedgerKeys`. The store keeps no index of every record's project (migration
   * `UnanchoredProjectIndex1796774400000`).
   */
  findUnanchoredByProject(projectCode: string): Promise<StoredRecord[]>;
  /** Records under one on-chain key, e.g. a certificate and its revocation by number; oldest first. */
  findByLedgerKey(kind: RecordKind, ledgerKey: string): Promise<StoredRecord[]>;
  /** {@link findByLedgerKey} for many keys of one kind at once (a batch's), in (key, arrival) order. */
  findByLedgerKeys(kind: RecordKind, ledgerKeys: readonly string[]): Promise<StoredRecord[]>;
  /**
   * {@link findByLedgerKey} reduced to id, commitment, salt, canonical JSON and status, in the same order, for
   * verification's per-request check: no JSON parsing, and on SQLite (outside a transaction) a prepared
   * statement on a read connection of its own instead of the serialised TypeORM connection.
   */
  findOpeningsByLedgerKey(kind: RecordKind, ledgerKey: string): Promise<RecordOpening[]>;
  countByStatus(): Promise<Record<AnchorStatus, number>>;
  /** One page in `id` order, for jobs that walk the whole store (reconciliation). */
  page(options?: RecordPageOptions): Promise<RecordPage>;
  /** Every page, lazily, in `id` order. */
  pages(options?: Omit<RecordPageOptions, 'after'>): AsyncGenerator<StoredRecord[]>;
}
