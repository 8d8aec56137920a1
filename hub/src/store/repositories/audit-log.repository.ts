/**
 * The append-only audit log: who did or read what, when, with what outcome. There is no update or delete
 * here, and the database refuses both on `audit_log` (triggers).
 */
export type AuditOutcome = 'success' | 'denied' | 'failure';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'denied', 'failure'];

/** Who acted: the claims of the bearer token, or nulls for anonymous and system actions. */
export interface AuditActor {
  readonly subject: string | null;
  readonly jti: string | null;
  readonly region: string | null;
  readonly role: string | null;
  readonly dept: string | null;
}

export interface AuditEntry {
  readonly at: Date;
  readonly actor: AuditActor;
  /** What was done, e.g. `project.read`, `dlq.replay`, `token.revoke`. */
  readonly action: string;
  /** What it was done to, e.g. `project:2025-110105-48-01-000123`. */
  readonly resource: string;
  readonly outcome: AuditOutcome;
  readonly requestId?: string | null;
  /** JSON-safe extra facts, stored as canonical JSON. */
  readonly details?: Readonly<Record<string, unknown>> | null;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly seq: number;
  readonly requestId: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
}

export interface AuditLogQuery {
  /** Exclusive lower bound on seq, for paging. */
  readonly after?: number;
  readonly subject?: string;
  readonly resource?: string;
  readonly action?: string;
  readonly since?: Date;
  readonly until?: Date;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface AuditLogRepository {
  /** Appends one entry or several (one INSERT). */
  append(entries: AuditEntry | readonly AuditEntry[]): Promise<void>;
  /** Entries in seq order. */
  list(query?: AuditLogQuery): Promise<StoredAuditEntry[]>;
}
