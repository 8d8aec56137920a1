import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChainIndex, type IndexedAnchor } from '../verification/chain-index';
import { indexedMilestone, indexedBlock } from '../../test/support/chain-index-fixtures';
import { StageStatistics } from './stage-statistics';

function anchor(
  project: number,
  stage: NonNullable<IndexedAnchor['stage']>,
  dept: NonNullable<IndexedAnchor['dept']>,
  day: number,
): IndexedAnchor {
  return indexedMilestone({
    key: `${project}-${stage}`,
    commitment: `${project}${stage}`.padEnd(64, '0'),
    dept,
    projectCode: `2025-110105-47-03-${String(project).padStart(6, '0')}`,
    stage,
    decidedAt: new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString(),
    txId: `tx-${project}`,
  });
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
      index.applyBlock(indexedBlock(1, 1, 0), { anchors, revocations: [], recognitions: [], decisions: [] });
      const model = await new StageStatistics(index, 60_000, 2).refresh();
      expect(model.summary('EIA', 'EE')).to.include({ samples: 7, medianDays: 40 });
      expect(model.summary('FIRE_DESIGN', 'FIRE')).to.include({ samples: 7, medianDays: 3 });
    } finally {
      index.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
