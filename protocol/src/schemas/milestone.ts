import { z } from 'zod';
import { DecisionSchema } from '../registries/registry-schemas.js';
import { DepartmentSchema } from '../registries/registry-schemas.js';
import { ProjectTypeSchema } from '../registries/registry-schemas.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import { StageSchema } from '../registries/registry-schemas.js';
import {
  DataClassSchema,
  DocumentRefSchema,
  NameSchema,
  PartySchema,
  ProjectCodeSchema,
  RecordIdSchema,
  SourceRefSchema,
  TimestampSchema,
  textSchema,
} from './fields.js';
import { checkCorrection, correctionFields } from './correction.js';
import { checkProjectRegion } from './refinements.js';

const DetailValueSchema = z.union([z.string().max(4000), z.number(), z.boolean(), z.null()], {
  error: 'detail values are strings (up to 4000 characters), finite numbers, booleans or null',
});

/** Free-form extra facts of a milestone (scale, amount, category), flat and JSON-safe. */
export const DetailsSchema = z
  .record(textSchema(64), DetailValueSchema)
  .refine((d) => Object.keys(d).length <= 64, {
    message: 'at most 64 details',
    params: { rule: 'details.count' },
  });

/** An approval milestone: one decision of one department at one stage of a project (full, off-chain record). */
export const MilestoneSchema = z
  .strictObject({
    id: RecordIdSchema,
    projectCode: ProjectCodeSchema,
    projectName: NameSchema.exactOptional(),
    projectType: ProjectTypeSchema.exactOptional(),
    region: RegionSchema,
    dept: DepartmentSchema,
    stage: StageSchema,
    decision: DecisionSchema,
    decidedAt: TimestampSchema,
    applicant: PartySchema,
    documentNo: textSchema(128).exactOptional(),
    documents: z.array(DocumentRefSchema).max(100),
    source: SourceRefSchema,
    dataClass: DataClassSchema,
    details: DetailsSchema.exactOptional(),
    ...correctionFields,
  })
  .superRefine((m, ctx) => {
    checkProjectRegion(m, ctx);
    checkCorrection(m, ctx);
  });

export type Milestone = z.infer<typeof MilestoneSchema>;
