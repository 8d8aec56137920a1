import { type ProofVerdict } from '@approval-ledger/protocol';
import { type VerifyResponse } from '@approval-ledger/protocol/api';

/** The answers the verify page gives. */
export type VerificationState =
  'valid' | 'revoked' | 'superseded' | 'source-revoked' | 'not-found' | 'tampered';

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
  if (isTampered(response, verdicts)) return 'tampered';
  if (isRevoked(response, verdicts)) return 'revoked';
  if (isSuperseded(response, verdicts)) return 'superseded';
  return isSourceRevoked(response) ? 'source-revoked' : 'valid';
}

/** The check mark is for what this browser verified itself: every match's proof bundle, all checks passed. */
export function browserVerified(
  state: VerificationState,
  matches: number,
  verdicts: readonly (ProofVerdict | undefined)[],
): boolean {
  return (
    state !== 'not-found' &&
    state !== 'tampered' &&
    verdicts.length === matches &&
    verdicts.every((v) => v?.ok === true)
  );
}
