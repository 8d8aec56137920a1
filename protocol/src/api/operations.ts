/**
 * For operators and the explorer: `GET /stats`, dead letters, `GET /reconciliation`, `GET /audit-log`, token
 * revocation, health and readiness, the problem types and the OpenAPI document itself.
 */
import { z } from 'zod';
import { DepartmentSchema, RegionSchema, RoleSchema } from '../registries/registry-schemas.js';
import { EnvelopeKindSchema } from '../schemas/envelope.js';
import { CountSchema, InstantSchema } from './api-fields.js';
import { BlockSummarySchema } from './chain.js';

/** Where a stored record stands with the ledger. */
export const AnchorStatusSchema = z.enum(['pending', 'anchored', 'conflict', 'rejected']);
export type AnchorStatus = z.infer<typeof AnchorStatusSchema>;

/** `GET /stats`: the dashboard's figures. */
export const DashboardStatsSchema = z.strictObject({
  chain: z.strictObject({
    height: CountSchema,
    indexedBlock: z.number().int().min(-1).describe('the last block the chain index holds (-1: none yet)'),
    engine: z.enum(['embedded', 'fabric']),
    milestones: CountSchema,
    certificates: CountSchema,
    revokedCertificates: CountSchema,
    credits: CountSchema,
    projects: CountSchema,
    recognitions: CountSchema,
    byRegion: z.partialRecord(RegionSchema, CountSchema).describe('anchored records by region code'),
    byDept: z
      .partialRecord(DepartmentSchema, CountSchema)
      .describe('anchored records by department code (records without one, credit events, are not counted)'),
  }),
  offChain: z.strictObject({
    records: z.record(AnchorStatusSchema, CountSchema).describe('stored records by anchoring status'),
    deadLetters: CountSchema,
  }),
  ingest: z.strictObject({
    consumerLag: CountSchema.nullable().describe(
      'LEGACY messages not yet delivered to ingest; null: unknown',
    ),
    inFlight: CountSchema.nullable().describe('messages being worked on; null: no ingest in this process'),
  }),
  recentBlocks: z.array(BlockSummarySchema),
  at: InstantSchema,
});
export type DashboardStats = z.infer<typeof DashboardStatsSchema>;

/** A dead letter as listed (`GET /dlq`). */
export const DeadLetterSchema = z.strictObject({
  seq: z.number().int().positive().describe('its DLQ stream sequence'),
  subject: z.string().describe('ledger.dlq.<region>.<dept>'),
  originSubject: z.string().nullable().describe('the subject the message was refused on'),
  code: z.string().describe('DLQ_CODES, e.g. VALIDATION_FAILED'),
  reason: z.string(),
  sourceKey: z.string().nullable(),
  receivedAt: InstantSchema,
  replayedAt: InstantSchema.nullable(),
  replayCount: CountSchema,
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/** `GET /dlq/{seq}`: one dead letter with its headers and the message as received. */
export const DeadLetterDetailSchema = DeadLetterSchema.extend({
  headers: z.record(z.string(), z.array(z.string())),
  payload: z
    .strictObject({ encoding: z.enum(['utf8', 'base64']), data: z.string(), bytes: CountSchema })
    .describe('the message as received: UTF-8 text when it is text, else base64'),
});
export type DeadLetterDetail = z.infer<typeof DeadLetterDetailSchema>;

/** `GET /dlq`. */
export const DeadLetterListSchema = z.strictObject({ deadLetters: z.array(DeadLetterSchema) });
export type DeadLetterList = z.infer<typeof DeadLetterListSchema>;

/** `POST /dlq/{seq}/replay` (202). */
export const ReplayResultSchema = z.strictObject({
  seq: z.number().int().positive(),
  subject: z.string().describe('the legacy.* subject it was re-published on'),
  msgId: z.string().describe('its fresh Nats-Msg-Id, replay:<seq>:<n>'),
  replayCount: CountSchema,
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

/** Who acted: the claims of the bearer token, or nulls for anonymous and system actions. */
export const AuditActorSchema = z.strictObject({
  subject: z.string().nullable(),
  jti: z.string().nullable(),
  region: RegionSchema.nullable(),
  role: RoleSchema.nullable(),
  dept: DepartmentSchema.nullable(),
});
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** One audit log entry. */
export const AuditEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  at: InstantSchema,
  actor: AuditActorSchema,
  action: z.string().describe('what was done, e.g. record.read, dlq.replay, token.revoke'),
  resource: z.string().describe('what it was done to, e.g. project:2025-110105-48-01-000123'),
  outcome: z.enum(['success', 'denied', 'failure']),
  requestId: z.string().nullable(),
  details: z
    .record(z.string(), z.json())
    .nullable()
    .describe('extra facts, which vary by action (JSON, stored as canonical JSON)'),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** `GET /audit-log`: entries in order. */
export const AuditPageSchema = z.strictObject({ entries: z.array(AuditEntrySchema) });
export type AuditPage = z.infer<typeof AuditPageSchema>;

/** A kind of drift between the store and the chain. */
export const DriftKindSchema = z.enum([
  'record-tampered',
  'commitment-mismatch',
  'missing-on-chain',
  'missing-off-chain',
]);
export type DriftKind = z.infer<typeof DriftKindSchema>;

/** The last complete pass of the store against the chain. */
export const ReconciliationPassSchema = z.strictObject({
  startedAt: InstantSchema,
  finishedAt: InstantSchema,
  checked: CountSchema,
  drift: z.record(DriftKindSchema, CountSchema),
  examples: z
    .array(
      z.strictObject({
        recordId: z.string(),
        kind: EnvelopeKindSchema,
        ledgerKey: z.string(),
        drift: DriftKindSchema,
      }),
    )
    .describe('the first drifting records found (at most 100)'),
});
export type ReconciliationPass = z.infer<typeof ReconciliationPassSchema>;

/** Where a record version seen on LEGACY stands: its record's status, or why there is no record. */
export const ReconciliationStateSchema = z.enum([...AnchorStatusSchema.options, 'dead-lettered', 'missing']);
export type ReconciliationState = z.infer<typeof ReconciliationStateSchema>;

/** One legacy source system: its records seen on LEGACY against the store. */
export const SourceReconciliationSchema = z.strictObject({
  sourceSystem: z.string(),
  seen: CountSchema.describe('distinct record versions seen on LEGACY'),
  byState: z.record(ReconciliationStateSchema, CountSchema),
  notSeen: CountSchema.describe('records of this system that never came through LEGACY'),
  lastSeenAt: InstantSchema.nullable().describe(
    'when the hub last saw a LEGACY message from this system (ISO 8601); null: never',
  ),
});
export type SourceReconciliation = z.infer<typeof SourceReconciliationSchema>;

/** `GET /reconciliation`. */
export const ReconciliationReportSchema = z.strictObject({
  chain: ReconciliationPassSchema.nullable().describe('null until a first pass completed'),
  sources: z.array(SourceReconciliationSchema),
});
export type ReconciliationReport = z.infer<typeof ReconciliationReportSchema>;

/** `GET /healthz`, `GET /readyz`. */
export const HealthSchema = z.strictObject({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional().describe('each dependency: `ok` or why not'),
});
export type Health = z.infer<typeof HealthSchema>;

/** `POST /tokens/{jti}/revoke`. */
export const TokenRevokedSchema = z.strictObject({
  jti: z.string(),
  revoked: z.boolean().describe('false: it was already revoked'),
});
export type TokenRevoked = z.infer<typeof TokenRevokedSchema>;

/** One failing field of a validation problem. */
export const ProblemFieldSchema = z.strictObject({
  path: z.string(),
  rule: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details, as every error of the API is returned (extension members allowed). */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().optional().describe('the chaincode error code, for ledger refusals'),
  errors: z.array(ProblemFieldSchema).optional().describe('for validation failures: every failing field'),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** `GET /problems/{slug}`: what a problem type means. */
export const ProblemTypeSchema = z.strictObject({
  type: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string(),
});
export type ProblemType = z.infer<typeof ProblemTypeSchema>;

/** `GET /openapi.json`: an OpenAPI 3.1 document (its own schema is OpenAPI's, not repeated here). */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.looseObject({ operationId: z.string() }))),
});
export type OpenApiDocument = z.infer<typeof OpenApiDocumentSchema>;
