// Credit standing of an enterprise: the latest evaluation of each region. A milestone decided
// "conditionally accepted" (容缺受理) needs the latest evaluation to be level A and no region to list the
// enterprise as dishonest.
import { REGION_CODES } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import type { CreditEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { epochMs } from '../ledger/ledger-time';
import type { LedgerState } from '../ledger/ledger-state';
import { regionState, runsInPlan } from '../ledger/namespace-state';

export interface CreditStanding {
  readonly uscc: string;
  /** Latest evaluation per region, in region order. */
  readonly byRegion: readonly CreditEntry[];
  readonly latest?: CreditEntry;
  readonly dishonest: boolean;
  readonly conditionalAcceptanceAllowed: boolean;
}

/**
 * The latest evaluation of each region, in region-code order: one range outside the namespace plan, else each
 * region's own namespace (its own state, or the others' through chaincode-to-chaincode calls).
 */
async function latestByRegion(ctx: Context, state: LedgerState, uscc: string): Promise<CreditEntry[]> {
  if (!runsInPlan(ctx)) return (await state.list<CreditEntry>(KEY.creditLatest, [uscc])).map((l) => l.value);
  const out: CreditEntry[] = [];
  for (const region of [...REGION_CODES].sort()) {
    const entry = await regionState(ctx, state, region).get<CreditEntry>(KEY.creditLatest, [uscc, region]);
    if (entry) out.push(entry);
  }
  return out;
}

export async function creditStanding(
  ctx: Context,
  state: LedgerState,
  uscc: string,
): Promise<CreditStanding> {
  const byRegion = await latestByRegion(ctx, state, uscc);
  const latest = byRegion.reduce<CreditEntry | undefined>(
    (best, e) => (!best || epochMs(e.evaluatedAt) > epochMs(best.evaluatedAt) ? e : best),
    undefined,
  );
  const dishonest = byRegion.some((e) => e.dishonest);
  const allowed = latest !== undefined && latest.level === 'A' && !dishonest;
  return { uscc, byRegion, ...(latest ? { latest } : {}), dishonest, conditionalAcceptanceAllowed: allowed };
}

/** Refuses a conditionally accepted milestone for an enterprise without A credit or on the dishonest list. */
export async function requireConditionalAcceptance(
  ctx: Context,
  state: LedgerState,
  uscc: string,
  milestoneId: string,
): Promise<void> {
  const standing = await creditStanding(ctx, state, uscc);
  if (standing.conditionalAcceptanceAllowed) return;
  const why = !standing.latest
    ? 'has no credit evaluation on the ledger'
    : standing.dishonest
      ? 'is on the dishonest list'
      : `has credit level ${standing.latest.level}, not A`;
  fail(
    'CREDIT_REFUSED',
    `milestone ${milestoneId}: conditional acceptance (容缺受理) refused, enterprise ${uscc} ${why}`,
  );
}
