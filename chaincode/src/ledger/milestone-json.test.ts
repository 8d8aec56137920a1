import { canonicalize, sha256Hex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import type { MilestoneEntry } from './entries';
import { milestoneEntryJson } from './milestone-json';

const base: MilestoneEntry = {
  id: 'bj-hc-0001',
  projectCode: '2025-110105-47-03-000318',
  region: 'BJ',
  dept: 'HC',
  stage: 'CONSTRUCTION_PERMIT',
  decision: 'APPROVED',
  decidedAt: '2025-03-06T16:30:00+08:00',
  applicantUscc: '91110105MA01WJ3K7N',
  documentDigests: [sha256Hex('a'), sha256Hex('b')],
  commitment: sha256Hex('c'),
  txId: 'f'.repeat(64),
  recordedAt: '2025-03-10T02:01:00.000Z',
};

describe('milestone entry JSON', () => {
  it('is canonicalize’s text for every shape an entry takes (first version, correction, no digests)', () => {
    const entries: MilestoneEntry[] = [
      base,
      { ...base, version: 2, corrects: sha256Hex('c0') },
      { ...base, documentDigests: [] },
      { ...base, id: 'id "quoted" \\ back\u0001slash', decision: 'REVOKED' },
      // key order of the object does not matter
      Object.fromEntries(
        Object.entries({ ...base, version: 1_000_000, corrects: sha256Hex('x') }).reverse(),
      ) as unknown as MilestoneEntry,
    ];
    for (const entry of entries) expect(milestoneEntryJson(entry)).to.equal(canonicalize(entry));
  });

  it('leaves what is not that exact shape to canonicalize: same text, or the same refusal', () => {
    const odd = [
      { ...base, extra: 'x' },
      { ...base, id: 'astral \u{1F600}' },
      { ...base, id: 'a backslash before \\ud800, not a surrogate' },
      { ...base, version: 2.5, corrects: sha256Hex('c0') },
      { ...base, documentDigests: [1, 2] },
    ];
    for (const entry of odd)
      expect(milestoneEntryJson(entry as unknown as MilestoneEntry)).to.equal(canonicalize(entry));
    const { txId: _dropped, ...withoutTxId } = base;
    expect(milestoneEntryJson(withoutTxId as MilestoneEntry)).to.equal(canonicalize(withoutTxId));
    const lone = { ...base, id: 'lone \uD800 surrogate' };
    expect(() => milestoneEntryJson(lone)).to.throw(/lone UTF-16 surrogate/);
    const undefinedVersion = { ...base, version: undefined };
    expect(() => milestoneEntryJson(undefinedVersion)).to.throw(/undefined/);
  });
});
