/** Field schemas the API's responses share: counts, times, transaction ids, the off-chain check, revocations. */
import { z } from 'zod';
import { Sha256HexSchema, TimestampSchema } from '../schemas/fields.js';

/** A count or a position: a non-negative integer. */
export const CountSchema = z.number().int().nonnegative();

/** A time the hub or the ledger wrote: ISO 8601 with offset (`Z` or `+08:00`), up to nanoseconds. */
export const InstantSchema = TimestampSchema;

/** A ledger transaction id: 64 lower-case hex digits (embedded and Fabric alike). */
export const TxIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a transaction id: 64 hex digits');

/** A block or header hash: lower-case hex SHA-256. */
export const HashHexSchema = Sha256HexSchema;

/** An organisation's MSP ID, e.g. `BeijingMSP`, `OrdererMSP`. */
export const MspIdSchema = z.string().min(1);

/** Whether the off-chain record is there and still opens its on-chain commitment. */
export const OffChainStateSchema = z
  .enum(['match', 'mismatch', 'missing'])
  .describe('match: the stored record and salt open the on-chain commitment; mismatch: tampered; missing');
export type OffChainState = z.infer<typeof OffChainStateSchema>;

/** The record kinds the ledger anchors. */
export const AnchorKindSchema = z.enum(['milestone', 'certificate', 'credit']);
export type AnchorKind = z.infer<typeof AnchorKindSchema>;

/**
 * A certificate's revocation, or for a milestone the REVOKED milestone that revokes it (`at` its decision
 * time, `txId` the transaction that recorded it).
 */
export const RevokedSchema = z.strictObject({
  at: InstantSchema,
  reason: z.string().nullable(),
  txId: TxIdSchema.nullable(),
});
export type Revoked = z.infer<typeof RevokedSchema>;

/** Why an entry comes without its full off-chain `record` (the hub's data-class rule across regions). */
export const WithheldSchema = z
  .string()
  .optional()
  .describe(
    'why `record` is left out: a sensitive record of another region than the token’s, and no recognition ' +
      'request or decision about it concerns that region',
  );
