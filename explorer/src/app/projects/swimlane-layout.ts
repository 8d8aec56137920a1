/**
 * The provenance swimlanes of a project: one lane per department of its approval plan, each stage placed in
 * the column of its depth in the plan's dependency graph (so parallel reviews stand side by side), with its
 * status from the milestones anchored so far. Pure, so it is tested without a browser and costs one pass.
 */
import {
  type ApprovalPlan,
  type DepartmentCode,
  type StageCode,
  planProgress,
  topologicalOrder,
} from '@approval-ledger/protocol';
import { type MilestoneProvenanceEntry, type ProvenanceEntry } from '@approval-ledger/protocol/api';
import { parseInstant } from '../core/shanghai-time';

/** `done`: approved; `in-progress`: accepted or returned; `ready`: may start; `blocked`: waits; `rejected`. */
export type CellStatus = 'done' | 'in-progress' | 'ready' | 'blocked' | 'rejected';

export interface StageCell {
  readonly stage: StageCode;
  readonly dept: DepartmentCode;
  /** 0-based depth in the plan: the longest chain of prerequisites before it. */
  readonly column: number;
  readonly status: CellStatus;
  /** Prerequisites not yet approved. */
  readonly waitingFor: readonly StageCode[];
  /** This stage's milestones, oldest decision first. */
  readonly milestones: readonly MilestoneProvenanceEntry[];
  readonly latest?: MilestoneProvenanceEntry;
}

export interface Lane {
  readonly dept: DepartmentCode;
  readonly cells: readonly StageCell[];
}

export interface SwimlaneLayout {
  readonly columns: number;
  readonly lanes: readonly Lane[];
  /** Milestones of stages the plan does not have. */
  readonly offPlan: readonly MilestoneProvenanceEntry[];
  readonly doneCount: number;
  readonly stageCount: number;
}

/** The provenance entries that are milestones with a stage, a decision and its time. */
export function milestoneEntries(entries: readonly ProvenanceEntry[]): MilestoneProvenanceEntry[] {
  return entries.filter(
    (e): e is MilestoneProvenanceEntry =>
      e.kind === 'milestone' && e.stage !== null && e.decision !== null && e.decidedAt !== null,
  );
}

function byDecisionTime(a: MilestoneProvenanceEntry, b: MilestoneProvenanceEntry): number {
  return parseInstant(a.decidedAt) - parseInstant(b.decidedAt) || a.recordedAt.localeCompare(b.recordedAt);
}

function depths(plan: ApprovalPlan): Map<StageCode, number> {
  const depth = new Map<StageCode, number>();
  const byStage = new Map(plan.stages.map((s) => [s.stage, s]));
  for (const stage of topologicalOrder(plan)) {
    const deps = byStage.get(stage)?.dependsOn ?? [];
    depth.set(stage, deps.length === 0 ? 0 : Math.max(...deps.map((d) => (depth.get(d) ?? 0) + 1)));
  }
  return depth;
}

function groupByStage(
  milestones: readonly MilestoneProvenanceEntry[],
): Map<StageCode, MilestoneProvenanceEntry[]> {
  const groups = new Map<StageCode, MilestoneProvenanceEntry[]>();
  for (const milestone of [...milestones].sort(byDecisionTime)) {
    const group = groups.get(milestone.stage);
    if (group) group.push(milestone);
    else groups.set(milestone.stage, [milestone]);
  }
  return groups;
}

/** Decisions that leave a stage being worked on: accepted with documents to follow, returned for correction. */
const IN_PROGRESS: ReadonlySet<string> = new Set(['CONDITIONALLY_ACCEPTED', 'RETURNED']);

/**
 * Approved (latest decision) is done; rejected is rejected; accepted or returned is in progress (even before
 * its prerequisites are done: parallel approval); revoked or withdrawn falls back to what the plan says.
 */
function cellStatus(
  planStatus: 'done' | 'ready' | 'blocked',
  milestones: readonly MilestoneProvenanceEntry[],
): CellStatus {
  if (planStatus === 'done') return 'done';
  const decision = milestones[milestones.length - 1]?.decision;
  if (decision === 'REJECTED') return 'rejected';
  return decision !== undefined && IN_PROGRESS.has(decision) ? 'in-progress' : planStatus;
}

export function swimlaneLayout(
  plan: ApprovalPlan,
  milestones: readonly MilestoneProvenanceEntry[],
): SwimlaneLayout {
  const groups = groupByStage(milestones);
  const inPlan = new Set(plan.stages.map((s) => s.stage));
  const completed = new Set<StageCode>();
  for (const [stage, group] of groups) {
    if (inPlan.has(stage) && group[group.length - 1]?.decision === 'APPROVED') completed.add(stage);
  }
  const depth = depths(plan);
  const deptOf = new Map(plan.stages.map((s) => [s.stage, s.dept]));
  const lanes = new Map<DepartmentCode, StageCell[]>();
  for (const progress of planProgress(plan, completed)) {
    const dept = deptOf.get(progress.stage) as DepartmentCode;
    const group = groups.get(progress.stage) ?? [];
    const cell: StageCell = {
      stage: progress.stage,
      dept,
      column: depth.get(progress.stage) ?? 0,
      status: cellStatus(progress.status, group),
      waitingFor: progress.waitingFor,
      milestones: group,
      ...(group.length > 0 ? { latest: group[group.length - 1] } : {}),
    };
    const lane = lanes.get(dept);
    if (lane) lane.push(cell);
    else lanes.set(dept, [cell]);
  }
  return {
    columns: Math.max(0, ...depth.values()) + 1,
    lanes: [...lanes].map(([dept, cells]) => ({ dept, cells: cells.sort((a, b) => a.column - b.column) })),
    offPlan: milestones.filter((m) => !inPlan.has(m.stage)),
    doneCount: completed.size,
    stageCount: plan.stages.length,
  };
}
