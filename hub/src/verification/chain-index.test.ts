import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { ChainIndex, type IndexChanges } from './chain-index';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const PROJECT = '2025-110105-47-03-000318';
const OTHER_PROJECT = '2025-110105-47-03-000999';

// revokingMilestones and supersededByCommitment skip their query when nothing can match (a project without a
// REVOKED milestone, an index without superseded versions): what they answer must not change, live or reopened.
describe('ChainIndex: revoking milestones and superseded versions', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a REVOKED milestone indexed after opening, and again after reopening', () => {
    let index = ChainIndex.open(file);
    index.applyBlock(indexedBlock(1, 1, 1), {
      ...empty,
      anchors: [indexedMilestone({ key: 'M-1', decidedAt: '2025-03-06T16:30:00+08:00' })],
    });
    expect(index.revokingMilestones(PROJECT)).to.deep.equal([]);
    const revoking = indexedMilestone({
      key: 'M-9',
      decision: 'REVOKED',
      decidedAt: '2025-04-01T10:00:00+08:00',
      blockNumber: 2,
    });
    index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [revoking] });
    expect(index.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-9']);
    expect(index.revokingMilestones(OTHER_PROJECT)).to.deep.equal([]);
    index.close();

    index = ChainIndex.open(file);
    try {
      expect(index.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-9']);
      expect(index.revokingMilestones(OTHER_PROJECT)).to.deep.equal([]);
    } finally {
      index.close();
    }
  });

  it('finds a superseded version by its commitment once a correction is indexed, and after reopening', () => {
    const first = indexedMilestone({
      key: 'M-1',
      decidedAt: '2025-03-06T16:30:00+08:00',
      commitment: 'a'.repeat(64),
    });
    const corrected = indexedMilestone({
      key: 'M-1',
      decidedAt: '2025-03-06T16:30:00+08:00',
      commitment: 'b'.repeat(64),
      anchorJson: '{"version":2}',
      txId: 'tx-M-1-v2',
      blockNumber: 2,
    });
    let index = ChainIndex.open(file);
    index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [first] });
    expect(index.supersededByCommitment('a'.repeat(64))).to.deep.equal([]);
    index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [corrected] });
    expect(index.supersededByCommitment('a'.repeat(64)).map((v) => [v.key, v.version])).to.deep.equal([
      ['M-1', 1],
    ]);
    index.close();

    index = ChainIndex.open(file);
    try {
      expect(index.supersededByCommitment('a'.repeat(64)).map((v) => v.supersededBy?.version)).to.deep.equal([
        2,
      ]);
      expect(index.supersededByCommitment('b'.repeat(64))).to.deep.equal([]);
    } finally {
      index.close();
    }
  });
});
