import { z } from 'zod';
import { CertificateTypeSchema } from '../registries/registry-schemas.js';
import { DepartmentSchema } from '../registries/registry-schemas.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import {
  CertificateNumberSchema,
  DataClassSchema,
  DocumentRefSchema,
  PartySchema,
  ProjectCodeSchema,
  RecordIdSchema,
  SourceRefSchema,
  TimestampSchema,
  textSchema,
} from './fields.js';
import { checkCorrection, correctionFields } from './correction.js';
import { checkProjectRegion, checkValidityOrder } from './refinements.js';

/** An electronic licence or certificate (电子证照) issued for a project (full, off-chain record). */
export const CertificateSchema = z
  .strictObject({
    number: CertificateNumberSchema,
    type: CertificateTypeSchema,
    projectCode: ProjectCodeSchema,
    region: RegionSchema,
    dept: DepartmentSchema,
    holder: PartySchema,
    issuedAt: TimestampSchema,
    validFrom: TimestampSchema,
    validUntil: TimestampSchema.exactOptional(),
    milestoneId: RecordIdSchema.exactOptional(),
    documents: z.array(DocumentRefSchema).max(100),
    source: SourceRefSchema,
    dataClass: DataClassSchema,
    ...correctionFields,
  })
  .superRefine((c, ctx) => {
    checkProjectRegion(c, ctx);
    checkValidityOrder(c.validFrom, c.validUntil, ctx);
    checkCorrection(c, ctx);
  });

export type Certificate = z.infer<typeof CertificateSchema>;

/** The revocation of a certificate by its issuing region and department. */
export const CertificateRevocationSchema = z.strictObject({
  number: CertificateNumberSchema,
  region: RegionSchema,
  dept: DepartmentSchema,
  reason: textSchema(500),
  revokedAt: TimestampSchema,
  source: SourceRefSchema,
});

export type CertificateRevocation = z.infer<typeof CertificateRevocationSchema>;
