/**
 * The chaincode events, one per transaction, by name (`CHAINCODE_EVENTS`), with the payload each carries
 * (canonical JSON written by the chaincode). `GET /blocks/{n}` and `GET /transactions/{txId}` show them decoded.
 */
import { z } from 'zod';
import { CHAINCODE_EVENTS } from '../chaincode-events.js';
import { CertificateTypeSchema, DepartmentSchema, RegionSchema } from '../registries/registry-schemas.js';
import { CreditLevelSchema } from '../schemas/credit-event.js';
import {
  CertificateNumberSchema,
  EthAddressSchema,
  ProjectCodeSchema,
  RecordIdSchema,
  Sha256HexSchema,
  TimestampSchema,
  UsccSchema,
} from '../schemas/fields.js';
import { RecognitionOutcomeSchema, RecognitionSubjectTypeSchema } from '../schemas/recognition.js';
import { CountSchema } from './api-fields.js';

const event = <N extends keyof typeof CHAINCODE_EVENTS, P extends z.ZodType>(name: N, payload: P) =>
  z.strictObject({ name: z.literal(CHAINCODE_EVENTS[name]), payload });

const affectedRecognition = z.strictObject({
  id: RecordIdSchema,
  sourceRegion: RegionSchema,
  targetRegion: RegionSchema,
});

/** A chaincode event as a transaction carries it: its name and its payload. */
export const ChaincodeEventSchema = z.discriminatedUnion('name', [
  event(
    'MilestonesRecorded',
    z.strictObject({
      count: CountSchema,
      recorded: z.array(RecordIdSchema).describe('written by this transaction'),
      unchanged: z.array(RecordIdSchema).describe('already anchored with the same commitment'),
      projectCodes: z.array(ProjectCodeSchema),
      region: RegionSchema,
      dept: DepartmentSchema,
    }),
  ),
  event(
    'CertificateIssued',
    z.strictObject({
      number: CertificateNumberSchema,
      type: CertificateTypeSchema,
      projectCode: ProjectCodeSchema,
      region: RegionSchema,
      dept: DepartmentSchema,
      unchanged: z.boolean(),
      version: z
        .number()
        .int()
        .min(2)
        .optional()
        .describe('set for a correction (更正): the version written'),
    }),
  ),
  event(
    'CertificateRevoked',
    z.strictObject({
      number: CertificateNumberSchema,
      region: RegionSchema,
      dept: DepartmentSchema,
      revokedAt: TimestampSchema,
      unchanged: z.boolean(),
      affectedRecognitions: z.array(affectedRecognition),
    }),
  ),
  event(
    'CreditRecorded',
    z.strictObject({
      id: RecordIdSchema,
      uscc: UsccSchema,
      region: RegionSchema,
      level: CreditLevelSchema,
      dishonest: z.boolean(),
      unchanged: z.boolean(),
    }),
  ),
  event(
    'IssuerGranted',
    z.strictObject({ region: RegionSchema, dept: DepartmentSchema, validFrom: TimestampSchema }),
  ),
  event(
    'RecognitionRequested',
    z.strictObject({
      id: RecordIdSchema,
      subjectType: RecognitionSubjectTypeSchema,
      subjectId: z.string().min(1),
      sourceRegion: RegionSchema,
      targetRegion: RegionSchema,
      unchanged: z.boolean(),
    }),
  ),
  event(
    'RecognitionDecided',
    z.strictObject({
      id: RecordIdSchema,
      outcome: RecognitionOutcomeSchema,
      sourceRegion: RegionSchema,
      targetRegion: RegionSchema,
      signer: EthAddressSchema,
    }),
  ),
  event(
    'SignerChanged',
    z.discriminatedUnion('change', [
      z.strictObject({
        change: z.literal('registered'),
        region: RegionSchema,
        address: EthAddressSchema,
        unchanged: z.boolean(),
      }),
      z.strictObject({
        change: z.literal('rotated'),
        region: RegionSchema,
        address: EthAddressSchema,
        previous: EthAddressSchema,
      }),
      z.strictObject({
        change: z.literal('revoked'),
        region: RegionSchema,
        address: EthAddressSchema,
        unchanged: z.boolean(),
      }),
    ]),
  ),
  event(
    'CheckpointRecorded',
    z.strictObject({
      id: RecordIdSchema,
      region: RegionSchema,
      root: Sha256HexSchema,
      anchored: z
        .boolean()
        .describe('false: the checkpoint was recorded; true: its public-chain anchor was added'),
      unchanged: z.boolean(),
    }),
  ),
]);
export type ChaincodeEvent = z.infer<typeof ChaincodeEventSchema>;
