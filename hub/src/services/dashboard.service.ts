/** The explorer's dashboard figures and project search, from the chain index and the store. */
import { type Decision } from '@approval-ledger/protocol';
import { type DashboardStats, type ProjectSummary } from '@approval-ledger/protocol/api';
import { type LedgerPort } from '../ledger';
import { type Store } from '../store';
import { type ChainIndex } from '../verification/chain-index';

/** `GET /stats` and the rows of `GET /projects?q=`: the API contract's shapes. */
export type { DashboardStats, ProjectSummary } from '@approval-ledger/protocol/api';

export interface IngestState {
  consumerLag(): Promise<number | null>;
  inFlight(): number | null;
}

export class DashboardService {
  constructor(
    private readonly ledger: LedgerPort,
    private readonly index: ChainIndex,
    private readonly store: Store,
    private readonly indexedBlock: () => number,
    private readonly ingest: IngestState | undefined,
  ) {}

  async stats(): Promise<DashboardStats> {
    const [height, records, deadLetters, consumerLag] = await Promise.all([
      this.ledger.height(),
      this.store.records.countByStatus(),
      this.store.deadLetters.count(),
      this.ingest?.consumerLag() ?? Promise.resolve(null),
    ]);
    return {
      chain: { ...this.index.stats(), height, indexedBlock: this.indexedBlock(), engine: this.ledger.engine },
      offChain: { records, deadLetters },
      ingest: { consumerLag, inFlight: this.ingest?.inFlight() ?? null },
      recentBlocks: this.index.blocks(undefined, 10),
      at: new Date().toISOString(),
    };
  }

  /** Projects by code prefix, credit code (USCC) or a fragment of a project or enterprise name. */
  search(query: string, limit: number): ProjectSummary[] {
    return this.index.searchProjects(query.trim(), limit).flatMap((projectCode) => {
      const anchors = this.index.byProject(projectCode);
      const [first] = anchors;
      if (!first) return [];
      const milestones = anchors.filter((a) => a.kind === 'milestone');
      const last = milestones[milestones.length - 1];
      return [
        {
          projectCode,
          region: first.region,
          milestones: milestones.length,
          certificates: anchors.filter((a) => a.kind === 'certificate').length,
          lastDecision: last
            ? { stage: last.stage, decision: last.decision as Decision | null, at: last.decidedAt }
            : null,
        },
      ];
    });
  }
}
