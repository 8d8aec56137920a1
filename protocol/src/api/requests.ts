/**
 * What the API accepts: path parameters, queries and bodies. The hub validates every request with these;
 * records are protocol's record schemas.
 */
import { z } from 'zod';
import { MAX_BATCH } from '../chaincode-events.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import {
  CertificateNumberSchema,
  ProjectCodeSchema,
  RecordIdSchema,
  Sha256HexSchema,
  SourceKeySchema,
  TimestampSchema,
} from '../schemas/fields.js';
import { MilestoneSchema, type Milestone } from '../schemas/milestone.js';
import { RecognitionStatusSchema } from '../schemas/recognition.js';
import { addRuleIssue } from '../schemas/refinements.js';
import { iJsonIssue, validate, type ValidationResult } from '../validate.js';
import { AnchorKindSchema, TxIdSchema } from './api-fields.js';

/**
 * A number in a path or query: only the canonical decimal spelling of a non-negative integer (`0`, `17`), within
 * `[min, max]`. No sign, space, exponent, hex, fraction or leading zero, nothing above MAX_SAFE_INTEGER: what
 * `Number()` would also accept (`' '` -> 0, `1e3`, `0x10`) is refused, naming the rule.
 */
export function decimalInteger(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!/^(0|[1-9][0-9]*)$/.test(value)) {
        const shown = JSON.stringify(value.slice(0, 40));
        addRuleIssue(
          ctx,
          [],
          'integer.decimal',
          `${shown} is not a decimal integer: digits only, no sign, space, exponent, hex, fraction or leading zero`,
        );
      } else if (value.length > 16 || Number(value) < min || Number(value) > max) {
        addRuleIssue(ctx, [], 'integer.range', `${value.slice(0, 40)} is outside ${min}..${max}`);
      }
    })
    .transform(Number)
    .meta({ type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: `a decimal integer, ${min}..${max}` });
}

const pageLimit = (max: number, fallback: number) => decimalInteger(1, max).default(fallback);
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const MilestoneListSchema = z.array(MilestoneSchema).min(1).max(MAX_BATCH);
/** `POST /milestones`: one milestone or an array of up to MAX_BATCH. */
export const MilestonesBodySchema = z.union([MilestoneSchema, MilestoneListSchema]);

/**
 * One milestone or an array, each issue at its own path (a union would only say that neither matched); a
 * record that passes the schema but cannot be canonicalized (not I-JSON) is refused too.
 */
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
export type VerifyBody = z.infer<typeof VerifyBodySchema>;
export const VerifyQuerySchema = z.strictObject({ bundle: booleanFlag });
export const ProofParamsSchema = z.strictObject({
  kind: AnchorKindSchema,
  id: z.string().min(1).max(256),
});
export const ProofQuerySchema = z.strictObject({
  sha256: Sha256HexSchema.optional(),
  opening: booleanFlag.describe('include the full record and salt (authority and auditor tokens only)'),
  version: z
    .enum(['1', '2'])
    .optional()
    .describe('2: the proof bundle v2, proven against the latest cosigned checkpoint and its status tree'),
  chainTo: decimalInteger().optional().describe('extend the header chain to this block'),
  recordVersion: decimalInteger(1, 1_000_000)
    .optional()
    .describe(
      'the version of a corrected (更正) certificate or milestone to prove (default: the current one); the bundle says whether it is the latest',
    ),
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
  before: decimalInteger().optional(),
  limit: pageLimit(100, 20),
});
export const BlockParamsSchema = z.strictObject({ number: decimalInteger() });
export const TransactionParamsSchema = z.strictObject({ txId: TxIdSchema });
export const ReceiptParamsSchema = z.strictObject({ recordId: SourceKeySchema });
export const DlqQuerySchema = z.strictObject({
  after: decimalInteger().optional(),
  code: z.string().max(128).optional(),
  replayed: booleanFlag,
  limit: pageLimit(1000, 100),
});
export const DlqParamsSchema = z.strictObject({ seq: decimalInteger(1) });
export const AuditLogQuerySchema = z.strictObject({
  after: decimalInteger().optional(),
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
export {
  RecognitionDecisionSchema as RecognitionDecisionBodySchema,
  RecognitionRequestSchema as RecognitionRequestBodySchema,
} from '../schemas/recognition.js';
