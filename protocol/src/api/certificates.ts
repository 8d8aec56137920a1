/** `GET /certificates/{number}?at=`: a certificate's status now or at a past time, its history and recognitions. */
import { z } from 'zod';
import { CertificateAnchorSchema } from '../schemas/anchors.js';
import { CertificateSchema, CertificateRevocationSchema } from '../schemas/certificate.js';
import { CertificateNumberSchema, DataClassSchema } from '../schemas/fields.js';
import {
  CountSchema,
  InstantSchema,
  MspIdSchema,
  OffChainStateSchema,
  TxIdSchema,
  WithheldSchema,
} from './api-fields.js';
import { RecognitionEntrySchema } from './recognitions.js';
import { versionViewFields } from './record-versions.js';

/** A certificate's status at a time: derived from its validity window and its revocation. */
export const CertificateStatusSchema = z.enum(['VALID', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID']);
export type CertificateStatus = z.infer<typeof CertificateStatusSchema>;

const LedgerStamp = { txId: TxIdSchema, recordedAt: InstantSchema };

/** The certificate's entry in world state as the chaincode reads it: anchor, stamp, revocation, status. */
export const LedgerCertificateSchema = CertificateAnchorSchema.safeExtend({
  ...LedgerStamp,
  revocation: CertificateRevocationSchema.pick({ reason: true, revokedAt: true, source: true })
    .extend(LedgerStamp)
    .optional(),
  status: CertificateStatusSchema,
  statusAt: InstantSchema,
});
export type LedgerCertificate = z.infer<typeof LedgerCertificateSchema>;

/** `GET /certificates/{number}`. */
export const CertificateStatusViewSchema = z.strictObject({
  number: CertificateNumberSchema,
  at: InstantSchema.describe('the time the status is for (now unless asked)'),
  status: CertificateStatusSchema,
  valid: z.boolean(),
  certificate: LedgerCertificateSchema.describe('the current on-chain entry'),
  recordedAt: z
    .strictObject({ txId: TxIdSchema, timestamp: InstantSchema, status: CertificateStatusSchema })
    .nullable()
    .describe('what the ledger held at `at`: the version recorded then, if any'),
  history: z.array(z.strictObject({ txId: TxIdSchema, timestamp: InstantSchema, revoked: z.boolean() })),
  anchored: z
    .strictObject({
      txId: TxIdSchema,
      blockNumber: CountSchema,
      at: InstantSchema,
      endorsedBy: z.array(MspIdSchema),
    })
    .optional(),
  revocation: z
    .strictObject({
      at: InstantSchema,
      reason: z.string().nullable(),
      txId: TxIdSchema.nullable(),
      blockNumber: CountSchema.nullable(),
    })
    .optional(),
  recognitions: z.array(RecognitionEntrySchema),
  offChain: OffChainStateSchema,
  tampered: z.boolean(),
  dataClass: DataClassSchema.optional(),
  record: CertificateSchema.optional().describe('the full off-chain record'),
  withheld: WithheldSchema,
  ...versionViewFields,
});
export type CertificateStatusView = z.infer<typeof CertificateStatusViewSchema>;
