/**
 * How long each approval stage takes, from the milestones on the ledger: for every project and every stage
 * it completed, the time from the moment the stage could start (its last prerequisite done; for a stage
 * without prerequisites, its first recorded decision) to its approval. Kept per stage and department as
 * sorted samples, so the median and the 90th percentile are exact.
 */
import { type DepartmentCode, type StageCode } from '@approval-ledger/protocol';
import { completions, type StageFact } from './stage-facts';
import { planOfProject } from './project-plan';

const DAY_MS = 86_400_000;

export interface DurationSummary {
  readonly stage: StageCode;
  readonly dept: DepartmentCode;
  readonly samples: number;
  readonly medianDays: number;
  readonly p90Days: number;
}

export interface ProjectFacts {
  readonly projectCode: string;
  readonly facts: readonly StageFact[];
}

export class StageDurations {
  readonly #samples = new Map<string, number[]>();
  #sorted = true;

  constructor(readonly computedAt: Date = new Date()) {}

  /** Builds the model from projects' milestones (each project's facts together). */
  static from(projects: Iterable<ProjectFacts>, computedAt = new Date()): StageDurations {
    const model = new StageDurations(computedAt);
    for (const project of projects) model.addProject(project);
    model.#sort();
    return model;
  }

  addProject(project: ProjectFacts): void {
    const plan = planOfProject(project.projectCode, undefined).plan;
    const done = completions(project.facts);
    for (const planned of plan.stages) {
      const completion = done.get(planned.stage);
      if (!completion) continue;
      const ready =
        planned.dependsOn.length === 0
          ? completion.firstDecisionAt
          : Math.max(...planned.dependsOn.map((d) => done.get(d)?.doneAt ?? Number.NaN));
      if (!Number.isFinite(ready)) continue;
      this.#add(planned.stage, completion.dept, Math.max(0, completion.doneAt - ready));
    }
    this.#sorted = false;
  }

  /** Median and p90 for a stage in a department, or undefined without history. */
  summary(stage: StageCode, dept: DepartmentCode): DurationSummary | undefined {
    this.#sort();
    const samples = this.#samples.get(`${stage}|${dept}`);
    if (!samples || samples.length === 0) return undefined;
    return {
      stage,
      dept,
      samples: samples.length,
      medianDays: quantile(samples, 0.5) / DAY_MS,
      p90Days: quantile(samples, 0.9) / DAY_MS,
    };
  }

  /** Every stage and department with history. */
  summaries(): DurationSummary[] {
    this.#sort();
    return [...this.#samples.keys()].sort().flatMap((key) => {
      const [stage, dept] = key.split('|') as [StageCode, DepartmentCode];
      const s = this.summary(stage, dept);
      return s ? [s] : [];
    });
  }

  #add(stage: StageCode, dept: DepartmentCode, durationMs: number): void {
    const key = `${stage}|${dept}`;
    const list = this.#samples.get(key);
    if (list) list.push(durationMs);
    else this.#samples.set(key, [durationMs]);
  }

  #sort(): void {
    if (this.#sorted) return;
    for (const list of this.#samples.values()) list.sort((a, b) => a - b);
    this.#sorted = true;
  }
}

/** Linear-interpolated quantile of sorted samples (the "R-7" definition, as numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}
