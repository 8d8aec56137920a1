/** `POST /verify` and `GET /proofs/{kind}/{id}`. */
import { z } from 'zod';
import {
  AnyProofBundleSchema,
  FABRIC_PROOF_BUNDLE_FORMAT,
  PROOF_BUNDLE_FORMAT,
  ProofStatusSchema,
  VerifiableProofBundleSchema,
} from '../proof/index.js';
import { DepartmentSchema, RegionSchema } from '../registries/registry-schemas.js';
import { RecognitionStatusSchema } from '../schemas/recognition.js';
import { ProjectCodeSchema, RecordIdSchema, Sha256HexSchema } from '../schemas/fields.js';
import { validate, type ValidationResult } from '../validate.js';
import { type VerifyBody, VerifyBodySchema } from './requests.js';
import {
  AnchorKindSchema,
  CountSchema,
  InstantSchema,
  OffChainStateSchema,
  RevokedSchema,
  TxIdSchema,
} from './api-fields.js';

/**
 * Whether one anchored record is still valid; `superseded`: the hash names a version of a corrected record
 * (更正) that a later version replaced.
 */
export const MatchStatusSchema = z.enum(['valid', 'revoked', 'expired', 'not-yet-valid', 'superseded']);
export type MatchStatus = z.infer<typeof MatchStatusSchema>;

/**
 * The overall answer: valid when some match is valid and untampered; superseded when none is valid and some
 * match is a superseded version; revoked otherwise.
 */
export const VerificationStatusSchema = z.enum([
  'valid',
  'revoked',
  'tampered',
  'not-anchored',
  'superseded',
]);
export type VerificationStatus = z.infer<typeof VerificationStatusSchema>;

/** A recognition of a matched record. */
export const MatchRecognitionSchema = z.strictObject({
  id: RecordIdSchema,
  sourceRegion: RegionSchema,
  targetRegion: RegionSchema,
  status: RecognitionStatusSchema,
});
export type MatchRecognition = z.infer<typeof MatchRecognitionSchema>;

/** One anchored record that names the verified hash (as its commitment or a document's digest). */
export const VerifyMatchSchema = z.strictObject({
  kind: AnchorKindSchema,
  id: z.string().min(1).describe('milestone id, certificate number or credit evaluation id'),
  matchedBy: z.enum(['commitment', 'document']),
  status: MatchStatusSchema,
  tampered: z.boolean().describe('the off-chain record no longer opens its on-chain commitment'),
  offChain: OffChainStateSchema,
  region: RegionSchema,
  dept: DepartmentSchema.nullable(),
  projectCode: ProjectCodeSchema.nullable(),
  commitment: Sha256HexSchema,
  anchored: z.strictObject({ txId: TxIdSchema, blockNumber: CountSchema, at: InstantSchema }),
  revoked: RevokedSchema.optional().describe('the status is `revoked` from `at` on'),
  version: z
    .strictObject({
      number: z.number().int().min(1),
      latest: z.boolean(),
      supersededBy: z
        .strictObject({ version: z.number().int().min(1), txId: TxIdSchema, blockNumber: CountSchema })
        .optional(),
    })
    .optional()
    .describe('the version of a corrected record (更正) the hash names, and whether it is the latest'),
  recognitions: z.array(MatchRecognitionSchema),
  proof: z.strictObject({
    format: z.enum([PROOF_BUNDLE_FORMAT, FABRIC_PROOF_BUNDLE_FORMAT]),
    href: z.string().describe('GET /proofs/{kind}/{id}'),
    checkpointed: z
      .boolean()
      .optional()
      .describe(
        "whether the latest checkpoint of the hub's transparency log covers the record's block (and, for a " +
          'superseded version, the block of the version that superseded it), so that its v2 bundle (`href` with ' +
          '`&version=2`) can be built now; false until the next checkpoint, and on a hub without a transparency ' +
          'log (absent from hubs before 2026-12)',
      ),
  }),
  bundle: AnyProofBundleSchema.optional().describe(
    'the proof bundle (embedded or Fabric format), when asked for with `bundle: true`',
  ),
});
export type VerifyMatch = z.infer<typeof VerifyMatchSchema>;

/** `POST /verify`. */
export const VerifyResponseSchema = z.strictObject({
  sha256: Sha256HexSchema,
  anchored: z.boolean(),
  status: VerificationStatusSchema,
  matches: z.array(VerifyMatchSchema),
  checkedAt: InstantSchema,
});
export type VerifyResponse = z.infer<typeof VerifyResponseSchema>;

/**
 * `POST /verify` with a proof bundle (`{"proofBundle": …}`): the hub runs the one verifier of the protocol
 * package on it, pinned to its own ledger's genesis, log key and witnesses, and answers the verdict.
 */
export const VerifyBundleBodySchema = z.strictObject({
  proofBundle: VerifiableProofBundleSchema.describe('a proof bundle, v1 (either engine) or v2'),
  maxStatusAgeSeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('a v2 status proof older than this (from its newest pinned cosignature) is stale'),
});
export type VerifyBundleBody = z.infer<typeof VerifyBundleBodySchema>;

/**
 * The body of `POST /verify`: a proof bundle when it has `proofBundle`, else a hash. Validated against the one
 * schema it means, so a refusal names that schema's field (a union would only say `invalid_union`).
 */
export function validateVerifyBody(value: unknown): ValidationResult<VerifyBody | VerifyBundleBody> {
  return typeof value === 'object' && value !== null && 'proofBundle' in value
    ? validate(VerifyBundleBodySchema, value)
    : validate(VerifyBodySchema, value);
}

const CheckJsonSchema = z.strictObject({
  name: z.string(),
  status: z.enum(['verified', 'failed', 'unchecked', 'not-applicable']),
  detail: z.string().optional(),
});

export const BundleVerificationSchema = z.strictObject({
  verdict: z
    .object({
      ok: z.boolean(),
      status: ProofStatusSchema,
      checks: z.array(CheckJsonSchema),
      assurance: z
        .object({
          bundle: z.enum(['v1', 'v2']),
          statusProof: z.enum(['current', 'stale', 'unauthenticated', 'missing', 'failed']),
          levels: z.array(
            z.strictObject({
              level: z.string(),
              status: z.enum(['proven', 'not-proven', 'failed']),
              detail: z.string(),
            }),
          ),
          summary: z.array(z.string()),
        })
        .catchall(z.unknown())
        .optional(),
      version: z
        .strictObject({
          number: z.number().int().min(1),
          latest: z.boolean().optional(),
          basis: z.enum(['checkpoint', 'statement', 'none']),
          supersededBy: z
            .strictObject({ version: z.number().int().min(1), txId: z.string(), block: z.number().int() })
            .optional(),
          asOfCheckpoint: z.number().int().optional(),
        })
        .optional()
        .describe('the version proven (corrections, 更正) and whether it is the latest, on what basis'),
    })
    .catchall(z.unknown())
    .describe('the protocol verifier’s ProofVerdict'),
  pinnedTo: z.strictObject({
    genesis: z.string().nullable(),
    logKey: z.string().nullable(),
    witnesses: z.array(z.string()),
    quorum: z.number().int().nonnegative(),
  }),
  checkedAt: InstantSchema,
});
export type BundleVerification = z.infer<typeof BundleVerificationSchema>;

export {
  AnyProofBundleSchema,
  FabricProofBundleSchema,
  ProofBundleSchema,
  type AnyProofBundle,
  type FabricProofBundle,
  type ProofBundle,
} from '../proof/index.js';
