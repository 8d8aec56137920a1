/**
 * `GET /projects/{projectCode}` (provenance and progress) and `GET /projects?q=` (search). A provenance entry
 * is a milestone or a certificate as the chain holds it, with its transaction, block, endorsing organisations
 * and time, and the full off-chain record beside it checked against its commitment.
 */
import { z } from 'zod';
import {
  DecisionSchema,
  DepartmentSchema,
  ProjectTypeSchema,
  RegionSchema,
  StageSchema,
} from '../registries/registry-schemas.js';
import { CertificateSchema } from '../schemas/certificate.js';
import { EnvelopeKindSchema } from '../schemas/envelope.js';
import {
  CertificateNumberSchema,
  DataClassSchema,
  ProjectCodeSchema,
  RecordIdSchema,
  Sha256HexSchema,
  SourceKeySchema,
} from '../schemas/fields.js';
import { MilestoneSchema } from '../schemas/milestone.js';
import {
  CountSchema,
  InstantSchema,
  MspIdSchema,
  OffChainStateSchema,
  RevokedSchema,
  TxIdSchema,
  WithheldSchema,
} from './api-fields.js';
import { RecognitionEntrySchema } from './recognitions.js';
import { versionViewFields } from './record-versions.js';

const entryFields = {
  region: RegionSchema,
  dept: DepartmentSchema,
  commitment: Sha256HexSchema,
  documentDigests: z.array(Sha256HexSchema),
  txId: TxIdSchema,
  blockNumber: CountSchema,
  recordedAt: InstantSchema.describe('the proposal time of the recording transaction'),
  endorsedBy: z.array(MspIdSchema).describe('MSP IDs of the organisations whose peers endorsed it'),
  submittedBy: MspIdSchema.nullable().describe('MSP ID of the submitting client'),
  revoked: RevokedSchema.optional(),
  offChain: OffChainStateSchema,
  tampered: z.boolean().describe('the off-chain record no longer opens its on-chain commitment'),
  dataClass: DataClassSchema.optional(),
  sourceKey: SourceKeySchema.optional().describe('the stored record’s source key (system:recordId:version)'),
  withheld: WithheldSchema,
  ...versionViewFields,
};

/** A milestone of the project, as anchored. */
export const MilestoneProvenanceEntrySchema = z.strictObject({
  kind: z.literal('milestone'),
  id: RecordIdSchema,
  ...entryFields,
  stage: StageSchema,
  decision: DecisionSchema,
  decidedAt: InstantSchema,
  record: MilestoneSchema.optional().describe('the full off-chain record'),
});
export type MilestoneProvenanceEntry = z.infer<typeof MilestoneProvenanceEntrySchema>;

/** A certificate of the project, as anchored (`decidedAt` is its issue time). */
export const CertificateProvenanceEntrySchema = z.strictObject({
  kind: z.literal('certificate'),
  id: CertificateNumberSchema,
  ...entryFields,
  stage: z.null(),
  decision: z.null(),
  decidedAt: InstantSchema.describe('issuedAt'),
  validFrom: InstantSchema.nullable(),
  validUntil: InstantSchema.nullable(),
  record: CertificateSchema.optional().describe('the full off-chain record'),
});
export type CertificateProvenanceEntry = z.infer<typeof CertificateProvenanceEntrySchema>;

/** One anchored record of a project. */
export const ProvenanceEntrySchema = z.discriminatedUnion('kind', [
  MilestoneProvenanceEntrySchema,
  CertificateProvenanceEntrySchema,
]);
export type ProvenanceEntry = z.infer<typeof ProvenanceEntrySchema>;

/** One stage of the approval plan. */
export const StageProgressViewSchema = z.strictObject({
  stage: StageSchema,
  dept: DepartmentSchema,
  status: z.enum(['done', 'ready', 'blocked']),
  waitingFor: z.array(StageSchema).describe('prerequisites not yet done (empty unless blocked)'),
  completedAt: InstantSchema.optional(),
  expected: z
    .strictObject({ medianAt: InstantSchema, p90At: InstantSchema })
    .optional()
    .describe('projected completion of an open stage with history'),
  history: z
    .strictObject({ samples: CountSchema, medianDays: z.number(), p90Days: z.number() })
    .optional()
    .describe('the duration statistics the projection used'),
});
export type StageProgressView = z.infer<typeof StageProgressViewSchema>;

/** When the whole plan is expected to be done. */
export const ExpectedCompletionSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('complete'), completedAt: InstantSchema }),
  z.strictObject({
    status: z.literal('projected'),
    medianAt: InstantSchema,
    p90At: InstantSchema,
    samples: CountSchema.describe('completed durations of the same stage and department the projection used'),
    statisticsAt: InstantSchema.describe('when the stage statistics were computed'),
  }),
  z.strictObject({
    status: z.literal('unknown'),
    missingHistory: z.array(StageSchema).describe('open stages without duration history'),
  }),
]);
export type ExpectedCompletion = z.infer<typeof ExpectedCompletionSchema>;

/** The project's progress along its approval plan, and the expected completion with its basis. */
export const ProjectProgressSchema = z.strictObject({
  projectType: ProjectTypeSchema,
  projectTypeBasis: z.enum(['recorded', 'project code kind', 'assumed']),
  completed: CountSchema,
  total: CountSchema,
  percent: CountSchema,
  stages: z.array(StageProgressViewSchema),
  expectedCompletion: ExpectedCompletionSchema,
  basis: z
    .string()
    .describe(
      'in English words: what the projection rests on (a user interface composes its own text from ' +
        'expectedCompletion and projectTypeBasis)',
    ),
});
export type ProjectProgress = z.infer<typeof ProjectProgressSchema>;

/** An off-chain record of the project not (yet) on the chain: pending, conflicting or refused. */
export const UnanchoredRecordSchema = z.strictObject({
  sourceKey: SourceKeySchema,
  kind: EnvelopeKindSchema,
  status: z.enum(['pending', 'conflict', 'rejected']),
  reason: z.string().nullable(),
});
export type UnanchoredRecord = z.infer<typeof UnanchoredRecordSchema>;

/** `GET /projects/{projectCode}`. */
export const ProjectProvenanceSchema = z.strictObject({
  projectCode: ProjectCodeSchema,
  region: RegionSchema.nullable(),
  projectName: z.string().nullable(),
  projectType: ProjectTypeSchema,
  milestones: z.array(MilestoneProvenanceEntrySchema),
  certificates: z.array(CertificateProvenanceEntrySchema),
  recognitions: z.array(RecognitionEntrySchema),
  unanchored: z.array(UnanchoredRecordSchema),
  progress: ProjectProgressSchema,
});
export type ProjectProvenance = z.infer<typeof ProjectProvenanceSchema>;

/** One project found by `GET /projects?q=`. */
export const ProjectSummarySchema = z.strictObject({
  projectCode: ProjectCodeSchema,
  region: RegionSchema,
  milestones: CountSchema,
  certificates: CountSchema,
  lastDecision: z
    .strictObject({
      stage: StageSchema.nullable(),
      decision: DecisionSchema.nullable(),
      at: InstantSchema.nullable(),
    })
    .nullable(),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

/** `GET /projects?q=`. */
export const ProjectSearchResultSchema = z.strictObject({
  query: z.string(),
  projects: z.array(ProjectSummarySchema),
});
export type ProjectSearchResult = z.infer<typeof ProjectSearchResultSchema>;
