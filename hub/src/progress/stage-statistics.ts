/**
 * The stage-duration model over the whole chain index, computed in the background and refreshed every few
 * minutes: a project request never waits for a full pass (it gets the last model, or an empty one at first).
 */
import { type DepartmentCode, type StageCode } from '@approval-ledger/protocol';
import { type ChainIndex, type MilestoneFact } from '../verification/chain-index';
import { type ProjectFacts, StageDurations } from './stage-durations';

export class StageStatistics {
  #model = new StageDurations(new Date(0));
  #computing: Promise<StageDurations> | undefined;
  #computedAt = 0;

  constructor(
    private readonly index: ChainIndex,
    private readonly refreshMs = 5 * 60_000,
  ) {}

  /** The current model; starts a refresh when it is older than the refresh interval. */
  current(): StageDurations {
    if (Date.now() - this.#computedAt > this.refreshMs) void this.refresh();
    return this.#model;
  }

  /** Recomputes the model now (one pass over every milestone in the index). */
  refresh(): Promise<StageDurations> {
    this.#computing ??= new Promise<StageDurations>((resolve) => {
      setImmediate(() => {
        const model = StageDurations.from(groupByProject(this.index.milestoneFacts()));
        this.#model = model;
        this.#computedAt = Date.now();
        this.#computing = undefined;
        resolve(model);
      });
    });
    return this.#computing;
  }
}

function* groupByProject(facts: Iterable<MilestoneFact>): Generator<ProjectFacts> {
  let current: { projectCode: string; facts: ProjectFacts['facts'][number][] } | undefined;
  for (const fact of facts) {
    if (current?.projectCode !== fact.projectCode) {
      if (current) yield current;
      current = { projectCode: fact.projectCode, facts: [] };
    }
    current.facts.push({
      stage: fact.stage as StageCode,
      dept: fact.dept as DepartmentCode,
      decision: fact.decision,
      decidedAt: fact.decidedAt,
    });
  }
  if (current) yield current;
}
