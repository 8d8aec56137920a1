/**
 * A project's progress along its approval plan (protocol's `approvalPlan` / `planProgress`) and when it can
 * be expected to finish: each open stage is projected to start when its prerequisites are (projected to be)
 * done and to take the median (and, pessimistically, the 90th percentile) of that stage's durations in that
 * department on the ledger. The answer states its basis: how many samples, and which stages had none.
 */
import { planProgress, topologicalOrder, type StageCode } from '@approval-ledger/protocol';
import { type ProjectProgress, type StageProgressView } from '@approval-ledger/protocol/api';
import { planOfProject } from './project-plan';
import { type StageDurations } from './stage-durations';
import { completions, type StageFact } from './stage-facts';

const DAY_MS = 86_400_000;

/** A stage of the plan, and the whole progress: the API contract's shapes (`GET /projects/{code}`). */
export type { ProjectProgress, StageProgressView } from '@approval-ledger/protocol/api';

interface Projection {
  median: number;
  p90: number;
}

export function projectProgress(
  projectCode: string,
  recordedType: string | undefined,
  facts: readonly StageFact[],
  durations: StageDurations,
  now: Date = new Date(),
): ProjectProgress {
  const choice = planOfProject(projectCode, recordedType);
  const done = completions(facts);
  const progress = planProgress(choice.plan, new Set(done.keys()));
  const byStage = new Map(choice.plan.stages.map((s) => [s.stage, s]));
  const projected = new Map<StageCode, Projection>();
  const missing: StageCode[] = [];
  const views: StageProgressView[] = [];
  for (const stage of topologicalOrder(choice.plan)) {
    const planned = byStage.get(stage);
    const status = progress.find((p) => p.stage === stage);
    if (!planned || !status) continue;
    const completion = done.get(stage);
    if (completion) {
      projected.set(stage, { median: completion.doneAt, p90: completion.doneAt });
      views.push({
        stage,
        dept: completion.dept,
        status: 'done',
        waitingFor: [],
        completedAt: iso(completion.doneAt),
      });
      continue;
    }
    const summary = durations.summary(stage, planned.dept);
    if (!summary) missing.push(stage);
    const start = startOf(planned.dependsOn, projected, now.getTime());
    const view: StageProgressView = {
      stage,
      dept: planned.dept,
      status: status.status,
      waitingFor: [...status.waitingFor],
    };
    if (summary && start) {
      const p = {
        median: Math.max(now.getTime(), start.median + summary.medianDays * DAY_MS),
        p90: Math.max(now.getTime(), start.p90 + summary.p90Days * DAY_MS),
      };
      projected.set(stage, p);
      views.push({
        ...view,
        expected: { medianAt: iso(p.median), p90At: iso(p.p90) },
        history: historyOf(summary),
      });
    } else views.push(view);
  }
  return summarise(choice, views, projected, missing, durations);
}

/** A stage starts when its last prerequisite is done (projected); without prerequisites, now. */
function startOf(
  dependsOn: readonly StageCode[],
  projected: ReadonlyMap<StageCode, Projection>,
  now: number,
): Projection | undefined {
  if (dependsOn.length === 0) return { median: now, p90: now };
  const deps = dependsOn.map((d) => projected.get(d));
  if (deps.some((d) => d === undefined)) return undefined;
  const known = deps as Projection[];
  return { median: Math.max(...known.map((d) => d.median)), p90: Math.max(...known.map((d) => d.p90)) };
}

function summarise(
  choice: ReturnType<typeof planOfProject>,
  stages: StageProgressView[],
  projected: ReadonlyMap<StageCode, Projection>,
  missing: StageCode[],
  durations: StageDurations,
): ProjectProgress {
  const completed = stages.filter((s) => s.status === 'done').length;
  const total = stages.length;
  const samples = stages.reduce((n, s) => n + (s.history?.samples ?? 0), 0);
  const common = {
    projectType: choice.projectType,
    projectTypeBasis: choice.basis,
    completed,
    total,
    percent: total === 0 ? 0 : Math.round((completed / total) * 100),
    stages,
  };
  if (completed === total) {
    const last = Math.max(...[...projected.values()].map((p) => p.median));
    return {
      ...common,
      expectedCompletion: { status: 'complete', completedAt: iso(last) },
      basis: 'every stage of the plan is approved on the ledger',
    };
  }
  const typeBasis = choice.basis === 'recorded' ? 'recorded' : `${choice.basis} (${choice.projectType})`;
  if (missing.length > 0 || projected.size < total) {
    return {
      ...common,
      expectedCompletion: { status: 'unknown', missingHistory: missing },
      basis: `no completed ${missing.join(', ')} stage on the ledger yet to learn its duration from; project type ${typeBasis}`,
    };
  }
  const values = [...projected.values()];
  return {
    ...common,
    expectedCompletion: {
      status: 'projected',
      medianAt: iso(Math.max(...values.map((p) => p.median))),
      p90At: iso(Math.max(...values.map((p) => p.p90))),
      samples,
      statisticsAt: durations.computedAt.toISOString(),
    },
    basis:
      `open stages projected with the median and 90th percentile of ${samples} completed durations of the same stage ` +
      `and department on the ledger (stage statistics of ${durations.computedAt.toISOString()}); project type ${typeBasis}`,
  };
}

function historyOf(s: {
  samples: number;
  medianDays: number;
  p90Days: number;
}): StageProgressView['history'] {
  return { samples: s.samples, medianDays: round(s.medianDays), p90Days: round(s.p90Days) };
}

function round(days: number): number {
  return Math.round(days * 10) / 10;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
