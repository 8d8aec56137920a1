import { approvalPlan } from '@approval-ledger/protocol';
import { describe, expect, it } from 'vitest';
import { milestoneEntry } from '../testing/milestone-entries';
import { swimlaneLayout } from './swimlane-layout';

const industrial = approvalPlan('INDUSTRIAL');

function statuses(layout: ReturnType<typeof swimlaneLayout>): Record<string, string> {
  return Object.fromEntries(layout.lanes.flatMap((l) => l.cells.map((c) => [c.stage, c.status])));
}

describe('swimlaneLayout', () => {
  it('puts each department in its own lane and parallel reviews in the same column', () => {
    const layout = swimlaneLayout(industrial, []);
    expect(layout.lanes.map((l) => l.dept)).toEqual(['DRC', 'PNR', 'EE', 'FIRE', 'HC']);
    expect(layout.columns).toBe(5);
    const column = Object.fromEntries(layout.lanes.flatMap((l) => l.cells.map((c) => [c.stage, c.column])));
    expect(column).toEqual({
      PROJECT_APPROVAL: 0,
      LAND_USE_PLANNING: 1,
      EIA: 1,
      FIRE_DESIGN: 1,
      ENERGY_REVIEW: 1,
      ENGINEERING_PLANNING: 2,
      CONSTRUCTION_PERMIT: 3,
      COMPLETION_ACCEPTANCE: 4,
    });
    expect(layout.lanes.find((l) => l.dept === 'DRC')?.cells.map((c) => c.stage)).toEqual([
      'PROJECT_APPROVAL',
      'ENERGY_REVIEW',
    ]);
  });

  it('marks stages done, in progress, rejected, ready and blocked from the latest decision', () => {
    const layout = swimlaneLayout(industrial, [
      milestoneEntry('PROJECT_APPROVAL', 'APPROVED', '2025-01-10T10:00:00+08:00'),
      milestoneEntry('LAND_USE_PLANNING', 'APPROVED', '2025-02-01T10:00:00+08:00'),
      milestoneEntry('EIA', 'CONDITIONALLY_ACCEPTED', '2025-02-03T10:00:00+08:00'),
      milestoneEntry('FIRE_DESIGN', 'REJECTED', '2025-02-04T10:00:00+08:00'),
    ]);
    expect(statuses(layout)).toEqual({
      PROJECT_APPROVAL: 'done',
      ENERGY_REVIEW: 'ready',
      LAND_USE_PLANNING: 'done',
      ENGINEERING_PLANNING: 'ready',
      EIA: 'in-progress',
      FIRE_DESIGN: 'rejected',
      CONSTRUCTION_PERMIT: 'blocked',
      COMPLETION_ACCEPTANCE: 'blocked',
    });
    const permit = layout.lanes.find((l) => l.dept === 'HC')?.cells[0];
    expect(permit?.waitingFor).toEqual(['ENGINEERING_PLANNING', 'EIA', 'FIRE_DESIGN', 'ENERGY_REVIEW']);
    expect(layout.doneCount).toBe(2);
    expect(layout.stageCount).toBe(8);
  });

  it('orders milestones by decision time across offsets, whatever order they arrived in', () => {
    const approved = milestoneEntry('EIA', 'APPROVED', '2025-03-06T09:00:00Z');
    const accepted = milestoneEntry('EIA', 'CONDITIONALLY_ACCEPTED', '2025-03-06T16:00:00+08:00');
    const layout = swimlaneLayout(industrial, [approved, accepted]);
    const eia = layout.lanes.find((l) => l.dept === 'EE')?.cells[0];
    expect(eia?.milestones.map((m) => m.decision)).toEqual(['CONDITIONALLY_ACCEPTED', 'APPROVED']);
    expect(eia?.status).toBe('done');
    expect(eia?.latest).toBe(approved);
  });

  it('shows work that started before its prerequisites as in progress, still waiting', () => {
    const layout = swimlaneLayout(industrial, [
      milestoneEntry('CONSTRUCTION_PERMIT', 'RETURNED', '2025-03-01T10:00:00+08:00'),
    ]);
    const permit = layout.lanes.find((l) => l.dept === 'HC')?.cells[0];
    expect(permit?.status).toBe('in-progress');
    expect(permit?.waitingFor.length).toBe(4);
  });

  it('takes a revoked approval back: the stage is no longer done and what follows is blocked again', () => {
    const layout = swimlaneLayout(industrial, [
      milestoneEntry('PROJECT_APPROVAL', 'APPROVED', '2025-01-10T10:00:00+08:00'),
      milestoneEntry('PROJECT_APPROVAL', 'REVOKED', '2025-04-10T10:00:00+08:00'),
    ]);
    expect(statuses(layout)['PROJECT_APPROVAL']).toBe('ready');
    expect(statuses(layout)['EIA']).toBe('blocked');
  });

  it('lists milestones of stages outside the plan apart (small community works have no EIA)', () => {
    const eia = milestoneEntry('EIA', 'APPROVED', '2025-01-10T10:00:00+08:00');
    const layout = swimlaneLayout(approvalPlan('SMALL_COMMUNITY'), [eia]);
    expect(layout.offPlan).toEqual([eia]);
    expect(layout.doneCount).toBe(0);
    expect(layout.lanes.map((l) => l.dept)).toEqual(['DRC', 'PNR', 'FIRE', 'HC']);
  });

  it('lays out 200 milestones with every one placed once', () => {
    const stages = ['PROJECT_APPROVAL', 'EIA', 'FIRE_DESIGN', 'LAND_USE_PLANNING'] as const;
    const many = Array.from({ length: 200 }, (_, i) =>
      milestoneEntry(
        stages[i % 4] ?? 'EIA',
        i % 7 === 0 ? 'APPROVED' : 'RETURNED',
        new Date(Date.UTC(2025, 0, 1) + i * 3600_000).toISOString(),
      ),
    );
    const layout = swimlaneLayout(industrial, many);
    expect(layout.lanes.flatMap((l) => l.cells).reduce((n, c) => n + c.milestones.length, 0)).toBe(200);
  });
});
