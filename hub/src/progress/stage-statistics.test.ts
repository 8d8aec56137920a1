import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChainIndex, type IndexedAnchor } from '../verification/chain-index';
import { StageStatistics } from './stage-statistics';

function anchor(project: number, stage: string, dept: string, day: number): IndexedAnchor {
  const decidedAt = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString();
  return {
    kind: 'milestone',
    key: `${project}-${stage}`,
    commitment: `${project}${stage}`.padEnd(64, '0'),
    region: 'BJ',
    dept,
    projectCode: `2025-110105-47-03-${String(project).padStart(6, '0')}`,
    uscc: null,
    stage,
    decision: 'APPROVED',
    decidedAt,
    validFrom: null,
    validUntil: null,
    txId: `tx-${project}`,
    blockNumber: 1,
    txIndex: 0,
    recordedAt: decidedAt,
    revokedAt: null,
    revocationReason: null,
    revocationTxId: null,
    revocationBlock: null,
    anchorJson: '{}',
    documentDigests: [],
    endorsers: ['BeijingMSP'],
    creator: 'BeijingMSP',
  };
}

describe('StageStatistics', () => {
  it('pages through every milestone of the index, projects spanning pages included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-stats-'));
    const index = ChainIndex.open(join(dir, 'index.sqlite'));
    try {
      const anchors = [];
      for (let p = 1; p <= 7; p++) {
        anchors.push(
          anchor(p, 'PROJECT_APPROVAL', 'DRC', 0),
          anchor(p, 'EIA', 'EE', p * 10),
          anchor(p, 'FIRE_DESIGN', 'FIRE', 3),
        );
      }
      index.applyBlock(
        {
          number: 1,
          hash: 'h',
          previousHash: 'p',
          dataHash: 'd',
          txCount: 1,
          validTxCount: 1,
          records: 0,
          time: null,
          signers: [],
        },
        { anchors, revocations: [], recognitions: [], decisions: [] },
      );
      const model = await new StageStatistics(index, 60_000, 2).refresh();
      expect(model.summary('EIA', 'EE')).to.include({ samples: 7, medianDays: 40 });
      expect(model.summary('FIRE_DESIGN', 'FIRE')).to.include({ samples: 7, medianDays: 3 });
    } finally {
      index.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
