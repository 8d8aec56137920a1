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

/** An anchored record: its ANCHORED receipt. */
interface AnchoredRow {
  id: string;
  kind: string;
  region: string;
  dept: string;
  commitment: string;
  tx_id: string;
  block_number: number | string;
  anchored_at: Date | string;
}

const ANCHORED_COLUMNS = 'id, kind, region, dept, commitment, tx_id, block_number, anchored_at';

export class TypeormReceiptRepository implements ReceiptRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async appendBatch(entries: readonly ReceiptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const anchored = entries.find((e) => e.receipt.status === 'ANCHORED');
    if (anchored)
      throw new TypeError(
        `receipt of ${anchored.receipt.recordId}: an ANCHORED receipt is kept by records.markAnchored, not appended`,
      );
    await this.#db.transaction((manager) => insertRows(manager, INSERT, entries.map(receiptValues)));
  }

  async findByRecordId(recordId: string): Promise<StoredReceipt[]> {
    const [rows, anchored] = await this.#db.run(async (manager) => [
      await select<ReceiptRow>(
        manager,
        'SELECT seq, region, dept, receipt_json FROM receipts WHERE record_id = ? ORDER BY seq',
        [recordId],
      ),
      await select<AnchoredRow>(
        manager,
        `SELECT ${ANCHORED_COLUMNS} FROM records WHERE id = ? AND status = 'anchored'`,
        [recordId],
      ),
    ]);
    const stored = rows.map(fromRow);
    const row = anchored[0];
    if (row === undefined || stored.some((r) => r.receipt.status === 'ANCHORED')) return stored;
    // oldest first: the ANCHORED receipt goes before the rows appended after it (a later DUPLICATE)
    const receipt = fromAnchored(row);
    const at = receipt.receipt.at;
    const later = stored.findIndex((r) => r.receipt.at > at);
    return later === -1 ? [...stored, receipt] : [...stored.slice(0, later), receipt, ...stored.slice(later)];
  }

  async latestFor(recordId: string): Promise<StoredReceipt | undefined> {
    const all = await this.findByRecordId(recordId);
    return all[all.length - 1];
  }

  async *pages(pageSize = 5_000): AsyncGenerator<StoredReceipt[]> {
    const limit = Math.min(Math.max(1, Math.trunc(pageSize)), 5000);
    for (let seq = 0; ;) {
      const rows = await this.#db.run((manager) =>
        select<ReceiptRow>(
          manager,
          `SELECT seq, region, dept, receipt_json FROM receipts WHERE seq > ? ORDER BY seq LIMIT ${limit}`,
          [seq],
        ),
      );
      if (rows.length === 0) break;
      seq = fromDb.bigint((rows[rows.length - 1] as ReceiptRow).seq);
      yield rows.map(fromRow);
    }
    for (let after = ''; ;) {
      const rows = await this.#db.run((manager) =>
        select<AnchoredRow>(
          manager,
          `SELECT ${ANCHORED_COLUMNS} FROM records WHERE id > ? AND status = 'anchored' ORDER BY id LIMIT ${limit}`,
          [after],
        ),
      );
      if (rows.length === 0) return;
      after = (rows[rows.length - 1] as AnchoredRow).id;
      yield rows.map(fromAnchored);
    }
  }
}

function fromRow(row: ReceiptRow): StoredReceipt {
  return {
    region: row.region as RegionCode,
    dept: row.dept as DepartmentCode,
    receipt: JSON.parse(row.receipt_json) as Receipt,
  };
}

/** The ANCHORED receipt of an anchored record, as ingest published it (`ingest-pipeline.ts` `receiptOf`). */
function fromAnchored(row: AnchoredRow): StoredReceipt {
  const receipt: Receipt = {
    recordId: row.id,
    kind: row.kind as Receipt['kind'],
    sha256: row.commitment,
    txId: row.tx_id,
    blockNumber: fromDb.bigint(row.block_number),
    status: 'ANCHORED',
    at: fromDb.timestamp(row.anchored_at).toISOString(),
  };
  return { region: row.region as RegionCode, dept: row.dept as DepartmentCode, receipt };
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
