import { z } from 'zod';
import { EnvelopeKindSchema } from './envelope.js';
import { Sha256HexSchema, SourceKeySchema, TimestampSchema, textSchema } from './fields.js';
import { addRuleIssue } from './refinements.js';

export const ReceiptStatusSchema = z.enum(['ANCHORED', 'DUPLICATE', 'CONFLICT', 'REJECTED']);
export type ReceiptStatus = z.infer<typeof ReceiptStatusSchema>;

/**
 * The hub's answer to one ingested envelope, published on `ledger.receipt.<region>.<dept>`.
 * `recordId` is `recordIdOf(envelope.source)`. ANCHORED and DUPLICATE name the transaction and block that
 * hold the record; CONFLICT and REJECTED give a reason (and a transaction only if one was committed).
 */
export const ReceiptSchema = z
  .strictObject({
    recordId: SourceKeySchema,
    kind: EnvelopeKindSchema,
    /** The record's commitment (or, for REJECTED, the SHA-256 of the message as received). */
    sha256: Sha256HexSchema,
    txId: z.string().min(1).max(128).exactOptional(),
    blockNumber: z.number().int().nonnegative().exactOptional(),
    status: ReceiptStatusSchema,
    reason: textSchema(2000).exactOptional(),
    at: TimestampSchema,
  })
  .superRefine((r, ctx) => {
    const anchored = r.status === 'ANCHORED' || r.status === 'DUPLICATE';
    if (anchored && r.txId === undefined) {
      addRuleIssue(ctx, ['txId'], 'receipt.txId', `a ${r.status} receipt names its transaction`);
    }
    if (anchored && r.blockNumber === undefined) {
      addRuleIssue(ctx, ['blockNumber'], 'receipt.blockNumber', `a ${r.status} receipt names its block`);
    }
    if (!anchored && r.reason === undefined) {
      addRuleIssue(ctx, ['reason'], 'receipt.reason', `a ${r.status} receipt gives its reason`);
    }
  });

export type Receipt = z.infer<typeof ReceiptSchema>;
