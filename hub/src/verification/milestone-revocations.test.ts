import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChainIndex, type IndexedAnchor } from './chain-index';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { milestoneRevocationsOf } from './source-revocation';

const PROJECT = '2025-110105-47-03-000420';

function anchor(
  key: string,
  decision: NonNullable<IndexedAnchor['decision']>,
  decidedAt: string,
  o: Partial<IndexedAnchor> = {},
): IndexedAnchor {
  return indexedMilestone({ ...o, key, decision, decidedAt, projectCode: PROJECT });
}

describe('milestoneRevocationsOf (the REVOKED milestones that revoke a milestone)', () => {
  let dir: string;
  let index: ChainIndex;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'milestone-revocations-'));
    index = ChainIndex.open(join(dir, 'index.sqlite'));
  });

  afterEach(() => {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function apply(number: number, anchors: IndexedAnchor[]): void {
    index.applyBlock(indexedBlock(number, anchors.length, anchors.length), {
      anchors,
      revocations: [],
      recognitions: [],
      decisions: [],
    });
  }

  it('lists them earliest decision first (instants, not texts), whatever the block order', () => {
    apply(1, [
      anchor('approved', 'APPROVED', '2025-03-06T16:30:00+08:00'),
      anchor('late', 'REVOKED', '2025-05-01T00:00:00+08:00', { blockNumber: 1 }),
    ]);
    apply(2, [
      // 2025-04-01T09:00+08:00: earlier than 'late' although its text sorts after it
      anchor('early', 'REVOKED', '2025-04-01T01:00:00Z', { blockNumber: 2 }),
      anchor('before', 'REVOKED', '2025-03-01T00:00:00+08:00', { blockNumber: 2 }),
      anchor('other-stage', 'REVOKED', '2025-04-01T00:00:00+08:00', { stage: 'COMPLETION_ACCEPTANCE' }),
    ]);
    const keys = (key: string) =>
      milestoneRevocationsOf(index, index.get('milestone', key)!).map((a) => a.key);
    expect(keys('approved')).to.deep.equal(['early', 'late']);
    // a revocation is not revoked, and certificates have their own revocations
    expect(keys('late')).to.deep.equal([]);
    expect(
      milestoneRevocationsOf(
        index,
        anchor('cert', 'APPROVED', '2025-03-01T00:00:00+08:00', { kind: 'certificate' }),
      ),
    ).to.deep.equal([]);
  });
});
