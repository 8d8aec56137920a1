/**
 * What the chaincode stores for each record: identifiers, codes, times, document digests and the salted
 * commitment to the full record. No names and no applicant details beyond the credit code.
 */
import { z } from 'zod';
import { type CommitmentSuite, commitment } from '../commitment.js';
import { CertificateTypeSchema } from '../registries/registry-schemas.js';
import { DecisionSchema } from '../registries/registry-schemas.js';
import { DepartmentSchema } from '../registries/registry-schemas.js';
import { RegionSchema } from '../registries/registry-schemas.js';
import { StageSchema } from '../registries/registry-schemas.js';
import { type Certificate } from './certificate.js';
import { anchorCorrectionOf } from './correction.js';
import { CreditLevelSchema, type CreditEvent } from './credit-event.js';
import {
  CertificateNumberSchema,
  ProjectCodeSchema,
  RecordIdSchema,
  Sha256HexSchema,
  TimestampSchema,
  UsccSchema,
  type DocumentRef,
} from './fields.js';
import { type Milestone } from './milestone.js';
import { checkProjectRegion, checkValidityOrder } from './refinements.js';

const DigestsSchema = z.array(Sha256HexSchema).max(100);

/** A corrected record's anchor: its version (> 1) and the commitment of the version it corrects. */
const anchorCorrection = {
  version: z.number().int().min(2).max(1_000_000).exactOptional(),
  corrects: Sha256HexSchema.exactOptional(),
};

function checkAnchorCorrection(a: { version?: number; corrects?: string }, ctx: z.RefinementCtx): void {
  if ((a.version === undefined) !== (a.corrects === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [a.version === undefined ? 'version' : 'corrects'],
      message: 'a corrected anchor names both its version (above 1) and the commitment it corrects',
      params: { rule: 'correction.anchor' },
    });
  }
}

export const MilestoneAnchorSchema = z
  .strictObject({
    id: RecordIdSchema,
    projectCode: ProjectCodeSchema,
    region: RegionSchema,
    dept: DepartmentSchema,
    stage: StageSchema,
    decision: DecisionSchema,
    decidedAt: TimestampSchema,
    applicantUscc: UsccSchema,
    documentDigests: DigestsSchema,
    commitment: Sha256HexSchema,
    ...anchorCorrection,
  })
  .superRefine((m, ctx) => {
    checkProjectRegion(m, ctx);
    checkAnchorCorrection(m, ctx);
  });

export type MilestoneAnchor = z.infer<typeof MilestoneAnchorSchema>;

export const CertificateAnchorSchema = z
  .strictObject({
    number: CertificateNumberSchema,
    type: CertificateTypeSchema,
    projectCode: ProjectCodeSchema,
    region: RegionSchema,
    dept: DepartmentSchema,
    holderUscc: UsccSchema,
    issuedAt: TimestampSchema,
    validFrom: TimestampSchema,
    validUntil: TimestampSchema.exactOptional(),
    documentDigests: DigestsSchema,
    commitment: Sha256HexSchema,
    ...anchorCorrection,
  })
  .superRefine((c, ctx) => {
    checkProjectRegion(c, ctx);
    checkValidityOrder(c.validFrom, c.validUntil, ctx);
    checkAnchorCorrection(c, ctx);
  });

export type CertificateAnchor = z.infer<typeof CertificateAnchorSchema>;

export const CreditAnchorSchema = z.strictObject({
  id: RecordIdSchema,
  uscc: UsccSchema,
  level: CreditLevelSchema,
  dishonest: z.boolean(),
  evaluatedAt: TimestampSchema,
  region: RegionSchema,
  commitment: Sha256HexSchema,
});

export type CreditAnchor = z.infer<typeof CreditAnchorSchema>;

/** The on-chain form of a (validated) milestone under `salt`, its commitment in `suite` (default intl). */
export function toMilestoneAnchor(
  m: Milestone,
  salt: string,
  suite: CommitmentSuite = 'intl',
): MilestoneAnchor {
  return milestoneAnchorOf(m, commitment(m, salt, suite));
}

/**
 * The on-chain form of a milestone whose commitment the caller already holds (the hub computes it once, from
 * the canonical text it stores): no second canonicalisation.
 */
export function milestoneAnchorOf(m: Milestone, commitmentHex: string): MilestoneAnchor {
  return {
    id: m.id,
    projectCode: m.projectCode,
    region: m.region,
    dept: m.dept,
    stage: m.stage,
    decision: m.decision,
    decidedAt: m.decidedAt,
    applicantUscc: m.applicant.uscc,
    documentDigests: digestsOf(m.documents),
    commitment: commitmentHex,
    ...anchorCorrectionOf(m),
  };
}

/** The on-chain form of a (validated) certificate under `salt`. */
export function toCertificateAnchor(
  c: Certificate,
  salt: string,
  suite: CommitmentSuite = 'intl',
): CertificateAnchor {
  return certificateAnchorOf(c, commitment(c, salt, suite));
}

/** The on-chain form of a certificate whose commitment the caller already holds. */
export function certificateAnchorOf(c: Certificate, commitmentHex: string): CertificateAnchor {
  return {
    number: c.number,
    type: c.type,
    projectCode: c.projectCode,
    region: c.region,
    dept: c.dept,
    holderUscc: c.holder.uscc,
    issuedAt: c.issuedAt,
    validFrom: c.validFrom,
    ...(c.validUntil === undefined ? {} : { validUntil: c.validUntil }),
    documentDigests: digestsOf(c.documents),
    commitment: commitmentHex,
    ...anchorCorrectionOf(c),
  };
}

/** The on-chain form of a (validated) credit event under `salt`. */
export function toCreditAnchor(e: CreditEvent, salt: string, suite: CommitmentSuite = 'intl'): CreditAnchor {
  return creditAnchorOf(e, commitment(e, salt, suite));
}

/** The on-chain form of a credit event whose commitment the caller already holds. */
export function creditAnchorOf(e: CreditEvent, commitmentHex: string): CreditAnchor {
  return {
    id: e.id,
    uscc: e.uscc,
    level: e.level,
    dishonest: e.dishonest,
    evaluatedAt: e.evaluatedAt,
    region: e.region,
    commitment: commitmentHex,
  };
}

function digestsOf(documents: readonly DocumentRef[]): string[] {
  return documents.map((d) => d.sha256);
}
