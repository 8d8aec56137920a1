// Credit standing of an enterprise: the latest evaluation of each region. A milestone decided
// "conditionally accepted" (容缺受理) needs the latest evaluation to be level A and no region to list the
// enterprise as dishonest.
import type { CreditEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { epochMs } from '../ledger/ledger-time';
import type { LedgerState } from '../ledger/ledger-state';

export interface CreditStanding {
  readonly uscc: string;
  /** Latest evaluation per region, in region order. */
  readonly byRegion: readonly CreditEntry[];
  readonly latest?: CreditEntry;
  readonly dishonest: boolean;
  readonly conditionalAcceptanceAllowed: boolean;
}

export async function creditStanding(state: LedgerState, uscc: string): Promise<CreditStanding> {
  const byRegion = (await state.list<CreditEntry>(KEY.creditLatest, [uscc])).map((l) => l.value);
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
  state: LedgerState,
  uscc: string,
  milestoneId: string,
): Promise<void> {
  const standing = await creditStanding(state, uscc);
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
