/**
 * Every receipt the hub published on `ledger.receipt.<region>.<dept>`.
 *
 * An ANCHORED receipt has no row of its own: its copy is the record's anchoring (`records.markAnchored`, in the
 * same store transaction as the other receipts of its batch, with the receipt's transaction, block and time),
 * and the reads here give it back from the record. Every other receipt (DUPLICATE, CONFLICT, REJECTED) is a row.
 * A store written before 2026-12-06 also holds ANCHORED rows; a record's receipts then name that row, once.
 */
import { type DepartmentCode, type Receipt, type RegionCode } from '@approval-ledger/protocol';

export interface ReceiptEntry {
  readonly receipt: Receipt;
  /** The subject's region and department. */
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
}

export type StoredReceipt = ReceiptEntry;

export interface ReceiptRepository {
  /**
   * Appends receipts other than ANCHORED (a TypeError names one): an ANCHORED receipt is kept by marking its
   * record anchored in the same transaction.
   */
  appendBatch(entries: readonly ReceiptEntry[]): Promise<void>;
  /** A record's receipts, oldest first (its ANCHORED receipt from the record). */
  findByRecordId(recordId: string): Promise<StoredReceipt[]>;
  latestFor(recordId: string): Promise<StoredReceipt | undefined>;
  /**
   * Every receipt, in pages of up to `pageSize`: the stored rows in the order they were appended, then the ANCHORED
   * receipts of the anchored records in id order (a store from before 2026-12-06 gives those it holds as rows
   * twice: count records, not receipts).
   */
  pages(pageSize?: number): AsyncGenerator<StoredReceipt[]>;
}
