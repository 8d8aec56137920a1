/** Every receipt the hub published on `ledger.receipt.<region>.<dept>`. */
import { type DepartmentCode, type Receipt, type RegionCode } from '@approval-ledger/protocol';

export interface ReceiptEntry {
  readonly receipt: Receipt;
  /** The subject's region and department. */
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
}

export interface StoredReceipt extends ReceiptEntry {
  /** Store-wide order of appending. */
  readonly seq: number;
}

export interface ReceiptRepository {
  /** Appends receipts in one multi-row INSERT. */
  appendBatch(entries: readonly ReceiptEntry[]): Promise<void>;
  /** A record's receipts, oldest first. */
  findByRecordId(recordId: string): Promise<StoredReceipt[]>;
  latestFor(recordId: string): Promise<StoredReceipt | undefined>;
  /** Receipts appended after `seq`, in order (catch-up for live listeners). */
  after(seq: number, limit?: number): Promise<StoredReceipt[]>;
}
