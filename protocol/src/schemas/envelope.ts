/** What adapters publish on `legacy.<region>.<dept>.<kind>`: one record with where it came from. */
import { z } from 'zod';
import { DepartmentSchema } from '../registries/registry-schemas.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import { CertificateRevocationSchema, CertificateSchema } from './certificate.js';
import { CreditEventSchema } from './credit-event.js';
import { SourceRefSchema, TimestampSchema, recordIdOf } from './fields.js';
import { MilestoneSchema } from './milestone.js';
import { addRuleIssue } from './refinements.js';

export const ENVELOPE_SCHEMA = 'approval-ledger/envelope@1';

export const EnvelopeKindSchema = z.enum(['milestone', 'certificate', 'certificate-revocation', 'credit']);
export type EnvelopeKind = z.infer<typeof EnvelopeKindSchema>;

const header = {
  schema: z.literal(ENVELOPE_SCHEMA),
  region: RegionSchema,
  dept: DepartmentSchema,
  source: SourceRefSchema,
  emittedAt: TimestampSchema,
};

export const EnvelopeSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ ...header, kind: z.literal('milestone'), record: MilestoneSchema }),
    z.strictObject({ ...header, kind: z.literal('certificate'), record: CertificateSchema }),
    z.strictObject({
      ...header,
      kind: z.literal('certificate-revocation'),
      record: CertificateRevocationSchema,
    }),
    z.strictObject({ ...header, kind: z.literal('credit'), record: CreditEventSchema }),
  ])
  .superRefine(checkHeaderMatchesRecord);

export type Envelope = z.infer<typeof EnvelopeSchema>;

/** The envelope's region, department (when the record has one) and source must be the record's. */
function checkHeaderMatchesRecord(env: Envelope, ctx: z.RefinementCtx): void {
  const record: { region: string; dept?: string; source: z.infer<typeof SourceRefSchema> } = env.record;
  if (record.region !== env.region) {
    addRuleIssue(
      ctx,
      ['region'],
      'envelope.region',
      `envelope region ${env.region} is not the record's ${record.region}`,
    );
  }
  if (record.dept !== undefined && record.dept !== env.dept) {
    addRuleIssue(
      ctx,
      ['dept'],
      'envelope.dept',
      `envelope department ${env.dept} is not the record's ${record.dept}`,
    );
  }
  if (recordIdOf(record.source) !== recordIdOf(env.source)) {
    addRuleIssue(
      ctx,
      ['source'],
      'envelope.source',
      `envelope source ${recordIdOf(env.source)} is not the record's ${recordIdOf(record.source)}`,
    );
  }
}
