import { z } from 'zod';
import { RegionSchema } from '../registries/registry-schemas.js';
import {
  CertificateNumberSchema,
  EthAddressSchema,
  RecordIdSchema,
  SignatureSchema,
  TimestampSchema,
  textSchema,
} from './fields.js';
import { addRuleIssue } from './refinements.js';

export const RecognitionSubjectTypeSchema = z.enum(['certificate', 'milestone']);
export type RecognitionSubjectType = z.infer<typeof RecognitionSubjectTypeSchema>;

export const RecognitionOutcomeSchema = z.enum(['RECOGNISED', 'REJECTED']);
export type RecognitionOutcome = z.infer<typeof RecognitionOutcomeSchema>;

export const RecognitionStatusSchema = z.enum(['PENDING', 'RECOGNISED', 'REJECTED', 'SOURCE_REVOKED']);
export type RecognitionStatus = z.infer<typeof RecognitionStatusSchema>;

/** A target region's request to recognise a result (certificate or milestone) issued in another region. */
export const RecognitionRequestSchema = z
  .strictObject({
    id: RecordIdSchema,
    subjectType: RecognitionSubjectTypeSchema,
    /** Certificate number or milestone id. */
    subjectId: CertificateNumberSchema,
    sourceRegion: RegionSchema,
    targetRegion: RegionSchema,
    note: textSchema(500).exactOptional(),
  })
  .superRefine((r, ctx) => {
    if (r.sourceRegion === r.targetRegion) {
      addRuleIssue(
        ctx,
        ['targetRegion'],
        'recognition.sameRegion',
        `target region ${r.targetRegion} is the source region; recognition is between different regions`,
      );
    }
  });

export type RecognitionRequest = z.infer<typeof RecognitionRequestSchema>;

/** The target region's signed decision on a recognition request; a rejection states its reason. */
export const RecognitionDecisionSchema = z
  .strictObject({
    recognitionId: RecordIdSchema,
    outcome: RecognitionOutcomeSchema,
    decidedAt: TimestampSchema,
    reason: textSchema(500).exactOptional(),
    signer: EthAddressSchema,
    signature: SignatureSchema,
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'REJECTED' && d.reason === undefined) {
      addRuleIssue(ctx, ['reason'], 'recognition.reasonRequired', 'a rejection must give its reason');
    }
  });

export type RecognitionDecision = z.infer<typeof RecognitionDecisionSchema>;
