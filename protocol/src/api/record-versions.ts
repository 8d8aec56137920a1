/**
 * The versions of a corrected record (更正), as the project and certificate pages show them: every stored
 * version of one milestone id or certificate number, oldest first, each with what it corrects and why, and
 * which one is current (the one the ledger holds under the record's key).
 */
import { z } from 'zod';
import { Sha256HexSchema, SourceKeySchema } from '../schemas/fields.js';
import { InstantSchema, TxIdSchema } from './api-fields.js';

export const RecordVersionSchema = z.strictObject({
  version: z.number().int().min(1),
  commitment: Sha256HexSchema,
  corrects: Sha256HexSchema.optional().describe('the commitment of the version this one corrects'),
  correctionReason: z.string().optional().describe('why the record was corrected (更正原因)'),
  sourceKey: SourceKeySchema.describe('the stored record’s source key (system:recordId:version)'),
  status: z
    .enum(['pending', 'anchored', 'conflict', 'rejected'])
    .describe('its anchoring state: conflict and rejected versions are not on the ledger'),
  txId: TxIdSchema.nullable().describe('the transaction that recorded it'),
  receivedAt: InstantSchema,
  current: z.boolean().describe('the version the ledger holds now'),
});
export type RecordVersion = z.infer<typeof RecordVersionSchema>;

/** What a record's view adds: its version number, whether it is the current one, and the whole history. */
export const versionViewFields = {
  version: z.number().int().min(1).describe('the version shown: 1 for a record never corrected'),
  current: z.boolean().describe('the version shown is the latest on the ledger'),
  versions: z.array(RecordVersionSchema).describe('every stored version, oldest first'),
};
