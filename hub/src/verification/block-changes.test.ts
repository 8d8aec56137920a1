import { CHAINCODE_EVENTS } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { indexableTx, milestoneArg, milestonesTx as block } from '../../test/support/chain-index-fixtures';
import { expectedChanges, extractTransactions, type IndexableTransaction } from './block-changes';

const PROJECT = '2025-110105-47-03-000318';
const milestone = milestoneArg;
const tx = indexableTx;
const milestonesTx = (...anchors: Record<string, unknown>[]): IndexableTransaction => block(anchors);

// The reader's in-memory sets must learn of every REVOKED milestone, recognition and later version before the
// writer thread commits it, while reading as few transactions as it can: a miss would make /verify say valid
// for a revoked record until the hub restarts.
describe('expectedChanges: what the reading thread learns before the writer commits', () => {
  it('reads nothing of a block of plain first versions', () => {
    const { changes, laterVersions } = expectedChanges([
      milestonesTx(milestone('M-1'), milestone('M-2', { version: 1 })),
    ]);
    expect(changes.anchors).to.deep.equal([]);
    expect(laterVersions).to.equal(false);
  });

  it('finds a REVOKED milestone, written plainly or spelled with escapes', () => {
    const plain = milestonesTx(milestone('M-1'), milestone('M-9', { decision: 'REVOKED' }));
    const escaped = milestonesTx(milestone('M-8'));
    const spelled = {
      ...escaped,
      arg: escaped.arg?.replace('"APPROVED"', '"\\u0052EVOKED"'),
    };
    expect(JSON.parse(spelled.arg as string)[0].decision).to.equal('REVOKED');
    for (const block of [[plain], [spelled]]) {
      const { changes } = expectedChanges(block);
      const revoking = changes.anchors.filter((a) => a.decision === 'REVOKED');
      expect(revoking.map((a) => a.projectCode)).to.deep.equal([PROJECT]);
    }
  });

  it('says a block may supersede a version when an argument has a version other than 1', () => {
    expect(expectedChanges([milestonesTx(milestone('M-1', { version: 2 }))]).laterVersions).to.equal(true);
    expect(expectedChanges([milestonesTx(milestone('M-1', { version: 12 }))]).laterVersions).to.equal(true);
    const spaced = milestonesTx(milestone('M-1'));
    const withSpace = { ...spaced, arg: spaced.arg?.replace('"id":', '"version": 3, "id":') };
    expect(expectedChanges([withSpace]).laterVersions).to.equal(true);
    const escapedKey = { ...spaced, arg: spaced.arg?.replace('"id":', '"\\u0076ersion":3,"id":') };
    expect(expectedChanges([escapedKey]).laterVersions).to.equal(true);
  });

  it('reads every recognition request', () => {
    const request = {
      id: 'R-1',
      subjectType: 'certificate',
      subjectId: 'BJ-JZ-2025-0001',
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    };
    const { changes } = expectedChanges([
      tx(CHAINCODE_EVENTS.RecognitionRequested, JSON.stringify(request), {}),
    ]);
    expect(changes.recognitions.map((r) => [r.subjectType, r.subjectId])).to.deep.equal([
      ['certificate', 'BJ-JZ-2025-0001'],
    ]);
  });

  it('knows every fact the full reading of a mixed block gives', () => {
    const block = [
      milestonesTx(milestone('M-1'), milestone('M-2', { decision: 'REVOKED', projectCode: 'P-2' })),
      milestonesTx(milestone('M-3', { version: 2 })),
      tx(
        CHAINCODE_EVENTS.RecognitionRequested,
        JSON.stringify({
          id: 'R-2',
          subjectType: 'milestone',
          subjectId: 'M-1',
          sourceRegion: 'BJ',
          targetRegion: 'HE',
        }),
        {},
      ),
    ];
    const full = extractTransactions(block);
    const { changes, laterVersions } = expectedChanges(block);
    const revoking = (c: typeof full): string[] =>
      c.anchors.filter((a) => a.decision === 'REVOKED').map((a) => a.projectCode as string);
    expect(revoking(changes)).to.deep.equal(revoking(full));
    expect(changes.recognitions).to.deep.equal(full.recognitions);
    expect(laterVersions).to.equal(true);
    expect(full.anchors).to.have.length(3);
  });
});
