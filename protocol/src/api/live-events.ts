/**
 * `GET /events` (Server-Sent Events): each event is `event: <type>`, `id: <n>`, `data: <JSON>`; the data of
 * each type is below.
 */
import { z } from 'zod';
import { ReceiptSchema } from '../schemas/receipt.js';
import { BlockSummarySchema } from './chain.js';
import { RecognitionNoticeSchema } from './recognitions.js';

/** One live event: its SSE `event` name as `type`, its JSON `data`. */
export const LedgerEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('block'),
    data: BlockSummarySchema.describe('a block, once committed and indexed'),
  }),
  z.strictObject({
    type: z.literal('receipt'),
    data: ReceiptSchema.describe('a receipt as published on ledger.receipt.<region>.<dept>'),
  }),
  z.strictObject({
    type: z.literal('recognition'),
    data: RecognitionNoticeSchema.describe('a notice as published on ledger.recognition.<region>'),
  }),
]);
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;
export type LedgerEventName = LedgerEvent['type'];
/** The data of each event type. */
export type LedgerEventMap = { readonly [K in LedgerEventName]: Extract<LedgerEvent, { type: K }>['data'] };
