/** A project's milestones as facts about its stages, and which stages they complete. */
import { type DepartmentCode, parseTimestamp, type StageCode } from '@approval-ledger/protocol';

export interface StageFact {
  readonly stage: StageCode;
  readonly dept: DepartmentCode;
  readonly decision: string;
  /** ISO 8601 with offset, as recorded. */
  readonly decidedAt: string;
}

export interface StageCompletion {
  readonly dept: DepartmentCode;
  /** When the stage was approved (epoch ms). */
  readonly doneAt: number;
  /** The stage's first recorded decision of any kind (epoch ms). */
  readonly firstDecisionAt: number;
}

/** Decisions that complete a stage; a later REVOKED or WITHDRAWN undoes it. */
const COMPLETING = new Set(['APPROVED', 'CONDITIONALLY_ACCEPTED']);
const UNDOING = new Set(['REVOKED', 'WITHDRAWN', 'REJECTED']);

/** The stages the facts complete, with when (the last completing decision not undone afterwards). */
export function completions(facts: readonly StageFact[]): Map<StageCode, StageCompletion> {
  const byStage = new Map<StageCode, StageFact[]>();
  for (const fact of facts) {
    const list = byStage.get(fact.stage);
    if (list) list.push(fact);
    else byStage.set(fact.stage, [fact]);
  }
  const done = new Map<StageCode, StageCompletion>();
  for (const [stage, list] of byStage) {
    const timed = list.map((f) => ({ f, at: epoch(f.decidedAt) })).sort((a, b) => a.at - b.at);
    const last = timed.filter((t) => COMPLETING.has(t.f.decision) || UNDOING.has(t.f.decision)).pop();
    if (!last || !COMPLETING.has(last.f.decision)) continue;
    done.set(stage, { dept: last.f.dept, doneAt: last.at, firstDecisionAt: (timed[0] as { at: number }).at });
  }
  return done;
}

function epoch(timestamp: string): number {
  try {
    return parseTimestamp(timestamp).epochMs;
  } catch {
    return Date.parse(timestamp);
  }
}
