/**
 * The one verdict vocabulary of every verifier (committer, `ledger verify-chain`, proof bundles, `POST /verify`,
 * the explorer): a list of checks, each with a stable name, a status and a detail in English.
 *
 * - `verified`: re-computed here and equal;
 * - `failed`: re-computed here and different (the detail says how);
 * - `unchecked`: could not be done here (the detail says why, e.g. no WebCrypto, no trust anchors);
 * - `not-applicable`: there is nothing to check (a configuration transaction has no creator signature).
 */
export type CheckStatus = 'verified' | 'failed' | 'unchecked' | 'not-applicable';

export interface Check {
  /** Stable name, e.g. `transaction.creator`, `block.dataHash`, `record.opening`. */
  readonly name: string;
  readonly status: CheckStatus;
  /** What was found, why it failed or why it was not checked (absent for a plain pass). */
  readonly detail?: string;
}

export function verified(name: string, detail?: string): Check {
  return detail === undefined ? { name, status: 'verified' } : { name, status: 'verified', detail };
}

export function failed(name: string, detail: string): Check {
  return { name, status: 'failed', detail };
}

export function unchecked(name: string, detail: string): Check {
  return { name, status: 'unchecked', detail };
}

export function notApplicable(name: string, detail?: string): Check {
  return detail === undefined
    ? { name, status: 'not-applicable' }
    : { name, status: 'not-applicable', detail };
}

/** `verified` when `ok`, else `failed`; the detail is the one that applies. */
export function checkOf(name: string, ok: boolean, passDetail: string, failDetail: string): Check {
  return ok ? verified(name, passDetail) : failed(name, failDetail);
}

/** Verified, or nothing to verify. */
export function passed(check: Check): boolean {
  return check.status === 'verified' || check.status === 'not-applicable';
}

/** The same check under another name (a rule's verdict reported as part of a larger one). */
export function renamed(check: Check, name: string): Check {
  return { ...check, name };
}

/** The weakest of several checks, under `name`: failed beats unchecked beats verified. */
export function combineChecks(name: string, checks: readonly Check[]): Check {
  const weakest = checks.find((c) => c.status === 'failed') ?? checks.find((c) => c.status === 'unchecked');
  return weakest ? renamed(weakest, name) : verified(name);
}
