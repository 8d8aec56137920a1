/** The explorer's dashboard figures and project search, from the chain index and the store. */
import { type LedgerPort } from '../ledger';
import { type Store } from '../store';
import { type ChainIndex, type ChainStats, type IndexedBlock } from '../verification/chain-index';

export interface DashboardStats {
  readonly chain: ChainStats & {
    readonly height: number;
    readonly indexedBlock: number;
    readonly engine: string;
  };
  readonly offChain: { readonly records: Readonly<Record<string, number>>; readonly deadLetters: number };
  readonly ingest: { readonly consumerLag: number | null; readonly inFlight: number | null };
  readonly recentBlocks: readonly IndexedBlock[];
  readonly at: string;
}

export interface ProjectSummary {
  readonly projectCode: string;
  readonly region: string;
  readonly milestones: number;
  readonly certificates: number;
  readonly lastDecision: {
    readonly stage: string | null;
    readonly decision: string | null;
    readonly at: string | null;
  } | null;
}

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
    return this.index.searchProjects(query.trim(), limit).map((projectCode) => {
      const anchors = this.index.byProject(projectCode);
      const milestones = anchors.filter((a) => a.kind === 'milestone');
      const last = milestones[milestones.length - 1];
      return {
        projectCode,
        region: anchors[0]?.region ?? '',
        milestones: milestones.length,
        certificates: anchors.filter((a) => a.kind === 'certificate').length,
        lastDecision: last ? { stage: last.stage, decision: last.decision, at: last.decidedAt } : null,
      };
    });
  }
}
