/** `POST /verify` and `GET /proofs/{kind}/{id}`. */
import { z } from 'zod';
import { AnyProofBundleSchema, FABRIC_PROOF_BUNDLE_FORMAT, PROOF_BUNDLE_FORMAT } from '../proof/index.js';
import { DepartmentSchema, RegionSchema } from '../registries/registry-schemas.js';
import { RecognitionStatusSchema } from '../schemas/recognition.js';
import { ProjectCodeSchema, RecordIdSchema, Sha256HexSchema } from '../schemas/fields.js';
import {
  AnchorKindSchema,
  CountSchema,
  InstantSchema,
  OffChainStateSchema,
  RevokedSchema,
  TxIdSchema,
} from './api-fields.js';

/** Whether one anchored record is still valid. */
export const MatchStatusSchema = z.enum(['valid', 'revoked', 'expired', 'not-yet-valid']);
export type MatchStatus = z.infer<typeof MatchStatusSchema>;

/** The overall answer: valid when some match is valid and untampered; revoked when every match is revoked. */
export const VerificationStatusSchema = z.enum(['valid', 'revoked', 'tampered', 'not-anchored']);
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
  recognitions: z.array(MatchRecognitionSchema),
  proof: z.strictObject({
    format: z.enum([PROOF_BUNDLE_FORMAT, FABRIC_PROOF_BUNDLE_FORMAT]),
    href: z.string().describe('GET /proofs/{kind}/{id}'),
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

export {
  AnyProofBundleSchema,
  FabricProofBundleSchema,
  ProofBundleSchema,
  type AnyProofBundle,
  type FabricProofBundle,
  type ProofBundle,
} from '../proof/index.js';
