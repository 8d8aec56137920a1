import { type ProofVerdict } from '@approval-ledger/protocol';
import { describe, expect, it } from 'vitest';
import { type VerifyMatch, type VerifyResponse } from '@approval-ledger/protocol/api';
import { browserVerified, checkMark, normaliseSha256, verificationState } from './verification-state';

const HASH = 'ab'.repeat(32);
const match = (extra: Partial<VerifyMatch> = {}): VerifyMatch => ({
  kind: 'milestone',
  id: 'BJ-EE-1',
  matchedBy: 'document',
  status: 'valid',
  tampered: false,
  offChain: 'match',
  region: 'BJ',
  dept: 'EE',
  projectCode: '2025-110105-47-03-000318',
  commitment: 'cd'.repeat(32),
  anchored: { txId: 'tx', blockNumber: 3, at: '2025-03-06T08:30:00Z' },
  recognitions: [],
  proof: { format: 'approval-ledger/proof@1', href: '/api/v1/proofs/milestone/BJ-EE-1' },
  ...extra,
});
const response = (matches: VerifyMatch[], extra: Partial<VerifyResponse> = {}): VerifyResponse => ({
  sha256: HASH,
  anchored: matches.length > 0,
  status: matches.length > 0 ? 'valid' : 'not-anchored',
  checkedAt: '2025-03-06T08:30:00Z',
  matches,
  ...extra,
});
const verdict = (status: ProofVerdict['status']): ProofVerdict => ({
  ok: status === 'valid' || status === 'revoked',
  status,
  checks: [],
  endorsedBy: [],
  trust: [],
});

describe('verificationState', () => {
  it('is valid when anchored and nothing is revoked', () => {
    expect(verificationState(response([match()]), [verdict('valid')])).toBe('valid');
  });

  it('is not found when nothing is anchored for the hash', () => {
    expect(verificationState(response([]))).toBe('not-found');
  });

  it('is revoked when the record itself was revoked, by the hub’s word or the bundle’s', () => {
    expect(verificationState(response([match(), match({ status: 'revoked' })]))).toBe('revoked');
    expect(verificationState(response([match()]), [verdict('revoked')])).toBe('revoked');
  });

  it('is superseded when the hash names a version a correction replaced, by the hub’s word or the bundle’s', () => {
    const old = match({ status: 'superseded', version: { number: 1, latest: false } });
    expect(verificationState(response([old], { status: 'superseded' }), [verdict('superseded')])).toBe(
      'superseded',
    );
    expect(verificationState(response([match()]), [verdict('superseded')])).toBe('superseded');
    // revocation wins: a revoked record is revoked whichever version is asked about
    expect(verificationState(response([old]), [verdict('revoked')])).toBe('revoked');
  });

  it('is source revoked when a recognition of the result lost its source', () => {
    const recognitions: VerifyMatch['recognitions'] = [
      { id: 'R-1', sourceRegion: 'BJ', targetRegion: 'TJ', status: 'SOURCE_REVOKED' },
    ];
    expect(verificationState(response([match({ recognitions })]))).toBe('source-revoked');
  });

  it('is tampered when the hub says so, a match says so, or a bundle fails in the browser', () => {
    expect(verificationState(response([match()], { status: 'tampered' }))).toBe('tampered');
    expect(verificationState(response([match({ tampered: true, status: 'revoked' })]))).toBe('tampered');
    expect(verificationState(response([match()]), [verdict('tampered')])).toBe('tampered');
    expect(verificationState(response([match()]), [verdict('invalid')])).toBe('tampered');
  });
});

describe('browserVerified', () => {
  it('allows the check mark only when this browser verified every match’s proof', () => {
    expect(browserVerified('valid', 1, [verdict('valid')])).toBe(true);
    expect(browserVerified('revoked', 1, [verdict('revoked')])).toBe(true);
    expect(browserVerified('valid', 2, [verdict('valid')])).toBe(false);
    expect(browserVerified('valid', 1, [undefined])).toBe(false);
    expect(browserVerified('tampered', 1, [verdict('tampered')])).toBe(false);
  });
});

describe('normaliseSha256', () => {
  it('accepts 64 hex digits in any case, with or without 0x, and refuses the rest', () => {
    expect(normaliseSha256(`  0x${HASH.toUpperCase()} `)).toBe(HASH);
    expect(normaliseSha256(HASH.slice(1))).toBeUndefined();
    expect(normaliseSha256(`${HASH.slice(1)}g`)).toBeUndefined();
  });
});

describe('foreign bundles and the check mark', () => {
  const refused = (name: string): ProofVerdict => ({
    ...verdict('invalid'),
    checks: [{ name, status: 'failed', detail: 'not the pinned one' }],
  });

  it('is foreign, not merely tampered, when the bundle is of another ledger or log than the pinned one', () => {
    for (const name of ['trust.genesis', 'checkpoint.signature', 'anchor.note']) {
      expect(verificationState(response([match()]), [refused(name)]), name).toBe('foreign');
    }
    expect(verificationState(response([match()]), [refused('record.opening')])).toBe('tampered');
  });

  it('is never browser-verified when the status is not proven (a v2 bundle without a current status proof)', () => {
    const unknown = { ...verdict('valid'), status: 'status-unknown' as const };
    expect(browserVerified('valid', 1, [unknown])).toBe(false);
    expect(browserVerified('foreign', 1, [verdict('valid')])).toBe(false);
  });

  it('shows a check only against pinned anchors', () => {
    expect(checkMark('valid', true, true)).toBe('✓');
    expect(checkMark('valid', true, false)).toBe('?');
    expect(checkMark('valid', false, true)).toBe('!');
    expect(checkMark('foreign', false, true)).toBe('✗');
    expect(checkMark('tampered', false, false)).toBe('✗');
  });
});
