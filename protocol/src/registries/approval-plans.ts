/**
 * Approval-plan templates: the stages a project of each type goes through and what each waits for.
 * Land-use planning precedes engineering planning, which precedes the construction permit; the
 * environmental, fire-design and energy reviews run in parallel after project approval and before the
 * construction permit; completion acceptance comes last.
 */
import { type DepartmentCode } from './departments.js';
import { type ProjectType } from './project-kinds.js';
import { STAGES, type PhaseCode, type StageCode } from './stages.js';

export interface PlanStage {
  readonly stage: StageCode;
  readonly phase: PhaseCode;
  readonly dept: DepartmentCode;
  readonly dependsOn: readonly StageCode[];
}

export interface ApprovalPlan {
  readonly projectType: ProjectType;
  readonly stages: readonly PlanStage[];
}

export type StageStatus = 'done' | 'ready' | 'blocked';

export interface StageProgress {
  readonly stage: StageCode;
  readonly status: StageStatus;
  /** Prerequisites not yet completed (empty unless `blocked`). */
  readonly waitingFor: readonly StageCode[];
}

type Template = Partial<Record<StageCode, readonly StageCode[]>>;

const REVIEWS_AFTER_APPROVAL = ['PROJECT_APPROVAL'] as const;

const FULL: Template = {
  PROJECT_APPROVAL: [],
  LAND_USE_PLANNING: ['PROJECT_APPROVAL'],
  ENGINEERING_PLANNING: ['LAND_USE_PLANNING'],
  EIA: REVIEWS_AFTER_APPROVAL,
  FIRE_DESIGN: REVIEWS_AFTER_APPROVAL,
  ENERGY_REVIEW: REVIEWS_AFTER_APPROVAL,
  CONSTRUCTION_PERMIT: ['ENGINEERING_PLANNING', 'EIA', 'FIRE_DESIGN', 'ENERGY_REVIEW'],
  COMPLETION_ACCEPTANCE: ['CONSTRUCTION_PERMIT'],
};

/** Housing: no separate energy review (building energy standards are checked in the design review). */
const RESIDENTIAL: Template = {
  PROJECT_APPROVAL: [],
  LAND_USE_PLANNING: ['PROJECT_APPROVAL'],
  ENGINEERING_PLANNING: ['LAND_USE_PLANNING'],
  EIA: REVIEWS_AFTER_APPROVAL,
  FIRE_DESIGN: REVIEWS_AFTER_APPROVAL,
  CONSTRUCTION_PERMIT: ['ENGINEERING_PLANNING', 'EIA', 'FIRE_DESIGN'],
  COMPLETION_ACCEPTANCE: ['CONSTRUCTION_PERMIT'],
};

/** Simplified procedure (简易流程): no separate land-use permit, EIA or energy review. */
const SMALL_COMMUNITY: Template = {
  PROJECT_APPROVAL: [],
  ENGINEERING_PLANNING: ['PROJECT_APPROVAL'],
  FIRE_DESIGN: REVIEWS_AFTER_APPROVAL,
  CONSTRUCTION_PERMIT: ['ENGINEERING_PLANNING', 'FIRE_DESIGN'],
  COMPLETION_ACCEPTANCE: ['CONSTRUCTION_PERMIT'],
};

const TEMPLATES: Record<ProjectType, Template> = {
  INDUSTRIAL: FULL,
  COMMERCIAL: FULL,
  RESIDENTIAL,
  GOVERNMENT: FULL,
  SMALL_COMMUNITY,
};

const PLANS = Object.fromEntries(
  Object.entries(TEMPLATES).map(([type, template]) => [type, buildPlan(type as ProjectType, template)]),
) as Record<ProjectType, ApprovalPlan>;

/** The approval plan (stage dependency graph) for a project type. */
export function approvalPlan(projectType: ProjectType): ApprovalPlan {
  return PLANS[projectType];
}

/** The plan's stages ordered so each comes after all it depends on; throws on a cycle or unknown stage. */
export function topologicalOrder(plan: ApprovalPlan): StageCode[] {
  const remaining = new Map(plan.stages.map((s) => [s.stage, s.dependsOn]));
  const order: StageCode[] = [];
  const placed = new Set<StageCode>();
  while (remaining.size > 0) {
    const next = [...remaining].find(([, deps]) => deps.every((d) => placed.has(d)));
    if (!next) throw new Error(`approval plan ${plan.projectType}: ${describeStuck(remaining, plan)}`);
    order.push(next[0]);
    placed.add(next[0]);
    remaining.delete(next[0]);
  }
  return order;
}

/** Each stage of the plan, in topological order: done, ready (all prerequisites done) or blocked. */
export function planProgress(plan: ApprovalPlan, completed: ReadonlySet<StageCode>): StageProgress[] {
  const byStage = new Map(plan.stages.map((s) => [s.stage, s]));
  return topologicalOrder(plan).map((stage) => {
    if (completed.has(stage)) return { stage, status: 'done', waitingFor: [] };
    const waitingFor = (byStage.get(stage)?.dependsOn ?? []).filter((d) => !completed.has(d));
    return { stage, status: waitingFor.length === 0 ? 'ready' : 'blocked', waitingFor };
  });
}

function buildPlan(projectType: ProjectType, template: Template): ApprovalPlan {
  const stages = Object.entries(template).map(([code, dependsOn]) => {
    const stage = code as StageCode;
    return Object.freeze({ stage, phase: STAGES[stage].phase, dept: STAGES[stage].dept, dependsOn });
  });
  return Object.freeze({ projectType, stages: Object.freeze(stages) });
}

function describeStuck(remaining: Map<StageCode, readonly StageCode[]>, plan: ApprovalPlan): string {
  const known = new Set(plan.stages.map((s) => s.stage));
  for (const [stage, deps] of remaining) {
    const unknown = deps.find((d) => !known.has(d));
    if (unknown) return `stage ${stage} depends on ${unknown}, which is not in the plan`;
  }
  return `dependency cycle among ${[...remaining.keys()].join(', ')}`;
}
