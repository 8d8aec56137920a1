// The public surface of @approval-ledger/hub: run a hub, build its HTTP app over chosen ports, and the
// layers it is made of (ledger port and engines, off-chain store, auth, ingest, verification, the
// transparency log and its witnesses).
import '@approval-ledger/fabric-engine/native-hash';
export { loadConfig, ConfigError, type HubConfig } from './config';
export { startHub, type HubRuntimeOptions, type RunningHub } from './hub';
export { createServer, API_PREFIX, type HubServer, type ServerDeps, type ServerOptions } from './server';
export { main } from './main';
export { HubMetrics } from './metrics/hub-metrics';
export { NatsBus, type Bus, type PublishOptions, type PublishResult } from './bus/nats-bus';
export { ensureStreams } from '@approval-ledger/protocol/nats';
export {
  IngestPipeline,
  nakDelay,
  type IngestDeps,
  type IngestOptions,
  type IngestObserver,
} from './ingest/ingest-pipeline';
export { IngestService, INGEST_DURABLE, type IngestServiceOptions } from './ingest/ingest-service';
export { LedgerAnchorer } from './ingest/ledger-anchorer';
export { type Anchorer, type AnchorGroup, type AnchorItem, type AnchorResult } from './ingest/anchorer';
export { decodeEnvelope, type Decoded } from './ingest/envelope-decoder';
export { ChainIndex, chainIndexPath, type IndexedAnchor } from './verification/chain-index';
export { ChainIndexer } from './verification/chain-indexer';
export { ProofBundleBuilder, UnsupportedProofError } from './verification/proof-bundle-builder';
export {
  VerificationService,
  type VerificationResult,
  type VerificationMatch,
} from './verification/verification.service';
export {
  ReconciliationJob,
  type ReconciliationPass,
  type DriftKind,
} from './verification/reconciliation-job';
export { projectProgress, type ProjectProgress } from './progress/project-progress';
export { StageDurations } from './progress/stage-durations';
export { HttpProblem, PROBLEM_TYPES, type ProblemDetails, type ProblemSlug } from './http/problem';
export { buildOpenApi } from './http/openapi';
export { seedRegistries, officialKey, defaultGrants } from './services/registry-seeder';
export { type RecognitionNotice, RecognitionNoticeSchema } from '@approval-ledger/protocol/api';
export * as ledger from './ledger';
export * as store from './store';
export * as auth from './auth';
export {
  Checkpointer,
  TlogMismatchError,
  type CheckpointerOptions,
  type PublishedCheckpoint,
  type LogDescription,
} from './tlog/checkpointer';
export { FileTree } from './tlog/file-tree';
export { requestCosignature, WitnessRefusedError, type WitnessEndpoint } from './tlog/witness-client';
export { Witness, type WitnessAnswer } from './witness/witness';
export { listenWitness, type RunningWitnessServer } from './witness/witness-server';
