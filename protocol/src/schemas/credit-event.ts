import { z } from 'zod';
import { RegionSchema } from '../registries/registry-schemas.js';
import {
  DataClassSchema,
  NameSchema,
  RecordIdSchema,
  SourceRefSchema,
  TimestampSchema,
  UsccSchema,
} from './fields.js';

/** Credit levels of the public credit evaluation, A best to D worst. */
export const CreditLevelSchema = z.enum(['A', 'B', 'C', 'D']);
export type CreditLevel = z.infer<typeof CreditLevelSchema>;

/** A credit evaluation of an enterprise by a region's public credit information centre. */
export const CreditEventSchema = z.strictObject({
  id: RecordIdSchema,
  uscc: UsccSchema,
  enterpriseName: NameSchema,
  level: CreditLevelSchema,
  /** On the list of seriously dishonest entities (失信主体). */
  dishonest: z.boolean(),
  evaluatedAt: TimestampSchema,
  region: RegionSchema,
  source: SourceRefSchema,
  dataClass: DataClassSchema,
});

export type CreditEvent = z.infer<typeof CreditEventSchema>;
