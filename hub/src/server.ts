/**
 * The hub's HTTP application, from its dependencies: `createServer(deps)` builds the services over the
 * ports it is given (ledger, store, bus, token service, chain index) and the Express app that serves them;
 * `main()` (main.ts) opens the real ports, tests pass their own. Nothing here listens or starts background
 * work: the caller decides.
 */
import { existsSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { type RegionCode } from '@approval-ledger/protocol';
import { createAuth, type Auth, type TokenService } from './auth';
import { type Bus } from './bus/nats-bus';
import { apiRouter } from './http/api-router';
import {
  type ApiServices,
  type HealthChecks,
  type ReconciliationView,
  type PublicAnchors,
  type TransparencyLog,
} from './http/api-services';
import { toHttpProblem } from './http/error-mapping';
import { buildOpenApi } from './http/openapi';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from './http/problem';
import { type RouteSpec } from './http/route';
import { authRouteGuard } from './http/route-guard';
import { RateLimiter } from './http/rate-limiter';
import { requestIdOf, requestLogLevel, verifyLane, type VerifyLane } from './http/verify-lane';
import { certificateRoutes } from './http/routes/certificates.routes';
import { chainRoutes } from './http/routes/chain.routes';
import { anchorRoutes } from './http/routes/anchors.routes';
import { checkpointRoutes } from './http/routes/checkpoints.routes';
import { eventRoutes } from './http/routes/events.routes';
import { ingestRoutes } from './http/routes/ingest.routes';
import { operationRoutes } from './http/routes/operations.routes';
import { projectRoutes } from './http/routes/projects.routes';
import { recognitionRoutes } from './http/routes/recognitions.routes';
import { systemRoutes } from './http/routes/system.routes';
import { verifyRoutes } from './http/routes/verify.routes';
import { type LedgerPort } from './ledger';
import { type HubMetrics } from './metrics/hub-metrics';
import { StageStatistics } from './progress/stage-statistics';
import { CertificateService } from './services/certificate.service';
import { ChainService } from './services/chain.service';
import { DashboardService, type IngestState } from './services/dashboard.service';
import { DeadLetterService } from './services/dead-letter.service';
import { EventFeed } from './services/event-feed';
import { LedgerReader } from './services/ledger-reader';
import { MilestoneIntakeService } from './services/milestone-intake.service';
import { ProjectService } from './services/project.service';
import { RecognitionService } from './services/recognition.service';
import { type Store } from './store';
import { type ChainIndexer } from './verification/chain-indexer';
import { ProofBundleBuilder } from './verification/proof-bundle-builder';
import { VerificationService } from './verification/verification.service';

export const API_PREFIX = '/api/v1';
export const HUB_VERSION = '0.1.0';

export interface ServerOptions {
  /** Origins allowed by CORS; empty: same origin only; `*`: any. */
  readonly corsOrigins?: readonly string[];
  /** Requests per window and address on /verify and /proofs (default 600 per minute). */
  readonly verifyRateLimit?: { readonly windowMs: number; readonly limit: number };
  /** JSON body limit (default 2 MiB: 500 milestones fit). */
  readonly bodyLimitBytes?: number;
  /** The explorer's built files; served at / with SPA fallback when the folder exists. */
  readonly explorerDir?: string;
  /** The region whose identity the hub reads the ledger with (default BJ). */
  readonly readerRegion?: RegionCode;
  /** Log every request (default true). */
  readonly requestLog?: boolean;
}

export interface ServerDeps {
  readonly ledger: LedgerPort;
  readonly store: Store;
  /** The crypto suite of the hub's own artefacts (commitments, log): the data dir's; default `intl`. */
  readonly suite?: 'intl' | 'gm';
  /** Without a bus, POST /milestones, replays and the live feed's receipts are unavailable. */
  readonly bus?: Bus;
  readonly tokens: TokenService;
  readonly indexer: ChainIndexer;
  readonly metrics: HubMetrics;
  readonly logger: Logger;
  readonly ingest?: IngestState;
  readonly reconciliation?: Pick<ReconciliationView, 'lastPass'>;
  readonly health?: HealthChecks;
  /** The ledger's transparency log (checkpoints); without it the checkpoint routes answer 503. */
  readonly tlog?: TransparencyLog;
  /** Public anchors of checkpoints; without them the anchor routes answer 503. */
  readonly anchors?: PublicAnchors;
  readonly options?: ServerOptions;
}

export interface HubServer {
  readonly app: Express;
  readonly services: ApiServices;
  readonly routes: readonly RouteSpec[];
  readonly openapi: () => unknown;
  /**
   * The HTTP server's request listener: `POST /verify`'s lane ahead of Express, then the app
   * (http/verify-lane.ts). Serve this rather than `app` itself.
   */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests `POST /verify` answered in its lane ahead of the general chain (http/verify-lane.ts). */
  verifyLaneServed(): number;
  /** Starts the live feed and the stage statistics. */
  start(): void;
  stop(): void;
}

export function createServer(deps: ServerDeps): HubServer {
  const services = createServices(deps);
  const routes: RouteSpec[] = [];
  let document: unknown;
  const openapi = (): unknown =>
    (document ??= buildOpenApi(routes, {
      title: 'approval-ledger hub API',
      version: HUB_VERSION,
      description:
        'Audit and interoperability ledger for government approvals (Beijing-Tianjin-Hebei). Errors are ' +
        'application/problem+json (RFC 9457). Proof bundles (approval-ledger/proof@1; approval-ledger/fabric-proof@1 on Fabric) are described in hub/README.md.',
    }));
  routes.push(
    ...ingestRoutes(services),
    ...projectRoutes(services),
    ...verifyRoutes(services),
    ...certificateRoutes(services),
    ...recognitionRoutes(services),
    ...chainRoutes(services),
    ...checkpointRoutes(services),
    ...anchorRoutes(services),
    ...eventRoutes(services),
    ...operationRoutes(services),
    ...systemRoutes(services, openapi),
  );
  const { app, lane } = buildApp(deps, services, routes);
  return {
    app,
    listener: lane.front(app),
    verifyLaneServed: () => lane.served(),
    services,
    routes,
    openapi,
    start: () => services.feed.start(),
    stop: () => services.feed.stop(),
  };
}

function createServices(deps: ServerDeps): ApiServices & { statistics: StageStatistics } {
  const { ledger, store, bus, indexer, metrics } = deps;
  const index = indexer.index;
  const auth: Auth = createAuth({ tokens: deps.tokens, auditLog: store.auditLog });
  const statistics = new StageStatistics(index);
  const suite = deps.suite ?? 'intl';
  const bundles = new ProofBundleBuilder(ledger, suite);
  const reader = new LedgerReader(ledger, deps.options?.readerRegion ?? 'BJ');
  return {
    auth,
    tokens: deps.tokens,
    tokenRecords: store.tokens,
    metrics,
    statistics,
    health: deps.health ?? defaultHealth(deps),
    milestones: new MilestoneIntakeService(requireBus(bus)),
    receipts: store.receipts,
    projects: new ProjectService(index, store, statistics, suite),
    verification: new VerificationService(index, store, bundles, suite, deps.tlog),
    certificates: new CertificateService(reader, index, store, suite),
    recognitions: new RecognitionService(ledger, index, indexer, store, requireBus(bus)),
    chain: new ChainService(ledger, index),
    feed: new EventFeed(indexer, bus),
    dashboard: new DashboardService(ledger, index, store, () => indexer.indexedBlock, deps.ingest),
    deadLetters: new DeadLetterService(store, bus),
    auditLog: store.auditLog,
    reconciliation: {
      lastPass: () => deps.reconciliation?.lastPass(),
      sources: () => store.reconciliation.report(),
    },
    ...(deps.tlog ? { tlog: deps.tlog } : {}),
    ...(deps.anchors ? { anchors: deps.anchors } : {}),
  };
}

/** A bus that refuses to publish (hub started without NATS): the routes answer 503. */
function requireBus(bus: Bus | undefined): Bus {
  if (bus) return bus;
  const unavailable = (): never => {
    throw new HttpProblem('ledger-unavailable', 'this hub runs without NATS');
  };
  return {
    connected: false,
    publish: unavailable,
    publishMany: unavailable,
    subscribe: () => () => undefined,
    ping: unavailable,
  };
}

function defaultHealth(deps: ServerDeps): HealthChecks {
  const check = async (work: () => Promise<unknown>): Promise<string> => {
    try {
      await work();
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return {
    readiness: async () => ({
      database: await check(() => deps.store.ping()),
      ledger: await check(() => deps.ledger.height()),
      ...(deps.bus ? { nats: await check(() => (deps.bus as Bus).ping()) } : {}),
    }),
  };
}

function buildApp(
  deps: ServerDeps,
  services: ApiServices,
  routes: readonly RouteSpec[],
): { app: Express; lane: VerifyLane } {
  const options = deps.options ?? {};
  const logRequests = options.requestLog ?? true;
  const bodyLimitBytes = options.bodyLimitBytes ?? 2 * 1024 * 1024;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('etag', false);
  // the hub serves plain HTTP on 127.0.0.1 by default: no upgrade of the explorer's requests to https
  const securityHeaders = helmet({
    contentSecurityPolicy: { directives: { 'connect-src': ["'self'"], 'upgrade-insecure-requests': null } },
  });
  const corsHeaders = cors(corsOptions(options.corsOrigins ?? []));
  const limiter = verifyLimiter(options);
  const problems = problemHandler(deps.logger);
  const lane = verifyLane({
    verify: (sha256, verifyOptions) => services.verification.verifyHash(sha256, verifyOptions),
    verifyBundle: (body) => services.verification.verifyBundle(body, services.tlog?.status()),
    headerMiddlewares: [securityHeaders, corsHeaders],
    limiter,
    bodyLimitBytes,
    metrics: deps.metrics,
    ...(logRequests ? { requestLog: deps.logger } : {}),
    problems,
  });
  app.post(`${API_PREFIX}/verify`, lane.handler);
  app.use(requestLog(deps.logger, logRequests));
  app.use(securityHeaders);
  app.use(API_PREFIX, corsHeaders);
  app.use(API_PREFIX, express.json({ limit: bodyLimitBytes, strict: true }));
  app.use(API_PREFIX, timing(deps.metrics));
  const router = apiRouter(routes, {
    guard: authRouteGuard(services.auth),
    extra: (spec) => (spec.access.kind === 'public' && spec.access.rateLimited ? [limiter.middleware] : []),
  });
  app.use(API_PREFIX, router);
  // probes also at the root, as orchestrators expect them
  for (const path of ['/healthz', '/readyz']) {
    app.get(path, (req, res, next) => {
      req.url = path;
      router(req, res, next);
    });
  }
  app.use(API_PREFIX, (req, _res, next) =>
    next(new HttpProblem('route-not-found', `no route ${req.method} ${API_PREFIX}${req.path}`)),
  );
  serveExplorer(app, options.explorerDir);
  app.use(problems);
  return { app, lane };
}

/** The rate limit of /verify and /proofs (per address; http/rate-limiter.ts). */
function verifyLimiter(options: ServerOptions): RateLimiter {
  return new RateLimiter({
    windowMs: options.verifyRateLimit?.windowMs ?? 60_000,
    limit: options.verifyRateLimit?.limit ?? 600,
  });
}

function requestLog(logger: Logger, enabled: boolean): RequestHandler {
  if (!enabled) {
    // no per-request logger at all when request logging is off (benchmarks): only the id
    return (req, res, next) => {
      const id = requestIdOf(req);
      (req as { id?: string }).id = id;
      res.setHeader('X-Request-Id', id);
      next();
    };
  }
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => requestLogLevel(res.statusCode, error),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

function timing(metrics: HubMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route, status: String(res.statusCode) });
    });
    next();
  };
}

function corsOptions(origins: readonly string[]): cors.CorsOptions {
  if (origins.includes('*'))
    return { origin: true, exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy'] };
  return { origin: origins.length === 0 ? false : [...origins], exposedHeaders: ['X-Request-Id'] };
}

/** The explorer's built files at `/`, with index.html for every other non-API path (client-side routes). */
function serveExplorer(app: Express, dir: string | undefined): void {
  const root = resolve(dir ?? join(__dirname, '..', '..', 'explorer', 'dist', 'explorer', 'browser'));
  if (!existsSync(join(root, 'index.html'))) return;
  app.use(express.static(root, { index: 'index.html', maxAge: '1h' }));
  app.get(/^(?!\/api\/).*/, (req, res, next) => {
    if (req.method !== 'GET' || !req.accepts('html')) {
      next();
      return;
    }
    res.sendFile(join(root, 'index.html'));
  });
}

/** Seconds a client should wait before retrying: the rate-limit window, or a few seconds when unavailable. */
function retryAfterOf(problem: HttpProblem): number | undefined {
  if (problem.slug === 'rate-limited') return 60;
  if (problem.status !== 503) return undefined;
  const given = problem.extensions.retryAfterSeconds;
  return typeof given === 'number' ? given : 5;
}

function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = toHttpProblem(error);
    const reqId = (req as { id?: unknown }).id;
    // a dependency that is down is said once per request, without a stack: the cause is known
    if (problem.status === 503)
      logger.warn({ reqId, detail: problem.detail }, 'request refused: unavailable');
    else if (problem.status >= 500) logger.error({ err: error, reqId }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    const retryAfter = retryAfterOf(problem);
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem.toProblem(req.originalUrl)));
  };
}
