/**
 * The stage-duration model over the whole chain index, computed in the background and refreshed every few
 * minutes: a project request never waits for a full pass (it gets the last model, or an empty one at first).
 */
import { type DepartmentCode, type StageCode } from '@approval-ledger/protocol';
import { type ChainIndex, type MilestoneCursor, type MilestoneFact } from '../verification/chain-index';
import { type ProjectFacts, StageDurations } from './stage-durations';

export class StageStatistics {
  #model = new StageDurations(new Date(0));
  #computing: Promise<StageDurations> | undefined;
  #computedAt = 0;

  constructor(
    private readonly index: ChainIndex,
    private readonly refreshMs = 5 * 60_000,
    private readonly pageSize = 5000,
  ) {}

  /** The current model; starts a refresh when it is older than the refresh interval. */
  current(): StageDurations {
    if (Date.now() - this.#computedAt > this.refreshMs) void this.refresh();
    return this.#model;
  }

  /** Recomputes the model now: pages through every milestone in the index, yielding between pages. */
  refresh(): Promise<StageDurations> {
    this.#computing ??= this.#compute().finally(() => (this.#computing = undefined));
    return this.#computing;
  }

  async #compute(): Promise<StageDurations> {
    const model = new StageDurations(new Date());
    let project: { projectCode: string; facts: ProjectFacts['facts'][number][] } | undefined;
    let cursor: MilestoneCursor | undefined;
    do {
      await new Promise((resolve) => setImmediate(resolve));
      const page = this.index.milestoneFacts(cursor, this.pageSize);
      for (const fact of page.facts) {
        if (project?.projectCode !== fact.projectCode) {
          if (project) model.addProject(project);
          project = { projectCode: fact.projectCode, facts: [] };
        }
        project.facts.push(factOf(fact));
      }
      cursor = page.next;
    } while (cursor);
    if (project) model.addProject(project);
    this.#model = model;
    this.#computedAt = Date.now();
    return model;
  }
}

function factOf(fact: MilestoneFact): ProjectFacts['facts'][number] {
  return {
    stage: fact.stage as StageCode,
    dept: fact.dept as DepartmentCode,
    decision: fact.decision,
    decidedAt: fact.decidedAt,
  };
}
