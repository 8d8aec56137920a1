/**
 * Mutual recognition as the API shows it: the chain index's entry (projects, certificates), the board's entry,
 * and the chaincode's view returned by `POST /recognitions` and `POST /recognitions/{id}/decision`. `status`
 * is the outcome, or SOURCE_REVOKED once the recognised certificate or milestone is revoked.
 */
import { z } from 'zod';
import { RegionSchema } from '../registries/registry-schemas.js';
import { RecordIdSchema } from '../schemas/fields.js';
import {
  RecognitionDecisionSchema,
  RecognitionRequestSchema,
  RecognitionStatusSchema,
  RecognitionSubjectTypeSchema,
} from '../schemas/recognition.js';
import { CountSchema, InstantSchema, TxIdSchema } from './api-fields.js';

/** The decided state of a recognition, as recorded: PENDING until decided. */
export const RecognitionStateSchema = RecognitionStatusSchema.exclude(['SOURCE_REVOKED']);
export type RecognitionState = z.infer<typeof RecognitionStateSchema>;

const recognitionHead = {
  id: RecordIdSchema,
  subjectType: RecognitionSubjectTypeSchema,
  subjectId: z.string().min(1).describe('certificate number or milestone id'),
  sourceRegion: RegionSchema,
  targetRegion: RegionSchema,
};

/** A recognition of a project’s or a certificate’s result, from the chain index. */
export const RecognitionEntrySchema = z.strictObject({
  ...recognitionHead,
  outcome: RecognitionStateSchema.describe('as decided (PENDING, RECOGNISED, REJECTED)'),
  status: RecognitionStatusSchema.describe('the outcome, or SOURCE_REVOKED once the subject is revoked'),
  requestTxId: TxIdSchema,
  requestedAt: InstantSchema,
  decisionTxId: TxIdSchema.nullable(),
  decidedAt: InstantSchema.nullable(),
  requestJson: z.string().describe('the recognition request as anchored (JSON)'),
  decisionJson: z.string().nullable().describe('the signed decision as anchored (JSON), null until decided'),
});
export type RecognitionEntry = z.infer<typeof RecognitionEntrySchema>;

/** One line of the board (`GET /recognitions`). */
export const RecognitionBoardEntrySchema = z.strictObject({
  ...recognitionHead,
  status: RecognitionStatusSchema,
  requestTxId: TxIdSchema,
  requestedAt: InstantSchema,
  decisionTxId: TxIdSchema.nullable(),
  decidedAt: InstantSchema.nullable(),
  decision: RecognitionDecisionSchema.nullable().describe(
    'the signed decision as anchored, null until decided',
  ),
});
export type RecognitionBoardEntry = z.infer<typeof RecognitionBoardEntrySchema>;

/** `GET /recognitions?source=&target=&status=`. */
export const RecognitionBoardSchema = z.strictObject({ recognitions: z.array(RecognitionBoardEntrySchema) });
export type RecognitionBoard = z.infer<typeof RecognitionBoardSchema>;

/** The chaincode’s view of a recognition: the request as anchored, its decision if any, and its status. */
export const LedgerRecognitionSchema = RecognitionRequestSchema.safeExtend({
  requestedAt: InstantSchema,
  requestTxId: TxIdSchema,
  decision: RecognitionDecisionSchema.safeExtend({ txId: TxIdSchema, recordedAt: InstantSchema }).optional(),
  status: RecognitionStatusSchema,
});
export type LedgerRecognition = z.infer<typeof LedgerRecognitionSchema>;

/** `POST /recognitions` (201) and `POST /recognitions/{id}/decision`: what the ledger recorded. */
export const RecognitionResultSchema = z.strictObject({
  recognition: LedgerRecognitionSchema,
  txId: TxIdSchema,
  blockNumber: CountSchema,
});
export type RecognitionResult = z.infer<typeof RecognitionResultSchema>;

/**
 * What the hub publishes on `ledger.recognition.<region>` (stream RECOGNITIONS) for every region a
 * recognition concerns, and `GET /events` relays as `recognition`: requests, decisions, source revocations.
 */
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
  blockNumber: CountSchema,
  at: InstantSchema,
});
export type RecognitionNotice = z.infer<typeof RecognitionNoticeSchema>;
