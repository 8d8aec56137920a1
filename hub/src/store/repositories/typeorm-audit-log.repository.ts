import { canonicalize } from '@approval-ledger/protocol';
import { fromDb, toDbTimestamp } from '../column-types';
import { insertRows, type RowInsert, select, type SqlExecutor } from '../sql-executor';
import {
  type AuditEntry,
  type AuditLogQuery,
  type AuditLogRepository,
  type AuditOutcome,
  type StoredAuditEntry,
} from './audit-log.repository';

const COLUMNS = [
  'at',
  'actor_subject',
  'actor_jti',
  'actor_region',
  'actor_role',
  'actor_dept',
  'action',
  'resource',
  'outcome',
  'request_id',
  'details_json',
] as const;

interface AuditRow {
  seq: number | string;
  at: Date | string;
  actor_subject: string | null;
  actor_jti: string | null;
  actor_region: string | null;
  actor_role: string | null;
  actor_dept: string | null;
  action: string;
  resource: string;
  outcome: string;
  request_id: string | null;
  details_json: string | null;
}

const INSERT: RowInsert = { table: 'audit_log', columns: COLUMNS };

export class TypeormAuditLogRepository implements AuditLogRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async append(entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const list: readonly AuditEntry[] = isEntryList(entries) ? entries : [entries];
    if (list.length === 0) return;
    await this.#db.transaction((manager) => insertRows(manager, INSERT, list.map(entryValues)));
  }

  async list(query: AuditLogQuery = {}): Promise<StoredAuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (query.after !== undefined) add('seq > ?', query.after);
    if (query.subject !== undefined) add('actor_subject = ?', query.subject);
    if (query.resource !== undefined) add('resource = ?', query.resource);
    if (query.action !== undefined) add('action = ?', query.action);
    if (query.since !== undefined) add('at >= ?', toDbTimestamp(query.since));
    if (query.until !== undefined) add('at < ?', toDbTimestamp(query.until));
    const limit = Math.min(Math.max(1, query.limit ?? 100), 1000);
    const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.#db.run((manager) =>
      select<AuditRow>(manager, `SELECT * FROM audit_log${filter} ORDER BY seq LIMIT ${limit}`, params),
    );
    return rows.map(toStored);
  }
}

function isEntryList(entries: AuditEntry | readonly AuditEntry[]): entries is readonly AuditEntry[] {
  return Array.isArray(entries);
}

function entryValues(e: AuditEntry): unknown[] {
  return [
    toDbTimestamp(e.at),
    e.actor.subject,
    e.actor.jti,
    e.actor.region,
    e.actor.role,
    e.actor.dept,
    e.action,
    e.resource,
    e.outcome,
    e.requestId ?? null,
    e.details === undefined || e.details === null ? null : canonicalize(e.details),
  ];
}

function toStored(row: AuditRow): StoredAuditEntry {
  return {
    seq: fromDb.bigint(row.seq),
    at: fromDb.timestamp(row.at),
    actor: {
      subject: row.actor_subject,
      jti: row.actor_jti,
      region: row.actor_region,
      role: row.actor_role,
      dept: row.actor_dept,
    },
    action: row.action,
    resource: row.resource,
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
    details: row.details_json === null ? null : (JSON.parse(row.details_json) as Record<string, unknown>),
  };
}
