import { expect } from 'chai';
import { PROJECT_TYPE_CODES } from './project-kinds.js';
import { STAGES, STAGE_CODES, type StageCode } from './stages.js';
import { approvalPlan, planProgress, topologicalOrder, type ApprovalPlan } from './approval-plans.js';

function positions(plan: ApprovalPlan): Map<StageCode, number> {
  return new Map(topologicalOrder(plan).map((stage, i) => [stage, i]));
}

describe('approval plans', () => {
  PROJECT_TYPE_CODES.forEach((type) => {
    describe(type, () => {
      const plan = approvalPlan(type);
      const codes = new Set(plan.stages.map((s) => s.stage));

      it('lists each stage once, all of them known', () => {
        expect(codes.size).to.equal(plan.stages.length);
        plan.stages.forEach((s) => expect(STAGE_CODES).to.include(s.stage));
      });

      it('depends only on stages of the same plan', () => {
        plan.stages.forEach((s) =>
          s.dependsOn.forEach((d) => expect(codes, `${s.stage} -> ${d}`).to.include(d)),
        );
      });

      it('is acyclic: the topological order places every stage after its prerequisites', () => {
        const at = positions(plan);
        expect(at.size).to.equal(plan.stages.length);
        plan.stages.forEach((s) =>
          s.dependsOn.forEach((d) => expect(at.get(d)).to.be.below(at.get(s.stage) as number)),
        );
      });

      it('starts with project approval and ends with completion acceptance', () => {
        const order = topologicalOrder(plan);
        expect(order[0]).to.equal('PROJECT_APPROVAL');
        expect(order[order.length - 1]).to.equal('COMPLETION_ACCEPTANCE');
      });

      it('takes phase and default department from the stage registry', () => {
        plan.stages.forEach((s) =>
          expect(s).to.include({ phase: STAGES[s.stage].phase, dept: STAGES[s.stage].dept }),
        );
      });

      it('puts every stage before the construction permit and completion after it', () => {
        const at = positions(plan);
        const permit = at.get('CONSTRUCTION_PERMIT') as number;
        plan.stages
          .filter((s) => s.stage !== 'CONSTRUCTION_PERMIT' && s.stage !== 'COMPLETION_ACCEPTANCE')
          .forEach((s) => expect(at.get(s.stage)).to.be.below(permit));
        expect(at.get('COMPLETION_ACCEPTANCE')).to.be.above(permit);
      });
    });
  });

  it('orders land-use planning before engineering planning before the construction permit', () => {
    const at = positions(approvalPlan('INDUSTRIAL'));
    expect(at.get('LAND_USE_PLANNING')).to.be.below(at.get('ENGINEERING_PLANNING') as number);
    expect(at.get('ENGINEERING_PLANNING')).to.be.below(at.get('CONSTRUCTION_PERMIT') as number);
  });

  it('runs the environmental, fire-design and energy reviews in parallel after project approval', () => {
    const plan = approvalPlan('INDUSTRIAL');
    const progress = planProgress(plan, new Set(['PROJECT_APPROVAL']));
    const ready = progress.filter((p) => p.status === 'ready').map((p) => p.stage);
    expect(ready).to.have.members(['LAND_USE_PLANNING', 'EIA', 'FIRE_DESIGN', 'ENERGY_REVIEW']);
  });

  it('gives small community works a simplified plan without land-use permit, EIA or energy review', () => {
    const stages = approvalPlan('SMALL_COMMUNITY').stages.map((s) => s.stage);
    expect(stages).to.not.include.members(['LAND_USE_PLANNING']);
    expect(stages).to.not.include('EIA');
    expect(stages).to.not.include('ENERGY_REVIEW');
    expect(stages.length).to.be.below(approvalPlan('INDUSTRIAL').stages.length);
  });

  it('reports each stage as done, ready or blocked with what it waits for', () => {
    const progress = planProgress(
      approvalPlan('RESIDENTIAL'),
      new Set<StageCode>(['PROJECT_APPROVAL', 'EIA']),
    );
    const byStage = Object.fromEntries(progress.map((p) => [p.stage, p]));
    expect(byStage.PROJECT_APPROVAL).to.deep.include({ status: 'done', waitingFor: [] });
    expect(byStage.LAND_USE_PLANNING).to.deep.include({ status: 'ready', waitingFor: [] });
    expect(byStage.CONSTRUCTION_PERMIT).to.deep.include({
      status: 'blocked',
      waitingFor: ['ENGINEERING_PLANNING', 'FIRE_DESIGN'],
    });
    expect(progress.map((p) => p.stage)).to.deep.equal(topologicalOrder(approvalPlan('RESIDENTIAL')));
  });

  it('counts a stage done even when a prerequisite arrived out of order', () => {
    const progress = planProgress(
      approvalPlan('SMALL_COMMUNITY'),
      new Set<StageCode>(['CONSTRUCTION_PERMIT']),
    );
    expect(progress.find((p) => p.stage === 'CONSTRUCTION_PERMIT')?.status).to.equal('done');
    expect(progress.find((p) => p.stage === 'PROJECT_APPROVAL')?.status).to.equal('ready');
  });

  it('refuses to order a plan with a cycle or an unknown prerequisite', () => {
    const cyclic: ApprovalPlan = {
      projectType: 'INDUSTRIAL',
      stages: [
        { stage: 'EIA', phase: 'ENGINEERING_PERMIT', dept: 'EE', dependsOn: ['FIRE_DESIGN'] },
        { stage: 'FIRE_DESIGN', phase: 'ENGINEERING_PERMIT', dept: 'FIRE', dependsOn: ['EIA'] },
      ],
    };
    expect(() => topologicalOrder(cyclic)).to.throw(/dependency cycle among EIA, FIRE_DESIGN/);
    const dangling: ApprovalPlan = {
      projectType: 'INDUSTRIAL',
      stages: [{ stage: 'EIA', phase: 'ENGINEERING_PERMIT', dept: 'EE', dependsOn: ['PROJECT_APPROVAL'] }],
    };
    expect(() => topologicalOrder(dangling)).to.throw(
      /EIA depends on PROJECT_APPROVAL, which is not in the plan/,
    );
  });

  it('hands out plans that cannot be changed by a caller', () => {
    const plan = approvalPlan('GOVERNMENT');
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.stages) && Object.isFrozen(plan.stages[0])).to.be
      .true;
  });
});
