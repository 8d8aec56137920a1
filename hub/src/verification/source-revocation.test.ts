import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChainIndex, type IndexedAnchor } from './chain-index';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { isSourceRevoked, isSubjectRevoked, revokedMilestones } from './source-revocation';

const PROJECT = '2025-110105-47-03-000318';

function milestone(
  key: string,
  decision: NonNullable<IndexedAnchor['decision']>,
  decidedAt: string,
  stage: NonNullable<IndexedAnchor['stage']> = 'CONSTRUCTION_PERMIT',
): IndexedAnchor {
  return indexedMilestone({ key, decision, decidedAt, stage, projectCode: PROJECT });
}

describe('source revocation in the chain index', () => {
  let dir: string;
  let index: ChainIndex;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'source-revocation-'));
    index = ChainIndex.open(join(dir, 'index.sqlite'));
  });

  afterEach(() => {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function apply(number: number, anchors: IndexedAnchor[]): void {
    index.applyBlock(indexedBlock(number, 1, anchors.length), {
      anchors,
      revocations: [],
      recognitions: anchors
        .filter((a) => a.decision !== 'REVOKED')
        .map((a) => ({
          id: `rec-${a.key}`,
          subjectType: 'milestone',
          subjectId: a.key,
          sourceRegion: 'BJ',
          targetRegion: 'TJ',
          requestTxId: `tx-rec-${a.key}`,
          requestedAt: a.decidedAt as string,
          requestJson: '{}',
        })),
      decisions: [],
    });
  }

  it('reads a milestone that a later REVOKED milestone of its stage revokes as revoked, and nothing else', () => {
    apply(0, [
      milestone('approved', 'APPROVED', '2025-03-06T16:30:00+08:00'),
      milestone('other-stage', 'APPROVED', '2025-03-01T10:00:00+08:00', 'COMPLETION_ACCEPTANCE'),
    ]);
    expect(isSubjectRevoked(index, 'milestone', 'approved')).to.equal(false);
    apply(1, [
      // the same instant as the approval's, in UTC: at or before the revocation counts
      milestone('revocation', 'REVOKED', '2025-03-09T02:00:00Z'),
      milestone('reapproved', 'APPROVED', '2025-03-12T10:00:00+08:00'),
    ]);
    expect(isSubjectRevoked(index, 'milestone', 'approved')).to.equal(true);
    expect(isSourceRevoked(index, index.get('milestone', 'approved'))).to.equal(true);
    expect(isSubjectRevoked(index, 'milestone', 'reapproved')).to.equal(false);
    expect(isSubjectRevoked(index, 'milestone', 'other-stage')).to.equal(false);
    expect(isSubjectRevoked(index, 'milestone', 'unknown')).to.equal(false);
    expect(isSubjectRevoked(index, 'certificate', 'approved')).to.equal(false);
    expect([...revokedMilestones(index.byProject(PROJECT))]).to.deep.equal(['approved']);
  });
});
