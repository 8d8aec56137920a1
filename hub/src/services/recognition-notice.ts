/**
 * What the hub publishes on `ledger.recognition.<region>` (stream RECOGNITIONS) for every region a
 * recognition concerns: requests, decisions, and source revocations (a recognised certificate revoked).
 */
import {
  RecognitionStatusSchema,
  RecognitionSubjectTypeSchema,
  RegionSchema,
  TimestampSchema,
} from '@approval-ledger/protocol';
import { z } from 'zod';

export const RecognitionNoticeSchema = z.strictObject({
  type: z.enum(['requested', 'decided', 'source-revoked']),
  /** The recognitions concerned (one for requests and decisions, every affected one for a revocation). */
  recognitionIds: z.array(z.string()),
  subjectType: RecognitionSubjectTypeSchema,
  subjectId: z.string(),
  sourceRegion: RegionSchema,
  /** The target region (absent for a revocation affecting several targets). */
  targetRegion: RegionSchema.optional(),
  status: RecognitionStatusSchema,
  reason: z.string().optional(),
  txId: z.string(),
  blockNumber: z.number().int().nonnegative(),
  at: TimestampSchema,
});

export type RecognitionNotice = z.infer<typeof RecognitionNoticeSchema>;
