/**
 * The record repository's hot read outside a transaction (verification's openings by ledger key), answered in
 * one statement per lookup or less, off the serialised TypeORM path:
 * - SQLite: prepared statements on the store's read connection (`sqlite-reader.ts`), synchronously;
 * - MySQL/MariaDB: prepared statements on TypeORM's pool (`mysql-reader.ts`), and lookups that arrive while
 *   others run are answered by one `IN (...)` statement (`batched-lookup.ts`; the figures are there).
 * Inside `store.transaction()` the repository reads through the transaction instead, as for every other query.
 */
import { BatchedLookup } from '../batched-lookup';
import { fromDb } from '../column-types';
import { type MysqlReader } from '../mysql-reader';
import { inPlaceholders } from '../sql-dialect';
import { type SqliteReader } from '../sqlite-reader';
import { type RecordKind } from './record.repository';

/** A row of `records` as both drivers return it. */
export interface RecordRow {
  id: string;
  kind: string;
  ledger_key: string;
  region: string;
  dept: string | null;
  project_code: string | null;
  source_system: string;
  source_record_id: string;
  source_version: number | string;
  record_json: string;
  salt: string;
  commitment: string;
  data_class: string;
  status: string;
  status_reason: string | null;
  tx_id: string | null;
  block_number: number | string | null;
  anchored_at: Date | string | null;
  received_at: Date | string;
}

/** What verification reads to check that a stored record still opens its commitment. */
export interface OpeningRow {
  id: string;
  commitment: string;
  salt: string;
  record_json: string;
  status: string;
}

export interface RecordLookups {
  /** The openings of every version of a ledger key, oldest first (received_at, id). */
  openingsByLedgerKey(kind: RecordKind, ledgerKey: string): Promise<OpeningRow[]>;
}

export const SELECT_OPENINGS_BY_LEDGER_KEY =
  'SELECT id, commitment, salt, record_json, status FROM records WHERE kind = ? AND ledger_key = ? ORDER BY received_at, id';

/** MySQL: the openings of `count` ledger keys of one kind, with what to group and order them by. */
export function mysqlOpeningsByLedgerKeys(count: number): string {
  return (
    'SELECT ledger_key, id, commitment, salt, record_json, status, received_at FROM records ' +
    `WHERE kind = ? AND ledger_key IN (${inPlaceholders(count)})`
  );
}

/** SQLite: one prepared statement per lookup on the read connection. */
export function sqliteRecordLookups(reader: SqliteReader): RecordLookups {
  return {
    openingsByLedgerKey: (kind, ledgerKey) =>
      Promise.resolve(reader.all<OpeningRow>(SELECT_OPENINGS_BY_LEDGER_KEY, [kind, ledgerKey])),
  };
}

/** Keys per statement at most. */
const MYSQL_MAX_BATCH = 64;
/** Statements out at once per kind of lookup (of the pool's 10 connections by default). */
const MYSQL_MAX_IN_FLIGHT = 2;

/**
 * MySQL: lookups batched into IN lists. The lists are padded (with their first key) to a power of two, so a
 * connection prepares at most 7 texts per kind of lookup.
 */
export function mysqlRecordLookups(reader: MysqlReader): RecordLookups {
  const openings = new Map<RecordKind, BatchedLookup<OpeningRow & { ledger_key: string }>>();
  const openingsOf = (kind: RecordKind) => {
    let lookup = openings.get(kind);
    if (!lookup) {
      lookup = new BatchedLookup(
        async (ledgerKeys) => {
          const keys = padded(ledgerKeys);
          const rows = await reader.all<OpeningRow & { ledger_key: string; received_at: Date | string }>(
            mysqlOpeningsByLedgerKeys(keys.length),
            [kind, ...keys],
          );
          rows.sort(byReceivedThenId);
          return groupBy(rows, (row) => row.ledger_key);
        },
        { maxBatch: MYSQL_MAX_BATCH, maxInFlight: MYSQL_MAX_IN_FLIGHT },
      );
      openings.set(kind, lookup);
    }
    return lookup;
  };
  return {
    openingsByLedgerKey: (kind, ledgerKey) => openingsOf(kind).load(ledgerKey),
  };
}

/** `keys` padded with its first key to the next power of two (an IN list answers a key once however listed). */
function padded(keys: readonly string[]): string[] {
  let size = 1;
  while (size < keys.length) size *= 2;
  const out = [...keys];
  while (out.length < size) out.push(keys[0] as string);
  return out;
}

function groupBy<Row>(rows: readonly Row[], keyOf: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function byReceivedThenId(
  a: { received_at: Date | string; id: string },
  b: { received_at: Date | string; id: string },
): number {
  const ta = timeOf(a.received_at);
  const tb = timeOf(b.received_at);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function timeOf(value: Date | string): number {
  return fromDb.timestamp(value).getTime();
}
