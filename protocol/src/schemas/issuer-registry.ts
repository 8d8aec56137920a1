import { z } from 'zod';
import { CertificateTypeSchema } from '../registries/registry-schemas.js';
import { DepartmentSchema } from '../registries/registry-schemas.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import { StageSchema } from '../registries/registry-schemas.js';
import { EthAddressSchema, NameSchema, TimestampSchema } from './fields.js';
import { addRuleIssue, checkValidityOrder } from './refinements.js';

function uniqueArray<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).refine((xs) => new Set(xs).size === xs.length, {
    message: `${what} are listed more than once`,
    params: { rule: 'list.unique' },
  });
}

/** An issuer-registry entry: which stages and certificate types a region's department may record. */
export const IssuerGrantSchema = z
  .strictObject({
    region: RegionSchema,
    dept: DepartmentSchema,
    stages: uniqueArray(StageSchema, 'stages'),
    certificateTypes: uniqueArray(CertificateTypeSchema, 'certificate types'),
    validFrom: TimestampSchema,
    validUntil: TimestampSchema.exactOptional(),
  })
  .superRefine((g, ctx) => {
    if (g.stages.length === 0 && g.certificateTypes.length === 0) {
      addRuleIssue(ctx, ['stages'], 'grant.empty', 'a grant names at least one stage or certificate type');
    }
    checkValidityOrder(g.validFrom, g.validUntil, ctx);
  });

export type IssuerGrant = z.infer<typeof IssuerGrantSchema>;

/** An official of a region authorised to sign recognition decisions (EIP-712) from `validFrom`. */
export const SignerRegistrationSchema = z.strictObject({
  region: RegionSchema,
  address: EthAddressSchema,
  name: NameSchema,
  validFrom: TimestampSchema,
});

export type SignerRegistration = z.infer<typeof SignerRegistrationSchema>;
