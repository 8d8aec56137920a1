/**
 * RecordRepository on TypeORM. The hot paths (batch insert, lookups by ledger key) are plain SQL with `?` parameters,
 * the same text on both databases: batch inserts through `insertRows` (prepared single-row statements on SQLite,
 * bounded multi-row INSERTs on MySQL), and one indexed lookup per query.
 */
import { type EntityManager } from 'typeorm';
import { fromDb, toDbTimestamp } from '../column-types';
import { chunks, execute, insertRows, type RowInsert, select, type SqlExecutor } from '../sql-executor';
import { inPlaceholders, isUniqueViolation } from '../sql-dialect';
import {
  type OpeningRow,
  type RecordLookups,
  type RecordRow,
  SELECT_OPENINGS_BY_LEDGER_KEY,
} from './record-lookups';
import {
  ANCHOR_STATUSES,
  type AnchoredAt,
  type AnchorStatus,
  type Delivery,
  type InsertOutcome,
  type NewRecord,
  type RecordKind,
  type RecordOpening,
  type RecordPage,
  type RecordPageOptions,
  type RecordRepository,
  type StoredRecord,
} from './record.repository';

/** Ids per IN list. */
const IDS_PER_QUERY = 500;
/** MySQL only: attempts when a concurrent batch inserted one of our ids between our read and our write. */
const INSERT_ATTEMPTS = 3;

const INSERT_COLUMNS = [
  'id',
  'kind',
  'ledger_key',
  'region',
  'dept',
  'project_code',
  'source_system',
  'source_record_id',
  'source_version',
  'record_json',
  'salt',
  'commitment',
  'data_class',
  'status',
  'received_at',
  'seen_count',
  'last_seen_at',
  'last_stream_seq',
] as const;

const RECORDS_INSERT: RowInsert = { table: 'records', columns: INSERT_COLUMNS };

const SELECT_RECORDS = 'SELECT r.* FROM records r';

export class TypeormRecordRepository implements RecordRepository {
  readonly #db: SqlExecutor;
  readonly #lookups: RecordLookups | undefined;

  /** `lookups`: the hot reads outside a transaction (record-lookups.ts); none inside one. */
  constructor(db: SqlExecutor, lookups?: RecordLookups) {
    this.#db = db;
    this.#lookups = lookups;
  }

  async insertPendingBatch(
    records: readonly NewRecord[],
    deliveries?: readonly Delivery[],
  ): Promise<InsertOutcome[]> {
    if (records.length === 0) return [];
    if (deliveries !== undefined && deliveries.length !== records.length)
      throw new TypeError(`deliveries: ${deliveries.length} for ${records.length} records, one per record`);
    return this.#db.transaction(async (manager) => {
      for (let attempt = 1; ; attempt++) {
        try {
          // a savepoint per attempt: a retry starts from nothing of the failed attempt
          return await manager.transaction((attemptManager) =>
            insertBatch(attemptManager, records, deliveries),
          );
        } catch (error) {
          if (this.#db.dialect !== 'mysql' || !isUniqueViolation(error) || attempt >= INSERT_ATTEMPTS)
            throw error;
        }
      }
    });
  }

  async markAnchored(ids: readonly string[], anchored: AnchoredAt): Promise<number> {
    return this.#updateByIds(
      ids,
      "status = 'anchored', status_reason = NULL, tx_id = ?, block_number = ?, anchored_at = ?",
      [anchored.txId, anchored.blockNumber, toDbTimestamp(anchored.at)],
    );
  }

  async markStatus(ids: readonly string[], status: AnchorStatus, reason: string | null): Promise<number> {
    if (status === 'anchored') throw new TypeError('markStatus() does not anchor; use markAnchored()');
    return this.#updateByIds(ids, 'status = ?, status_reason = ?', [status, reason]);
  }

  async findById(id: string): Promise<StoredRecord | undefined> {
    return (await this.#query(`${SELECT_RECORDS} WHERE r.id = ?`, [id]))[0];
  }

  async findByIds(ids: readonly string[]): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    return this.#db.run(async (manager) => {
      const found: StoredRecord[] = [];
      for (const slice of chunks(ids, IDS_PER_QUERY)) {
        const rows = await select<RecordRow>(
          manager,
          `${SELECT_RECORDS} WHERE r.id IN (${inPlaceholders(slice.length)})`,
          slice,
        );
        found.push(...rows.map(toStoredRecord));
      }
      return found;
    });
  }

  async findUnanchoredByProject(projectCode: string): Promise<StoredRecord[]> {
    // through ix_records_unanchored_project: `unanchored_project` is the project until the record is anchored
    return this.#query(`${SELECT_RECORDS} WHERE r.unanchored_project = ? ORDER BY r.received_at, r.id`, [
      projectCode,
    ]);
  }

  async findByLedgerKey(kind: RecordKind, ledgerKey: string): Promise<StoredRecord[]> {
    return this.#query(
      `${SELECT_RECORDS} WHERE r.kind = ? AND r.ledger_key = ? ORDER BY r.received_at, r.id`,
      [kind, ledgerKey],
    );
  }

  async findByLedgerKeys(kind: RecordKind, ledgerKeys: readonly string[]): Promise<StoredRecord[]> {
    const keys = [...new Set(ledgerKeys)];
    if (keys.length === 0) return [];
    return this.#db.run(async (manager) => {
      const found: StoredRecord[] = [];
      for (const slice of chunks(keys, IDS_PER_QUERY)) {
        const rows = await select<RecordRow>(
          manager,
          `${SELECT_RECORDS} WHERE r.kind = ? AND r.ledger_key IN (${inPlaceholders(slice.length)})
           ORDER BY r.ledger_key, r.received_at, r.id`,
          [kind, ...slice],
        );
        found.push(...rows.map(toStoredRecord));
      }
      return found;
    });
  }

  async findOpeningsByLedgerKey(kind: RecordKind, ledgerKey: string): Promise<RecordOpening[]> {
    const rows = this.#lookups
      ? await this.#lookups.openingsByLedgerKey(kind, ledgerKey)
      : await this.#db.run((manager) =>
          select<OpeningRow>(manager, SELECT_OPENINGS_BY_LEDGER_KEY, [kind, ledgerKey]),
        );
    return rows.map((row) => ({
      id: row.id,
      commitment: row.commitment,
      salt: row.salt,
      recordJson: row.record_json,
      status: row.status as AnchorStatus,
    }));
  }

  async countByStatus(): Promise<Record<AnchorStatus, number>> {
    const rows = await this.#db.run((manager) =>
      select<{ status: string; n: number | string }>(
        manager,
        'SELECT status, COUNT(*) AS n FROM records GROUP BY status',
        [],
      ),
    );
    const counts = Object.fromEntries(ANCHOR_STATUSES.map((s) => [s, 0])) as Record<AnchorStatus, number>;
    for (const row of rows) counts[row.status as AnchorStatus] = fromDb.bigint(row.n);
    return counts;
  }

  async page(options: RecordPageOptions = {}): Promise<RecordPage> {
    const limit = Math.min(Math.max(1, options.limit ?? 500), 5000);
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.after !== undefined) {
      where.push('r.id > ?');
      params.push(options.after);
    }
    if (options.status !== undefined) {
      where.push('r.status = ?');
      params.push(options.status);
    }
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const records = await this.#query(`${SELECT_RECORDS}${filter} ORDER BY r.id LIMIT ${limit + 1}`, params);
    if (records.length <= limit) return { records };
    records.pop();
    return { records, next: records[records.length - 1]?.id };
  }

  async *pages(options: Omit<RecordPageOptions, 'after'> = {}): AsyncGenerator<StoredRecord[]> {
    let after: string | undefined;
    do {
      const page = await this.page({ ...options, ...(after === undefined ? {} : { after }) });
      if (page.records.length > 0) yield page.records;
      after = page.next;
    } while (after !== undefined);
  }

  async #query(sql: string, params: unknown[]): Promise<StoredRecord[]> {
    const rows = await this.#db.run((manager) => select<RecordRow>(manager, sql, params));
    return rows.map(toStoredRecord);
  }

  async #updateByIds(ids: readonly string[], set: string, params: unknown[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.#db.transaction(async (manager) => {
      let changed = 0;
      for (const slice of chunks(ids, IDS_PER_QUERY)) {
        const sql = `UPDATE records SET ${set} WHERE id IN (${inPlaceholders(slice.length)})`;
        changed += await execute(manager, sql, [...params, ...slice]);
      }
      return changed;
    });
  }
}

/**
 * One attempt at a batch, inside the caller's transaction: the new rows (each with its delivery as its first
 * sighting), then one more sighting on each stored record delivered again (after the inserts: a record may
 * repeat within the batch).
 */
async function insertBatch(
  manager: EntityManager,
  records: readonly NewRecord[],
  deliveries: readonly Delivery[] | undefined,
): Promise<InsertOutcome[]> {
  const existing = await storedByIds(manager, [...new Set(records.map((r) => r.id))]);
  const outcomes = classify(records, existing);
  const fresh: unknown[][] = [];
  const again: { id: string; delivery: Delivery }[] = [];
  outcomes.forEach((o, i) => {
    const delivery = deliveries?.[i];
    if (o.outcome === 'inserted') fresh.push(recordValues(records[i] as NewRecord, delivery));
    else if (delivery !== undefined) again.push({ id: o.stored.id, delivery });
  });
  await insertRows(manager, RECORDS_INSERT, fresh);
  for (const { id, delivery } of again) await countDelivery(manager, id, delivery);
  return outcomes;
}

/** One more delivery of a stored record: its count, last time and last stream sequence (`Delivery`). */
export async function countDelivery(manager: EntityManager, id: string, delivery: Delivery): Promise<void> {
  await execute(
    manager,
    'UPDATE records SET seen_count = seen_count + 1, last_seen_at = ?, last_stream_seq = ? WHERE id = ?',
    [toDbTimestamp(delivery.at), delivery.streamSeq, id],
  );
}

/** inserted / duplicate / conflict for each record, against the stored rows and earlier rows of the batch. */
function classify(records: readonly NewRecord[], existing: Map<string, StoredRecord>): InsertOutcome[] {
  const earlier = new Map<string, StoredRecord>();
  return records.map((incoming): InsertOutcome => {
    const stored = existing.get(incoming.id) ?? earlier.get(incoming.id);
    if (stored === undefined) {
      const pending = pendingView(incoming);
      earlier.set(incoming.id, pending);
      return { outcome: 'inserted', stored: pending };
    }
    return stored.recordJson === incoming.recordJson
      ? { outcome: 'duplicate', stored }
      : { outcome: 'conflict', stored, incoming };
  });
}

async function storedByIds(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, StoredRecord>> {
  const found = new Map<string, StoredRecord>();
  for (const slice of chunks(ids, IDS_PER_QUERY)) {
    const sql = `${SELECT_RECORDS} WHERE r.id IN (${inPlaceholders(slice.length)})`;
    for (const row of await select<RecordRow>(manager, sql, slice)) found.set(row.id, toStoredRecord(row));
  }
  return found;
}

function recordValues(r: NewRecord, delivery: Delivery | undefined): unknown[] {
  return [
    r.id,
    r.kind,
    r.ledgerKey,
    r.region,
    r.dept,
    r.projectCode,
    r.source.system,
    r.source.recordId,
    r.source.version,
    r.recordJson,
    r.salt,
    r.commitment,
    r.dataClass,
    'pending',
    toDbTimestamp(r.receivedAt),
    delivery === undefined ? 0 : 1,
    delivery === undefined ? null : toDbTimestamp(delivery.at),
    delivery?.streamSeq ?? null,
  ];
}

/**
 * A record just inserted, as stored: its columns in the order and shape of {@link toStoredRecord}'s rows (a
 * spread of the new record with the anchoring columns added cost about 7 µs per record, as much as its insert).
 */
function pendingView(r: NewRecord): StoredRecord {
  return {
    id: r.id,
    kind: r.kind,
    ledgerKey: r.ledgerKey,
    region: r.region,
    dept: r.dept,
    projectCode: r.projectCode,
    source: r.source,
    record: r.record,
    recordJson: r.recordJson,
    salt: r.salt,
    commitment: r.commitment,
    dataClass: r.dataClass,
    documents: r.documents,
    receivedAt: r.receivedAt,
    status: 'pending',
    statusReason: null,
    txId: null,
    blockNumber: null,
    anchoredAt: null,
  } as StoredRecord;
}

function toStoredRecord(row: RecordRow): StoredRecord {
  const record = JSON.parse(row.record_json) as { documents?: StoredRecord['documents'] };
  return {
    id: row.id,
    kind: row.kind,
    ledgerKey: row.ledger_key,
    region: row.region,
    dept: row.dept,
    projectCode: row.project_code,
    source: {
      system: row.source_system,
      recordId: row.source_record_id,
      version: fromDb.bigint(row.source_version),
    },
    record,
    recordJson: row.record_json,
    salt: row.salt,
    commitment: row.commitment,
    dataClass: row.data_class,
    documents: record.documents ?? [],
    receivedAt: fromDb.timestamp(row.received_at),
    status: row.status,
    statusReason: row.status_reason,
    txId: row.tx_id,
    blockNumber: row.block_number === null ? null : fromDb.bigint(row.block_number),
    anchoredAt: row.anchored_at === null ? null : fromDb.timestamp(row.anchored_at),
  } as StoredRecord;
}
