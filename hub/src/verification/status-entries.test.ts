import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { ChainIndex, type IndexChanges } from './chain-index';
import { statusEntries } from './status-entries';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };

describe('statusEntries (the revocations a checkpoint of the first N blocks commits to)', () => {
  let dir: string;
  let index: ChainIndex;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'status-entries-'));
    index = ChainIndex.open(join(dir, 'index.sqlite'));
    const approved = indexedMilestone({ key: 'M-1', decidedAt: '2025-03-06T16:30:00+08:00', blockNumber: 1 });
    const certificate = indexedMilestone({
      key: 'C-1',
      kind: 'certificate',
      decidedAt: '2025-03-06T16:30:00+08:00',
      blockNumber: 1,
    });
    index.applyBlock(indexedBlock(1, 2, 2), { ...empty, anchors: [approved, certificate] });
    index.applyBlock(indexedBlock(2, 1, 0), {
      ...empty,
      recognitions: [
        {
          id: 'R-1',
          subjectType: 'milestone',
          subjectId: 'M-1',
          sourceRegion: 'BJ',
          targetRegion: 'TJ',
          requestTxId: 'tx-r1',
          requestedAt: '2025-03-07T10:00:00+08:00',
          requestJson: '{}',
        },
      ],
    });
    const revoking = indexedMilestone({
      key: 'M-9',
      decision: 'REVOKED',
      decidedAt: '2025-04-01T10:00:00+08:00',
      blockNumber: 3,
    });
    index.applyBlock(indexedBlock(3, 1, 1), { ...empty, anchors: [revoking] });
    index.applyBlock(indexedBlock(4, 1, 0), {
      ...empty,
      revocations: [
        { number: 'C-1', revokedAt: '2025-04-02T10:00:00+08:00', reason: 'x', txId: 'tx-c1', blockNumber: 4 },
      ],
    });
  });

  after(() => {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out what the first N blocks do not hold', () => {
    expect(statusEntries(index, 3)).to.deep.equal([]);
  });

  it('holds the revoked milestone (by the REVOKED one) and its recognition, SOURCE_REVOKED, from block 3 on', () => {
    expect(statusEntries(index, 4)).to.deep.equal([
      { kind: 'milestone', id: 'M-1', status: 'REVOKED', txId: 'tx-M-9', block: 3, by: 'M-9' },
      {
        kind: 'recognition',
        id: 'R-1',
        status: 'SOURCE_REVOKED',
        txId: 'tx-M-9',
        block: 3,
        by: 'milestone/M-1',
      },
    ]);
  });

  it('holds the certificate from the block of its revocation on', () => {
    expect(statusEntries(index, 5)).to.deep.include({
      kind: 'certificate',
      id: 'C-1',
      status: 'REVOKED',
      txId: 'tx-c1',
      block: 4,
    });
  });
});
