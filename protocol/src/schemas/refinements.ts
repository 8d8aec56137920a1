/** Cross-field rules shared by several record schemas. */
import { type z } from 'zod';
import { checkProjectCode } from '../project-code.js';
import { type RegionCode } from '../registries/regions.js';
import { checkTimestamp } from '../timestamp.js';

/** Reports a broken rule at `path` of the value being refined. */
export function addRuleIssue(ctx: z.RefinementCtx, path: PropertyKey[], rule: string, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { rule } });
}

/** The record's `region` must be the one its project code places the project in. */
export function checkProjectRegion(
  record: { projectCode: string; region: RegionCode },
  ctx: z.RefinementCtx,
): void {
  const parsed = checkProjectCode(record.projectCode);
  if (parsed.ok && parsed.value.region !== record.region) {
    addRuleIssue(
      ctx,
      ['region'],
      'region.projectCode',
      `region is ${record.region} but project code ${record.projectCode} places the project in ${parsed.value.region}`,
    );
  }
}

/** `until` (when given) must come strictly after `from`. */
export function checkValidityOrder(
  from: string,
  until: string | undefined,
  ctx: z.RefinementCtx,
  path: PropertyKey[] = ['validUntil'],
): void {
  if (until === undefined) return;
  const start = checkTimestamp(from);
  const end = checkTimestamp(until);
  if (start.ok && end.ok && end.value.epochMs <= start.value.epochMs) {
    addRuleIssue(ctx, path, 'validity.order', `${until} is not after ${from}`);
  }
}
