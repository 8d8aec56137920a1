import { recordIdOf } from '@approval-ledger/protocol';
import { fromDb, toDbTimestamp } from '../column-types';
import { inPlaceholders, onDuplicateKey } from '../sql-dialect';
import { chunks, insertRows, type RowInsert, select, type SqlExecutor } from '../sql-executor';
import { type RecordKind } from './record.repository';
import { countDelivery } from './typeorm-record.repository';
import {
  type LegacySighting,
  type ReconciliationCounts,
  type ReconciliationMismatch,
  type ReconciliationRepository,
  type ReconciliationState,
} from './reconciliation.repository';

const COLUMNS = [
  'source_key',
  'source_system',
  'source_record_id',
  'source_version',
  'kind',
  'region',
  'dept',
  'first_seen_at',
  'last_seen_at',
  'seen_count',
  'last_stream_seq',
] as const;

const STATES: readonly ReconciliationState[] = [
  'pending',
  'anchored',
  'conflict',
  'rejected',
  'dead-lettered',
  'missing',
];

/**
 * Where the sightings are: a record's own (`seen_count`, `last_seen_at` on its row, its first `received_at`:
 * `Delivery` in record.repository.ts), and the `reconciliation` rows, which hold the versions seen without a
 * record and a store's sightings from before the migration `SightingsOnRecords1796688000000`. A version with both
 * was seen as often as the two say together, first when the row says, last at the later of the two.
 */
const SEEN = 'r.seen_count > 0 OR rc.source_key IS NOT NULL';
const LAST_SEEN = `CASE WHEN rc.last_seen_at IS NULL OR r.last_seen_at > rc.last_seen_at
  THEN r.last_seen_at ELSE rc.last_seen_at END`;
const RECORDS_SEEN = 'records r LEFT JOIN reconciliation rc ON rc.source_key = r.id';

/** The state of a version seen without a record: dead-lettered or missing. */
const UNSTORED_STATE_SQL = `CASE WHEN EXISTS (SELECT 1 FROM dead_letters d WHERE d.source_key = rc.source_key)
  THEN 'dead-lettered' ELSE 'missing' END`;
const UNSTORED = 'NOT EXISTS (SELECT 1 FROM records r WHERE r.id = rc.source_key)';

export class TypeormReconciliationRepository implements ReconciliationRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async recordSeen(sightings: readonly LegacySighting[]): Promise<void> {
    if (sightings.length === 0) return;
    const upsert = onDuplicateKey(this.#db.dialect, ['source_key'], {
      last_seen_at: (excluded) => excluded('last_seen_at'),
      last_stream_seq: (excluded) => excluded('last_stream_seq'),
      seen_count: () => 'seen_count + 1',
    });
    const insert: RowInsert = { table: 'reconciliation', columns: COLUMNS, onConflict: upsert };
    await this.#db.transaction(async (manager) => {
      // a stored record keeps its sightings on its row; only a version without one gets a row here
      const keys = [...new Set(sightings.map((s) => recordIdOf(s.source)))];
      const stored = new Set<string>();
      for (const slice of chunks(keys, 500)) {
        const rows = await select<{ id: string }>(
          manager,
          `SELECT id FROM records WHERE id IN (${inPlaceholders(slice.length)})`,
          slice,
        );
        for (const row of rows) stored.add(row.id);
      }
      const unstored: unknown[][] = [];
      for (const s of sightings) {
        const key = recordIdOf(s.source);
        if (!stored.has(key)) unstored.push(sightingValues(s));
        else await countDelivery(manager, key, s);
      }
      await insertRows(manager, insert, unstored);
    });
  }

  async report(): Promise<ReconciliationCounts[]> {
    return this.#db.run(async (manager) => {
      // records, seen or not, by status; then the versions seen without a record
      const stored = await select<{
        sys: string;
        state: string;
        seen: number | string;
        n: number | string;
        at: Date | string | null;
      }>(
        manager,
        `SELECT r.source_system AS sys, r.status AS state, CASE WHEN ${SEEN} THEN 1 ELSE 0 END AS seen,
           COUNT(*) AS n, MAX(${LAST_SEEN}) AS at
         FROM ${RECORDS_SEEN} GROUP BY r.source_system, r.status, CASE WHEN ${SEEN} THEN 1 ELSE 0 END`,
        [],
      );
      const unstored = await select<{ sys: string; state: string; n: number | string; at: Date | string }>(
        manager,
        `SELECT rc.source_system AS sys, ${UNSTORED_STATE_SQL} AS state, COUNT(*) AS n, MAX(rc.last_seen_at) AS at
         FROM reconciliation rc WHERE ${UNSTORED} GROUP BY rc.source_system, ${UNSTORED_STATE_SQL}`,
        [],
      );
      const seen = [...stored.filter((row) => fromDb.bigint(row.seen) === 1), ...unstored];
      const notSeen = stored
        .filter((row) => fromDb.bigint(row.seen) === 0)
        .map((row) => ({ sys: row.sys, n: row.n }));
      return summarise(seen, notSeen, seen);
    });
  }

  async mismatches(
    sourceSystem: string,
    options: { readonly after?: string; readonly limit?: number } = {},
  ): Promise<{ readonly items: ReconciliationMismatch[]; readonly next?: string }> {
    const limit = Math.min(Math.max(1, options.limit ?? 100), 1000);
    const rows = await this.#db.run((manager) =>
      select<{
        source_key: string;
        kind: string;
        state: string;
        seen_count: number | string;
        first_seen_at: Date | string;
        last_seen_at: Date | string;
      }>(
        manager,
        `SELECT * FROM (
           SELECT r.id AS source_key, r.kind, r.seen_count + COALESCE(rc.seen_count, 0) AS seen_count,
             COALESCE(rc.first_seen_at, r.received_at) AS first_seen_at, ${LAST_SEEN} AS last_seen_at,
             r.status AS state
           FROM ${RECORDS_SEEN}
           WHERE r.source_system = ? AND r.id > ? AND r.status <> 'anchored' AND (${SEEN})
           UNION ALL
           SELECT rc.source_key, rc.kind, rc.seen_count, rc.first_seen_at, rc.last_seen_at,
             ${UNSTORED_STATE_SQL} AS state
           FROM reconciliation rc WHERE rc.source_system = ? AND rc.source_key > ? AND ${UNSTORED}
         ) m ORDER BY source_key LIMIT ${limit + 1}`,
        [sourceSystem, options.after ?? '', sourceSystem, options.after ?? ''],
      ),
    );
    const items = rows.slice(0, limit).map((row): ReconciliationMismatch => ({
      sourceKey: row.source_key,
      kind: row.kind as RecordKind,
      state: row.state as ReconciliationMismatch['state'],
      seenCount: fromDb.bigint(row.seen_count),
      firstSeenAt: fromDb.timestamp(row.first_seen_at),
      lastSeenAt: fromDb.timestamp(row.last_seen_at),
    }));
    const last = items[items.length - 1];
    return rows.length > limit && last !== undefined ? { items, next: last.sourceKey } : { items };
  }
}

function sightingValues(s: LegacySighting): unknown[] {
  const at = toDbTimestamp(s.at);
  return [
    recordIdOf(s.source),
    s.source.system,
    s.source.recordId,
    s.source.version,
    s.kind,
    s.region,
    s.dept,
    at,
    at,
    1,
    s.streamSeq,
  ];
}

function summarise(
  seen: readonly { sys: string; state: string; n: number | string }[],
  notSeen: readonly { sys: string; n: number | string }[],
  lastSeen: readonly { sys: string; at: Date | string | null }[],
): ReconciliationCounts[] {
  const bySystem = new Map<
    string,
    {
      seen: number;
      byState: Record<ReconciliationState, number>;
      notSeen: number;
      lastSeenAt: Date | null;
    }
  >();
  const entry = (sys: string) => {
    let e = bySystem.get(sys);
    if (e === undefined) {
      e = {
        seen: 0,
        byState: Object.fromEntries(STATES.map((s) => [s, 0])) as Record<ReconciliationState, number>,
        notSeen: 0,
        lastSeenAt: null,
      };
      bySystem.set(sys, e);
    }
    return e;
  };
  for (const row of seen) {
    const e = entry(row.sys);
    const n = fromDb.bigint(row.n);
    e.seen += n;
    e.byState[row.state as ReconciliationState] += n;
  }
  for (const row of notSeen) entry(row.sys).notSeen += fromDb.bigint(row.n);
  for (const row of lastSeen) {
    if (row.at === null) continue;
    const e = entry(row.sys);
    const at = fromDb.timestamp(row.at);
    if (e.lastSeenAt === null || at > e.lastSeenAt) e.lastSeenAt = at;
  }
  return [...bySystem.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sourceSystem, e]) => ({ sourceSystem, ...e }));
}
