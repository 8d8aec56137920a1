/**
 * The API's request and response shapes as zod schemas: requests are validated with them, and the OpenAPI
 * document is generated from them. Records themselves are protocol's schemas, never redeclared here.
 */
import {
  CertificateNumberSchema,
  MAX_BATCH,
  MilestoneSchema,
  ProjectCodeSchema,
  ProofBundleSchema,
  ReceiptSchema,
  RecognitionDecisionSchema,
  RecognitionRequestSchema,
  RecognitionStatusSchema,
  RecordIdSchema,
  RegionSchema,
  Sha256HexSchema,
  SourceKeySchema,
  TimestampSchema,
  validate,
  type Milestone,
  type ValidationResult,
} from '@approval-ledger/protocol';
import { z } from 'zod';
import { iJsonIssue } from '../ingest/i-json';

const count = z.number().int().nonnegative();
const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

// ------------------------------------------------------------------------------------------------ requests

export const MilestoneListSchema = z.array(MilestoneSchema).min(1).max(MAX_BATCH);
export const MilestonesBodySchema = z.union([MilestoneSchema, MilestoneListSchema]);

/** One milestone or an array, each issue at its own path (a union would only say that neither matched). */
export function validateMilestones(value: unknown): ValidationResult<Milestone | Milestone[]> {
  const result = Array.isArray(value)
    ? validate(MilestoneListSchema, value)
    : validate(MilestoneSchema, value);
  if (!result.ok) return result;
  const unsafe = iJsonIssue(result.value);
  return unsafe ? { ok: false, issues: [unsafe] } : result;
}
export const ProjectParamsSchema = z.strictObject({ projectCode: ProjectCodeSchema });
export const ProjectSearchQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(2, 'at least 2 characters')
    .max(200)
    .describe('project code prefix, credit code, or name fragment'),
  limit: pageLimit(100, 20),
});
export const VerifyBodySchema = z.strictObject({
  sha256: Sha256HexSchema.describe('SHA-256 of a document, or a record commitment'),
  bundle: z.boolean().optional().describe('embed each match’s proof bundle (default false: a link)'),
});
export const VerifyQuerySchema = z.strictObject({ bundle: booleanFlag });
export const ProofParamsSchema = z.strictObject({
  kind: z.enum(['milestone', 'certificate', 'credit']),
  id: z.string().min(1).max(256),
});
export const ProofQuerySchema = z.strictObject({
  sha256: Sha256HexSchema.optional(),
  opening: booleanFlag.describe('include the full record and salt (authority and auditor tokens only)'),
  chainTo: z.coerce.number().int().nonnegative().optional().describe('extend the header chain to this block'),
});
export const CertificateParamsSchema = z.strictObject({ number: CertificateNumberSchema });
export const CertificateQuerySchema = z.strictObject({
  at: TimestampSchema.optional().describe('status at this time (ISO 8601 with offset); default now'),
});
export const RecognitionParamsSchema = z.strictObject({ id: RecordIdSchema });
export const RecognitionBoardQuerySchema = z.strictObject({
  source: RegionSchema.optional(),
  target: RegionSchema.optional(),
  status: RecognitionStatusSchema.optional(),
});
export const BlocksQuerySchema = z.strictObject({
  before: z.coerce.number().int().nonnegative().optional(),
  limit: pageLimit(100, 20),
});
export const BlockParamsSchema = z.strictObject({ number: z.coerce.number().int().nonnegative() });
export const TransactionParamsSchema = z.strictObject({
  txId: z.string().regex(/^[0-9a-f]{64}$/, 'a transaction id: 64 hex digits'),
});
export const ReceiptParamsSchema = z.strictObject({ recordId: SourceKeySchema });
export const DlqQuerySchema = z.strictObject({
  after: z.coerce.number().int().nonnegative().optional(),
  code: z.string().max(128).optional(),
  replayed: booleanFlag,
  limit: pageLimit(1000, 100),
});
export const DlqParamsSchema = z.strictObject({ seq: z.coerce.number().int().positive() });
export const AuditLogQuerySchema = z.strictObject({
  after: z.coerce.number().int().nonnegative().optional(),
  subject: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  resource: z.string().max(300).optional(),
  since: TimestampSchema.optional(),
  until: TimestampSchema.optional(),
  limit: pageLimit(1000, 100),
});
export const TokenParamsSchema = z.strictObject({ jti: z.string().min(1).max(64) });
export const TokenRevokeBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const ProblemParamsSchema = z.strictObject({ slug: z.string().max(64) });
export { RecognitionDecisionSchema, RecognitionRequestSchema };

// ----------------------------------------------------------------------------------------------- responses

export const AcceptedMilestonesSchema = z.object({
  accepted: count,
  receipts: z.array(
    z.object({
      recordId: SourceKeySchema,
      milestoneId: z.string(),
      duplicate: z.boolean().describe('the same source record + version was accepted before'),
      receiptSubject: z.string(),
      receiptHref: z.string(),
    }),
  ),
});

const AnchoredAtSchema = z.object({ txId: z.string(), blockNumber: count, at: z.string() });
const RevokedSchema = z.object({
  at: z.string(),
  reason: z.string().nullable(),
  txId: z.string().nullable(),
});

export const VerificationResultSchema = z.object({
  sha256: Sha256HexSchema,
  anchored: z.boolean(),
  status: z.enum(['valid', 'revoked', 'tampered', 'not-anchored']),
  checkedAt: z.string(),
  matches: z.array(
    z.object({
      kind: z.enum(['milestone', 'certificate', 'credit']),
      id: z.string(),
      matchedBy: z.enum(['commitment', 'document']),
      status: z.enum(['valid', 'revoked', 'expired', 'not-yet-valid']),
      tampered: z.boolean(),
      offChain: z.enum(['match', 'mismatch', 'missing']),
      region: z.string(),
      dept: z.string().nullable(),
      projectCode: z.string().nullable(),
      commitment: Sha256HexSchema,
      anchored: AnchoredAtSchema,
      revoked: RevokedSchema.optional(),
      recognitions: z.array(
        z.object({ id: z.string(), sourceRegion: z.string(), targetRegion: z.string(), status: z.string() }),
      ),
      proof: z.object({ format: z.literal('approval-ledger/proof@1'), href: z.string() }),
      bundle: ProofBundleSchema.optional(),
    }),
  ),
});

const ProvenanceEntrySchema = z.looseObject({
  kind: z.string(),
  id: z.string(),
  region: z.string(),
  dept: z.string().nullable(),
  stage: z.string().nullable(),
  decision: z.string().nullable(),
  decidedAt: z.string().nullable(),
  commitment: Sha256HexSchema,
  documentDigests: z.array(Sha256HexSchema),
  txId: z.string(),
  blockNumber: count,
  recordedAt: z.string(),
  endorsedBy: z.array(z.string()),
  submittedBy: z.string().nullable(),
  revoked: RevokedSchema.optional(),
  offChain: z.enum(['match', 'mismatch', 'missing']),
  tampered: z.boolean(),
  dataClass: z.string().optional(),
  record: z.unknown().optional().describe('the full off-chain record'),
  withheld: z
    .string()
    .optional()
    .describe(
      'why `record` is left out: a sensitive record of another region, with no recognition about it for the token’s region',
    ),
});

export const ProgressSchema = z.looseObject({
  projectType: z.string(),
  projectTypeBasis: z.string(),
  completed: count,
  total: count,
  percent: count,
  stages: z.array(
    z.looseObject({
      stage: z.string(),
      dept: z.string(),
      status: z.enum(['done', 'ready', 'blocked']),
      waitingFor: z.array(z.string()),
      completedAt: z.string().optional(),
      expected: z.object({ medianAt: z.string(), p90At: z.string() }).optional(),
      history: z.object({ samples: count, medianDays: z.number(), p90Days: z.number() }).optional(),
    }),
  ),
  expectedCompletion: z.looseObject({ status: z.enum(['complete', 'projected', 'unknown']) }),
  basis: z.string(),
});

export const ProvenanceSchema = z.object({
  projectCode: z.string(),
  region: z.string().nullable(),
  projectName: z.string().nullable(),
  projectType: z.string(),
  milestones: z.array(ProvenanceEntrySchema),
  certificates: z.array(ProvenanceEntrySchema),
  recognitions: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  unanchored: z.array(
    z.object({ sourceKey: z.string(), kind: z.string(), status: z.string(), reason: z.string().nullable() }),
  ),
  progress: ProgressSchema,
});

export const ProjectSearchSchema = z.object({
  query: z.string(),
  projects: z.array(
    z.object({
      projectCode: z.string(),
      region: z.string(),
      milestones: count,
      certificates: count,
      lastDecision: z
        .object({ stage: z.string().nullable(), decision: z.string().nullable(), at: z.string().nullable() })
        .nullable(),
    }),
  ),
});

export const CertificateStatusSchema = z.looseObject({
  number: z.string(),
  at: z.string(),
  status: z.enum(['VALID', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID']),
  valid: z.boolean(),
  certificate: z.unknown(),
  history: z.array(z.object({ txId: z.string(), timestamp: z.string(), revoked: z.boolean() })),
  recognitions: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  offChain: z.enum(['match', 'mismatch', 'missing']),
  tampered: z.boolean(),
  dataClass: z.string().optional(),
  record: z.unknown().optional().describe('the full off-chain record'),
  withheld: z
    .string()
    .optional()
    .describe(
      'why `record` is left out: a sensitive record of another region, with no recognition about it for the token’s region',
    ),
});

export const RecognitionOutcomeSchema = z.object({
  recognition: z.looseObject({ id: z.string(), status: RecognitionStatusSchema }),
  txId: z.string(),
  blockNumber: count,
});

export const RecognitionBoardSchema = z.object({
  recognitions: z.array(
    z.looseObject({
      id: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      sourceRegion: z.string(),
      targetRegion: z.string(),
      status: z.string(),
    }),
  ),
});

const BlockSummarySchema = z.object({
  number: count,
  hash: z.string(),
  previousHash: z.string(),
  dataHash: z.string(),
  txCount: count,
  validTxCount: count,
  records: count,
  time: z.string().nullable(),
  signers: z.array(z.string()),
});

export const BlockPageSchema = z.object({ height: count, blocks: z.array(BlockSummarySchema) });
const hex256 = z.string().describe('lower-case hex SHA-256');
const LedgerSignatureSchema = z.object({
  mspId: z.string(),
  certificate: z.string().describe('PEM X.509 certificate of the signing node or client'),
  signature: z.string().describe('base64 of the DER ECDSA P-256 signature (low S)'),
});
const BlockSignatureSchema = LedgerSignatureSchema.extend({
  signedPrefix: z
    .string()
    .optional()
    .describe(
      'Fabric only: base64 of the bytes the orderer signed before the block header, Metadata.value ‖ ' +
        'MetadataSignature.signature_header of the SIGNATURES metadata; the signature is over signedPrefix ‖ ' +
        'the ASN.1 DER block header (number, previousHash, dataHash). Absent on the embedded engine, whose ' +
        'orderer signs the canonical header text',
    ),
});
const BlockTransactionSchema = z.object({
  txId: z.string(),
  blockNumber: count,
  txIndex: count.describe('position in the block: the Merkle leaf index of `envelope` (embedded)'),
  validationCode: z.string().describe('Fabric validation code name, e.g. VALID, MVCC_READ_CONFLICT'),
  timestamp: z.string().describe('proposal time, ISO 8601 UTC with nanoseconds'),
  type: z.enum(['config', 'endorser']),
  creator: z.object({ mspId: z.string(), certificate: z.string() }).nullable(),
  chaincodeName: z.string().nullable(),
  function: z.string().nullable(),
  endorsements: z.array(LedgerSignatureSchema),
  event: z.object({ name: z.string(), payload: z.unknown() }).nullable(),
  envelopeBytes: count,
  envelope: z
    .string()
    .describe(
      'base64 of the exact envelope bytes the data hash covers: embedded, the UTF-8 canonical JSON transaction ' +
        '(format approval-ledger/embedded-block@1: proposal, creatorSignature, response, rwset, event, ' +
        'endorsements; block 0 holds the channel configuration with each organisation’s CA certificate), the ' +
        'RFC 6962 Merkle leaf; Fabric, the protobuf Envelope',
    ),
});
export const BlockSchema = z.object({
  number: count,
  hash: hex256.describe('the block hash: SHA-256 of the canonical header (embedded) or of its DER (Fabric)'),
  previousHash: hex256,
  dataHash: hex256,
  dataHashScheme: z
    .enum(['rfc6962', 'fabric'])
    .describe('rfc6962: Merkle root over the envelopes (embedded); fabric: SHA-256 of their concatenation'),
  signatures: z
    .array(BlockSignatureSchema)
    .describe(
      'the orderer’s signatures: over the canonical header text (embedded), or over signedPrefix ‖ the DER ' +
        'header (Fabric)',
    ),
  transactions: z.array(BlockTransactionSchema),
});
export const TransactionSchema = BlockTransactionSchema.extend({
  args: z.array(z.string()),
  records: z
    .array(z.object({ kind: z.string(), id: z.string(), commitment: z.string() }))
    .describe('records this transaction anchored or revoked'),
});
export const ReceiptsSchema = z.object({ recordId: z.string(), receipts: z.array(ReceiptSchema) });
export const StatsSchema = z.looseObject({
  chain: z.looseObject({
    height: count,
    byRegion: z.record(z.string(), count).describe('anchored records by region code (BJ, TJ, HE)'),
    byDept: z
      .record(z.string(), count)
      .describe('anchored records by department code (DRC, PNR, HC, EE, FIRE, SAMR, CREDIT)'),
  }),
  offChain: z.unknown(),
  recentBlocks: z.array(BlockSummarySchema),
});
export const DeadLettersSchema = z.object({
  deadLetters: z.array(z.looseObject({ seq: count, code: z.string(), reason: z.string() })),
});
export const DeadLetterSchema = z.looseObject({
  seq: count,
  subject: z.string(),
  code: z.string(),
  reason: z.string(),
});
export const ReplaySchema = z.object({
  seq: count,
  subject: z.string(),
  msgId: z.string(),
  replayCount: count,
});
export const AuditLogSchema = z.object({
  entries: z.array(z.looseObject({ seq: count, action: z.string(), resource: z.string() })),
});
export const ReconciliationSchema = z.looseObject({
  chain: z.unknown(),
  sources: z.array(
    z.looseObject({
      sourceSystem: z.string(),
      seen: count.describe('distinct record versions seen on LEGACY'),
      byState: z.record(z.string(), count),
      notSeen: count.describe('records of this system that never came through LEGACY'),
      lastSeenAt: z
        .string()
        .nullable()
        .describe('when the hub last saw a LEGACY message from this system (ISO 8601); null: never'),
    }),
  ),
});
export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});
export const TokenRevokedSchema = z.object({ jti: z.string(), revoked: z.boolean() });
export const ProofBundleResponseSchema = ProofBundleSchema;
