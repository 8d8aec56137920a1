/**
 * The running hub: opens the ports (off-chain store, ledger engine, NATS), seeds the registries of a new
 * embedded ledger, starts the background work (chain indexer, ingest consumer, dead-letter mirror,
 * reconciliation) and the HTTP server, and stops all of it in order. main.ts runs it for a process; tests and
 * benchmarks run it in-process with their own options.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Logger } from 'pino';
import { type IssueTokenRequest, loadOrCreateTokenSigningKey, TokenService } from './auth';
import { NatsBus } from './bus/nats-bus';
import { type HubConfig, ledgerConfigOf, storeOptionsOf } from './config';
import { type Anchorer } from './ingest/anchorer';
import { DeadLetterMirror } from './ingest/dead-letter-mirror';
import { IngestService, type IngestServiceOptions } from './ingest/ingest-service';
import { LedgerAnchorer } from './ingest/ledger-anchorer';
import { RecognitionRevocationNotifier } from './ingest/revocation-notifier';
import { type StageBudget } from './ingest/stage-budget';
import { type LedgerPort, openLedger } from './ledger';
import { answerClientErrors } from './http/client-errors';
import { HubMetrics } from './metrics/hub-metrics';
import { createServer, type HubServer, type ServerOptions } from './server';
import { checkRegistriesAtStart, seedRegistries } from './services/registry-seeder';
import { loadConnectionProfile } from './ledger/fabric/connection-profile';
import { openStore, type Store, type StoredRecord } from './store';
import { ChainIndex, chainIndexPath, type IndexName } from './verification/chain-index';
import { ChainIndexWriter } from './verification/chain-index-writer';
import { ChainIndexer } from './verification/chain-indexer';
import { statusEntries } from './verification/status-entries';
import { ReconciliationJob, type ReconciliationOptions } from './verification/reconciliation-job';
import { startTransparencyLog } from './tlog/start-tlog';
import { type ArtefactSuite, fixArtefactSuite } from './artefact-suite';
import { type Checkpointer } from './tlog/checkpointer';
import { type CheckpointAnchorer } from './anchor/checkpoint-anchorer';
import { startAnchorer } from './anchor/start-anchorer';

export interface HubRuntimeOptions {
  readonly config: HubConfig;
  readonly logger: Logger;
  /** The NATS server (main() starts one when the configuration names none). */
  readonly natsUrl: string;
  readonly ingest?: IngestServiceOptions;
  readonly server?: ServerOptions;
  readonly reconciliation?: Partial<Omit<ReconciliationOptions, 'indexedBlock'>> & {
    readonly enabled?: boolean;
  };
  /** Replaces the ledger step of ingest (the benchmark's SQL baseline). */
  readonly anchorer?: (ledger: LedgerPort, metrics: HubMetrics) => Anchorer;
  /** Per-stage CPU and bytes of ingest on the main thread (the benchmark's budget); default off. */
  readonly budget?: StageBudget;
  /** Milliseconds the embedded orderer waits to fill a block (default 20). */
  readonly blockTimeoutMs?: number;
}

export interface RunningHub {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly ledger: LedgerPort;
  readonly bus: NatsBus;
  readonly tokens: TokenService;
  readonly server: HubServer;
  readonly ingest: IngestService;
  readonly indexer: ChainIndexer;
  readonly metrics: HubMetrics;
  /** The ledger's transparency log; undefined when off or when it refused to start (logged). */
  readonly tlog: Checkpointer | undefined;
  /** Public anchoring of cosigned checkpoints; undefined when off or when the chain could not be reached. */
  readonly anchors: CheckpointAnchorer | undefined;
  /** Issues a bearer token for this data dir. */
  issueToken(request: IssueTokenRequest): Promise<string>;
  /** Stops taking work, drains ingest, closes everything. */
  stop(): Promise<void>;
}

type Closer = { readonly name: string; readonly close: () => unknown };

interface Ports {
  /** The crypto suite of the hub's own artefacts, fixed for the data dir at its first start. */
  readonly suite: ArtefactSuite;
  readonly metrics: HubMetrics;
  readonly store: Store;
  readonly ledger: LedgerPort;
  readonly bus: NatsBus;
  readonly tokens: TokenService;
}

interface Background {
  readonly indexer: ChainIndexer;
  readonly tlog: Checkpointer | undefined;
  readonly anchors: CheckpointAnchorer | undefined;
  readonly ingest: IngestService;
  readonly reconciliation: ReconciliationJob;
}

export async function startHub(options: HubRuntimeOptions): Promise<RunningHub> {
  const { logger } = options;
  const closers: Closer[] = [];
  const closeAll = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) {
      try {
        await closer.close();
      } catch (error) {
        logger.warn({ err: error, part: closer.name }, 'error while stopping');
      }
    }
  };
  try {
    const ports = await openPorts(options, closers);
    const background = await startBackground(options, ports, closers);
    return await startHttp(options, ports, background, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function openPorts(options: HubRuntimeOptions, closers: Closer[]): Promise<Ports> {
  const { config, logger } = options;
  const suite = fixArtefactSuite(config.dataDir, config.ledgerCrypto);
  const metrics = new HubMetrics();
  const store = await openStore(storeOptionsOf(config));
  closers.push({ name: 'store', close: () => store.close() });
  const ledger = await openLedger(ledgerConfigOf(config, { blockTimeoutMs: options.blockTimeoutMs ?? 20 }));
  closers.push({ name: 'ledger', close: () => ledger.close() });
  logNamespaceMode(ledger, logger);
  const bus = await NatsBus.connect(options.natsUrl);
  closers.push({ name: 'nats', close: () => bus.close() });
  const created = await bus.ensureStreams();
  if (created.length > 0) logger.info({ streams: created }, 'created JetStream streams');
  if (ledger.engine === 'embedded') {
    const seeded = await seedRegistries(ledger, config.dataDir);
    if (seeded.grants + seeded.signers > 0) logger.info(seeded, 'seeded the issuer and signer registries');
  } else if (config.fabric) {
    // each region's admin keeps its registries on Fabric (`ledger registry seed`); the hub only checks them
    const { region } = loadConnectionProfile(config.fabric.connectionProfile);
    await checkRegistriesAtStart(ledger, region, (message) => logger.warn(message));
  }
  const tokens = new TokenService({
    key: await loadOrCreateTokenSigningKey(config.dataDir),
    tokens: store.tokens,
  });
  return { suite, metrics, store, ledger, bus, tokens };
}

/** Says at start which chaincode namespaces the hub writes to (see ledger/namespace-mode.ts). */
function logNamespaceMode(ledger: LedgerPort, logger: Logger): void {
  if (ledger.namespaceMode === 'plan') {
    logger.info(
      { engine: ledger.engine, namespaceMode: 'plan' },
      "ledger namespaces: the plan (a region's records in approval-<region>, recognitions in their pair's namespace)",
    );
  } else {
    logger.warn(
      { engine: ledger.engine, namespaceMode: 'legacy' },
      `ledger namespaces: legacy single chaincode name (the ledger was created under it and keeps it); a first write endorsed by another region alone is not refused on Fabric`,
    );
  }
}

async function startBackground(
  options: HubRuntimeOptions,
  ports: Ports,
  closers: Closer[],
): Promise<Background> {
  const { config, logger } = options;
  const { store, ledger, bus, metrics } = ports;
  const indexFile = chainIndexPath(config.dataDir);
  // the indexer tells `index` of each commit of the writer thread (announcedWrites, chain-index.ts)
  const index = ChainIndex.open(indexFile, { announcedWrites: true });
  closers.push({ name: 'chain index', close: () => index.close() });
  // the index's writes on a thread of their own (chain-index-writer.ts); `index` reads
  const indexWriter = await ChainIndexWriter.start(indexFile);
  closers.push({ name: 'chain index writer', close: () => indexWriter.close() });
  const indexer = new ChainIndexer(ledger, index, logger, metrics, options.budget, indexWriter);
  indexer.start();
  closers.push({ name: 'chain indexer', close: () => indexer.stop() });
  const ingest = await IngestService.start(
    bus,
    {
      store,
      anchorer: options.anchorer?.(ledger, metrics) ?? new LedgerAnchorer(ledger, metrics),
      metrics,
      logger,
      revocations: new RecognitionRevocationNotifier(store, bus, index),
      suite: ports.suite,
      ...(options.budget ? { budget: options.budget } : {}),
      observer: {
        stored: (records) => indexWriter.addNames(namesOf(records)),
        // a replaced anchorer (the benchmark's SQL baseline) commits no ledger blocks to wait for
        ...(options.anchorer ? {} : { committed: (block: number) => indexer.waitFor(block) }),
      },
    },
    options.ingest,
  );
  closers.push({ name: 'ingest', close: () => ingest.stop() });
  const mirror = await DeadLetterMirror.start(bus, store, logger);
  closers.push({ name: 'dead-letter mirror', close: () => mirror.stop() });
  const reconciliation = new ReconciliationJob(store, index, metrics, logger, {
    ...options.reconciliation,
    indexedBlock: () => indexer.indexedBlock,
    suite: ports.suite,
  });
  if (options.reconciliation?.enabled ?? true) reconciliation.start();
  closers.push({ name: 'reconciliation', close: () => reconciliation.stop() });
  const tlog = await startTransparencyLog(ledger, config, logger, {
    // the index is derived from the same blocks: once it has block size - 1, it knows their revocations
    entriesAt: async (size) => {
      await indexer.waitFor(size - 1);
      return statusEntries(index, size);
    },
  });
  if (tlog) closers.push({ name: 'transparency log', close: () => tlog.stop() });
  const anchors = await startAnchorer(tlog, config, logger);
  if (anchors) closers.push({ name: 'public anchoring', close: () => anchors.stop() });
  return { indexer, ingest, reconciliation, tlog, anchors };
}

async function startHttp(
  options: HubRuntimeOptions,
  ports: Ports,
  background: Background,
  closers: Closer[],
  closeAll: () => Promise<void>,
): Promise<RunningHub> {
  const { config, logger } = options;
  const { indexer, ingest, reconciliation, tlog, anchors } = background;
  const server = createServer({
    ...ports,
    indexer,
    ...(tlog ? { tlog } : {}),
    ...(anchors ? { anchors } : {}),
    logger,
    ingest: {
      consumerLag: async () => {
        ports.bus.assertConnected('read the ingest consumer lag');
        return (await ingest.state()).numPending;
      },
      inFlight: () => ingest.pipeline.inFlight,
    },
    reconciliation: { lastPass: () => reconciliation.lastPass },
    options: { corsOrigins: config.corsOrigins, ...options.server },
  });
  server.start();
  closers.push({ name: 'event feed', close: () => server.stop() });
  const http = await listen(server, config.host, config.port);
  closers.push({ name: 'http', close: () => closeHttp(http) });
  const port = (http.address() as AddressInfo).port;
  return {
    ...ports,
    url: `http://${config.host}:${port}`,
    port,
    server,
    ingest,
    indexer,
    tlog,
    anchors,
    issueToken: async (request) => (await ports.tokens.issue({ issuedBy: 'hub', ...request })).token,
    stop: closeAll,
  };
}

function listen(server: HubServer, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // the server's listener puts POST /verify's lane ahead of Express (http/verify-lane.ts)
    const http = createHttpServer(server.listener);
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve(http);
    });
    http.keepAliveTimeout = 65_000;
    answerClientErrors(http);
  });
}

/** Stops accepting connections, ends idle ones now and open ones (SSE) shortly after. */
async function closeHttp(http: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const timer = setTimeout(() => http.closeAllConnections(), 2000);
  await closed;
  clearTimeout(timer);
}

/** Project, applicant and holder names of stored records, for project search. */
function namesOf(records: readonly StoredRecord[]): IndexName[] {
  const out: IndexName[] = [];
  for (const r of records) {
    if (r.projectCode === null) continue;
    const record = r.record as {
      projectName?: string;
      applicant?: { name: string };
      holder?: { name: string };
    };
    for (const name of [record.projectName, record.applicant?.name, record.holder?.name]) {
      if (name) out.push({ projectCode: r.projectCode, name });
    }
  }
  return out;
}
