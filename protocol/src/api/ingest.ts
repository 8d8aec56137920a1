/** `POST /milestones` and `GET /receipts/{recordId}`. */
import { z } from 'zod';
import { RecordIdSchema, SourceKeySchema } from '../schemas/fields.js';
import { ReceiptSchema } from '../schemas/receipt.js';
import { CountSchema } from './api-fields.js';

export const AcceptedMilestoneSchema = z.strictObject({
  recordId: SourceKeySchema.describe('the source key, system:recordId:version: the receipt’s recordId'),
  milestoneId: RecordIdSchema,
  duplicate: z.boolean().describe('the same source record + version was accepted before'),
  receiptSubject: z.string().describe('where the receipt is published: ledger.receipt.<region>.<dept>'),
  receiptHref: z.string().describe('where the receipts can be read: /api/v1/receipts/{recordId}'),
});
export type AcceptedMilestone = z.infer<typeof AcceptedMilestoneSchema>;

/** `POST /milestones` (202). */
export const AcceptedMilestonesSchema = z.strictObject({
  accepted: CountSchema,
  receipts: z.array(AcceptedMilestoneSchema),
});
export type AcceptedMilestones = z.infer<typeof AcceptedMilestonesSchema>;

/** `GET /receipts/{recordId}`: the record’s receipts, oldest first. */
export const ReceiptsSchema = z.strictObject({ recordId: SourceKeySchema, receipts: z.array(ReceiptSchema) });
export type Receipts = z.infer<typeof ReceiptsSchema>;
