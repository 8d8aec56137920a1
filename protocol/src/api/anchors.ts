/**
 * Public anchors of the ledger's checkpoints on an EVM chain (`GET /anchors`, `GET /anchors/latest`, public):
 * each the anchor reference a proof bundle carries (protocol `anchor/`), with what the hub knows besides.
 */
import { z } from 'zod';
import { AnchorReferenceSchema } from '../anchor/anchor-reference.js';
import { CountSchema, InstantSchema } from './api-fields.js';
import { decimalInteger } from './requests.js';

/** `GET /anchors?before=&limit=`: anchors newest first; `before` is a tree size (anchors of smaller ones). */
export const AnchorsQuerySchema = z.strictObject({
  before: decimalInteger(1).optional(),
  limit: decimalInteger(1, 100).default(20),
});
export type AnchorsQuery = z.infer<typeof AnchorsQuerySchema>;

export const AnchorRecordSchema = z.strictObject({
  anchor: AnchorReferenceSchema,
  noteHash: z
    .string()
    .regex(/^0x[0-9a-f]{64}$/)
    .describe('SHA-256 of the cosigned checkpoint note as anchored (0x hex), the event’s noteHash'),
  cosignedBy: z
    .array(z.string())
    .describe('names of the witnesses whose cosignatures the anchored note carried'),
  from: z.string().describe('the address that sent the transaction (the hub’s anchoring key)'),
  gasUsed: CountSchema,
  anchoredAt: InstantSchema.describe('when the hub saw the transaction mined'),
});
export type AnchorRecord = z.infer<typeof AnchorRecordSchema>;

export const AnchorPageSchema = z.strictObject({
  chainId: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('the chain anchored to; null before the first start'),
  contract: z.string().nullable().describe('the CheckpointAnchor contract address'),
  anchors: z.array(AnchorRecordSchema),
});
export type AnchorPage = z.infer<typeof AnchorPageSchema>;
