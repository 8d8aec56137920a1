/** Everything the routes call: the services of the layer below, behind their own interfaces. */
import {
  type AnchorPage,
  type AnchorRecord,
  type ConsistencyProofJson,
  type InclusionProofJson,
  type TlogStatus,
  type StatusAnswer,
  type StatusParams,
} from '@approval-ledger/protocol/api';
import { type CoveringAnchor } from '../anchor/checkpoint-anchorer';
import { type Auth, type TokenService } from '../auth';
import { type HubMetrics } from '../metrics/hub-metrics';
import { type CertificateService } from '../services/certificate.service';
import { type ChainService } from '../services/chain.service';
import { type DashboardService } from '../services/dashboard.service';
import { type DeadLetterService } from '../services/dead-letter.service';
import { type EventFeed } from '../services/event-feed';
import { type MilestoneIntakeService } from '../services/milestone-intake.service';
import { type ProjectService } from '../services/project.service';
import { type RecognitionService } from '../services/recognition.service';
import {
  type AuditLogRepository,
  type ReceiptRepository,
  type ReconciliationCounts,
  type TokenRepository,
} from '../store';
import { type ReconciliationPass } from '../verification/reconciliation-job';
import { type VerificationService } from '../verification/verification.service';

export interface HealthChecks {
  /** Each dependency: `ok` or why not. */
  readiness(): Promise<Record<string, string>>;
}

export interface ReconciliationView {
  lastPass(): ReconciliationPass | undefined;
  sources(): Promise<ReconciliationCounts[]>;
}

/** The ledger's transparency log (the hub's checkpointer), as the checkpoint routes read it. */
export interface TransparencyLog {
  latest(): { readonly size: number; readonly cosigned: string; readonly status?: unknown } | undefined;
  inclusion(block: number, size?: number): Promise<InclusionProofJson>;
  consistency(from: number, to?: number): ConsistencyProofJson;
  status(): TlogStatus;
  statusProof(kind: StatusParams['kind'], id: string, checkpoint?: number, version?: number): StatusAnswer;
}

/** Public anchors of the log's checkpoints on an EVM chain (the hub's anchorer), as the anchor routes read them. */
export interface PublicAnchors {
  page(limit: number, before?: number): AnchorPage;
  latest(): AnchorRecord | undefined;
  /** The newest anchor of a checkpoint of at most `atMost` blocks covering `block`, with its note. */
  covering(block: number, atMost: number): CoveringAnchor | undefined;
}

export interface ApiServices {
  readonly auth: Auth;
  readonly tokens: TokenService;
  readonly tokenRecords: TokenRepository;
  readonly metrics: HubMetrics;
  readonly health: HealthChecks;
  readonly milestones: MilestoneIntakeService;
  readonly receipts: ReceiptRepository;
  readonly projects: ProjectService;
  readonly verification: VerificationService;
  readonly certificates: CertificateService;
  readonly recognitions: RecognitionService;
  readonly chain: ChainService;
  readonly feed: EventFeed;
  readonly dashboard: DashboardService;
  readonly deadLetters: DeadLetterService;
  readonly auditLog: AuditLogRepository;
  readonly reconciliation: ReconciliationView;
  /** Absent when the hub runs no transparency log: the checkpoint routes answer 503. */
  readonly tlog?: TransparencyLog;
  /** Absent when the hub anchors nothing: the anchor routes answer 503. */
  readonly anchors?: PublicAnchors;
}
