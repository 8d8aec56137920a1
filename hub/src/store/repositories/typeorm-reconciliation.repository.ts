import { recordIdOf } from '@approval-ledger/protocol';
import { fromDb, toDbTimestamp } from '../column-types';
import { onDuplicateKey } from '../sql-dialect';
import { insertRows, type RowInsert, select, type SqlExecutor } from '../sql-executor';
import { type RecordKind } from './record.repository';
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

/** The state of each seen version: its record's status, else dead-lettered or missing. */
const STATE_SQL = `CASE WHEN r.id IS NOT NULL THEN r.status
  WHEN EXISTS (SELECT 1 FROM dead_letters d WHERE d.source_key = rc.source_key) THEN 'dead-lettered'
  ELSE 'missing' END`;

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
    await this.#db.transaction((manager) => insertRows(manager, insert, sightings.map(sightingValues)));
  }

  async report(): Promise<ReconciliationCounts[]> {
    return this.#db.run(async (manager) => {
      const seen = await select<{ sys: string; state: string; n: number | string }>(
        manager,
        `SELECT rc.source_system AS sys, ${STATE_SQL} AS state, COUNT(*) AS n
         FROM reconciliation rc LEFT JOIN records r ON r.id = rc.source_key GROUP BY sys, state`,
        [],
      );
      const lastSeen = await select<{ sys: string; at: Date | string | null }>(
        manager,
        'SELECT source_system AS sys, MAX(last_seen_at) AS at FROM reconciliation GROUP BY source_system',
        [],
      );
      const notSeen = await select<{ sys: string; n: number | string }>(
        manager,
        `SELECT r.source_system AS sys, COUNT(*) AS n FROM records r
         WHERE NOT EXISTS (SELECT 1 FROM reconciliation rc WHERE rc.source_key = r.id) GROUP BY sys`,
        [],
      );
      return summarise(seen, notSeen, lastSeen);
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
        `SELECT rc.source_key, rc.kind, rc.seen_count, rc.first_seen_at, rc.last_seen_at, ${STATE_SQL} AS state
         FROM reconciliation rc LEFT JOIN records r ON r.id = rc.source_key
         WHERE rc.source_system = ? AND rc.source_key > ? AND (r.id IS NULL OR r.status <> 'anchored')
         ORDER BY rc.source_key LIMIT ${limit + 1}`,
        [sourceSystem, options.after ?? ''],
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
  for (const row of notSeen) entry(row.sys).notSeen = fromDb.bigint(row.n);
  for (const row of lastSeen) if (row.at !== null) entry(row.sys).lastSeenAt = fromDb.timestamp(row.at);
  return [...bySystem.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sourceSystem, e]) => ({ sourceSystem, ...e }));
}
