import { type ProofVerdict } from '@approval-ledger/protocol';
import { type VerifyResponse } from '@approval-ledger/protocol/api';

/** The answers the verify page gives. */
export type VerificationState =
  'valid' | 'revoked' | 'superseded' | 'source-revoked' | 'not-found' | 'tampered' | 'foreign';

/**
 * Checks that fail when a bundle is of another ledger or log than the pinned one: its block 0 is not the pinned
 * genesis, its checkpoint is not signed by the pinned log key. Such a bundle is refused as foreign, which says
 * more than "tampered".
 */
const FOREIGN_CHECKS = new Set(['trust.genesis', 'checkpoint.signature', 'anchor.note']);

function isForeign(verdicts: readonly ProofVerdict[]): boolean {
  return verdicts.some((v) => v.checks.some((c) => c.status === 'failed' && FOREIGN_CHECKS.has(c.name)));
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A pasted hash, trimmed and lower-cased, or undefined when it is not 64 hex digits. */
export function normaliseSha256(text: string): string | undefined {
  const value = text.trim().replace(/^0x/i, '').toLowerCase();
  return SHA256.test(value) ? value : undefined;
}

function isTampered(response: VerifyResponse, verdicts: readonly ProofVerdict[]): boolean {
  return (
    response.status === 'tampered' ||
    response.matches.some((m) => m.tampered) ||
    verdicts.some((v) => v.status === 'tampered' || v.status === 'invalid')
  );
}

function isRevoked(response: VerifyResponse, verdicts: readonly ProofVerdict[]): boolean {
  return response.matches.some((m) => m.status === 'revoked') || verdicts.some((v) => v.status === 'revoked');
}

/** A version of a corrected record (更正) that a later version replaced, by the hub's answer or the bundle's. */
function isSuperseded(response: VerifyResponse, verdicts: readonly ProofVerdict[]): boolean {
  return (
    response.status === 'superseded' ||
    (response.matches.length > 0 && response.matches.every((m) => m.status === 'superseded')) ||
    (verdicts.length > 0 && verdicts.every((v) => v.status === 'superseded'))
  );
}

function isSourceRevoked(response: VerifyResponse): boolean {
  return response.matches.some((m) => m.recognitions.some((r) => r.status === 'SOURCE_REVOKED'));
}

/**
 * The state of a verified hash. Tampering wins over everything: the hub saying so, or a proof bundle failing
 * in the browser. Then revocation of the record itself, then a version that a correction superseded, then
 * revocation of the source of a recognition of it.
 */
export function verificationState(
  response: VerifyResponse,
  verdicts: readonly ProofVerdict[] = [],
): VerificationState {
  if (!response.anchored || response.matches.length === 0) return 'not-found';
  if (isForeign(verdicts)) return 'foreign';
  if (isTampered(response, verdicts)) return 'tampered';
  if (isRevoked(response, verdicts)) return 'revoked';
  if (isSuperseded(response, verdicts)) return 'superseded';
  return isSourceRevoked(response) ? 'source-revoked' : 'valid';
}

/**
 * What this browser verified itself: every match's proof bundle, all checks passed, and (v2) its status
 * proven. The check mark also needs pinned anchors ({@link checkMark}).
 */
export function browserVerified(
  state: VerificationState,
  matches: number,
  verdicts: readonly (ProofVerdict | undefined)[],
): boolean {
  return (
    state !== 'not-found' &&
    state !== 'tampered' &&
    state !== 'foreign' &&
    verdicts.length === matches &&
    verdicts.every((v) => v?.ok === true && v.status !== 'status-unknown')
  );
}

/**
 * The mark the page shows: a check only for bundles verified here against pinned anchors; `?` when they
 * verified against nothing pinned (a bundle of any other ledger under the same names would too); `✗` refused.
 */
export function checkMark(
  state: VerificationState,
  verified: boolean,
  pinned: boolean,
): '✓' | '?' | '✗' | '!' {
  if (state === 'tampered' || state === 'foreign') return '✗';
  if (!verified) return '!';
  return pinned ? '✓' : '?';
}
