import { type DepartmentCode, type Receipt, type RegionCode, canonicalize } from '@approval-ledger/protocol';
import { fromDb, toDbTimestamp } from '../column-types';
import { insertRows, type RowInsert, select, type SqlExecutor } from '../sql-executor';
import { type ReceiptEntry, type ReceiptRepository, type StoredReceipt } from './receipt.repository';

const COLUMNS = [
  'record_id',
  'region',
  'dept',
  'status',
  'tx_id',
  'block_number',
  'at',
  'receipt_json',
] as const;
const INSERT: RowInsert = { table: 'receipts', columns: COLUMNS };

interface ReceiptRow {
  seq: number | string;
  region: string;
  dept: string;
  receipt_json: string;
}

export class TypeormReceiptRepository implements ReceiptRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async appendBatch(entries: readonly ReceiptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#db.transaction((manager) => insertRows(manager, INSERT, entries.map(receiptValues)));
  }

  async findByRecordId(recordId: string): Promise<StoredReceipt[]> {
    return this.#query(
      'SELECT seq, region, dept, receipt_json FROM receipts WHERE record_id = ? ORDER BY seq',
      [recordId],
    );
  }

  async latestFor(recordId: string): Promise<StoredReceipt | undefined> {
    const rows = await this.#query(
      'SELECT seq, region, dept, receipt_json FROM receipts WHERE record_id = ? ORDER BY seq DESC LIMIT 1',
      [recordId],
    );
    return rows[0];
  }

  async after(seq: number, limit = 500): Promise<StoredReceipt[]> {
    const bounded = Math.min(Math.max(1, Math.trunc(limit)), 5000);
    return this.#query(
      `SELECT seq, region, dept, receipt_json FROM receipts WHERE seq > ? ORDER BY seq LIMIT ${bounded}`,
      [seq],
    );
  }

  async #query(sql: string, params: unknown[]): Promise<StoredReceipt[]> {
    const rows = await this.#db.run((manager) => select<ReceiptRow>(manager, sql, params));
    return rows.map((row) => ({
      seq: fromDb.bigint(row.seq),
      region: row.region as RegionCode,
      dept: row.dept as DepartmentCode,
      receipt: JSON.parse(row.receipt_json) as Receipt,
    }));
  }
}

function receiptValues({ receipt, region, dept }: ReceiptEntry): unknown[] {
  return [
    receipt.recordId,
    region,
    dept,
    receipt.status,
    receipt.txId ?? null,
    receipt.blockNumber ?? null,
    toDbTimestamp(new Date(receipt.at)),
    canonicalize(receipt),
  ];
}
