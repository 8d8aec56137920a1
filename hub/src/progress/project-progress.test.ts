import { type DepartmentCode, type StageCode } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { projectProgress } from './project-progress';
import { quantile, StageDurations } from './stage-durations';
import { type StageFact } from './stage-facts';

const DAY = 86_400_000;
const CODE = '2025-110105-47-03-000318';

function at(day: number): string {
  return new Date(Date.UTC(2025, 0, 1) + day * DAY).toISOString();
}

function fact(stage: StageCode, dept: DepartmentCode, day: number, decision = 'APPROVED'): StageFact {
  return { stage, dept, decision, decidedAt: at(day) };
}

/** A commercial project that went through the whole plan, each stage taking `days[stage]`. */
function completedProject(
  code: string,
  start: number,
  eia: number,
): { projectCode: string; facts: StageFact[] } {
  return {
    projectCode: code,
    facts: [
      fact('PROJECT_APPROVAL', 'DRC', start),
      fact('LAND_USE_PLANNING', 'PNR', start + 10),
      fact('ENGINEERING_PLANNING', 'PNR', start + 30),
      fact('EIA', 'EE', start + eia),
      fact('FIRE_DESIGN', 'FIRE', start + 15),
      fact('ENERGY_REVIEW', 'DRC', start + 12),
      fact('CONSTRUCTION_PERMIT', 'HC', start + 50),
      fact('COMPLETION_ACCEPTANCE', 'HC', start + 400),
    ],
  };
}

describe('project progress', () => {
  const history = StageDurations.from(
    [10, 20, 30, 40, 50].map((eia, i) => completedProject(`2024-110105-47-03-00000${i}`, i * 3, eia)),
    new Date(Date.UTC(2025, 5, 1)),
  );

  it('learns the median and 90th percentile of each stage in each department', () => {
    const eia = history.summary('EIA', 'EE');
    expect(eia).to.include({ samples: 5, medianDays: 30 });
    expect(eia!.p90Days).to.be.closeTo(46, 1e-9);
    expect(history.summary('LAND_USE_PLANNING', 'PNR')).to.include({ medianDays: 10, p90Days: 10 });
    expect(history.summary('EIA', 'HC')).to.equal(undefined);
  });

  it('places each stage along the plan and projects completion from the history, stating the basis', () => {
    const progress = projectProgress(
      CODE,
      'COMMERCIAL',
      [fact('PROJECT_APPROVAL', 'DRC', 100), fact('EIA', 'EE', 110, 'RETURNED')],
      history,
      new Date(Date.UTC(2025, 0, 1) + 105 * DAY),
    );
    expect(progress.completed).to.equal(1);
    expect(progress.total).to.equal(8);
    const byStage = Object.fromEntries(progress.stages.map((s) => [s.stage, s]));
    expect(byStage.PROJECT_APPROVAL).to.include({ status: 'done', completedAt: at(100) });
    expect(byStage.EIA).to.include({ status: 'ready' });
    expect(byStage.CONSTRUCTION_PERMIT!.status).to.equal('blocked');
    expect(byStage.CONSTRUCTION_PERMIT!.waitingFor).to.include.members(['ENGINEERING_PLANNING', 'EIA']);
    expect(byStage.EIA!.expected!.medianAt).to.equal(at(130));
    const samples = progress.stages.reduce((n, s) => n + (s.history?.samples ?? 0), 0);
    expect(samples).to.be.greaterThan(0);
    expect(progress.expectedCompletion).to.include({ status: 'projected', samples });
    expect(progress.expectedCompletion).to.have.property('statisticsAt').that.is.a('string');
    expect(progress.basis).to.contain(`median and 90th percentile of ${samples} completed durations`);
  });

  it('says what history is missing instead of guessing', () => {
    const empty = new StageDurations();
    const progress = projectProgress(
      CODE,
      undefined,
      [fact('PROJECT_APPROVAL', 'DRC', 1)],
      empty,
      new Date(Date.UTC(2025, 1, 1)),
    );
    expect(progress.expectedCompletion.status).to.equal('unknown');
    expect(progress.projectTypeBasis).to.equal('assumed');
    expect(progress.basis).to.match(/no completed/);
  });

  it('does not count a stage whose approval was revoked afterwards', () => {
    const progress = projectProgress(
      CODE,
      'COMMERCIAL',
      [fact('PROJECT_APPROVAL', 'DRC', 1), fact('PROJECT_APPROVAL', 'DRC', 5, 'REVOKED')],
      history,
    );
    expect(progress.completed).to.equal(0);
  });

  it('uses the government plan for an approval-kind (01) project code without a recorded type', () => {
    expect(projectProgress('2025-110105-47-01-000001', undefined, [], history).projectType).to.equal(
      'GOVERNMENT',
    );
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).to.equal(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).to.be.closeTo(9.1, 1e-9);
    expect(quantile([7], 0.9)).to.equal(7);
  });
});
