/**
 * The hot public route, `POST /api/v1/verify` with a JSON body, served in one step ahead of the general
 * Express chain. It is the route every other region's authority and every document check calls, so its cost
 * per request decides the hub's capacity; the general chain (request logger, helmet, CORS, body parser,
 * timing, router, guard, zod for params and query) costs more than the verification itself.
 *
 * Two doors lead into the lane: `front(app)`, the HTTP server's own request listener, takes the lane's
 * requests before Express sees them (no `app.handle`, no router walk, no prototype switch of the request and
 * response: about 6% of a request's CPU by the profile, issue 16) and hands every other request to the app;
 * `handler`, a route on the app itself, serves the lane's requests that reach the app some other way (a
 * path written `/api/v1/verify/` or in other case, an `X-Forwarded-For` header, or an app mounted without the
 * front).
 *
 * The lane answers exactly as the chain does, by reusing the chain's own parts:
 * - the security and CORS headers are the ones helmet and cors set on a request without `Origin`, captured
 *   from those very middlewares when the app is built (they are constant for such requests), and written with
 *   the answer's own headers in one `writeHead`;
 * - the same request id rule, the same rate limiter instance (one budget across both paths), the same
 *   body limit and JSON strictness, the same zod schema, the same problem handler, the same duration
 *   histogram and request log line;
 * - the same service call.
 * A request the lane does not take as it is (a query string, an `Origin` or `Authorization` header, another
 * content type or a content encoding) goes on to the general chain untouched. hub/test/verify-lane.test.ts
 * sends each kind of request down both paths and compares the answers.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { type Logger } from 'pino';
import { type HubMetrics } from '../metrics/hub-metrics';
import { type VerificationResult, type VerifyOptions } from '../verification/verification.service';
import {
  type BundleVerification,
  type VerifyBundleBody,
  validateVerifyBody,
} from '@approval-ledger/protocol/api';
import { keyOf, type RateLimiter, rateLimited } from './rate-limiter';
import { HttpProblem } from './problem';

export const VERIFY_PATH = '/api/v1/verify';

export interface VerifyLaneDeps {
  readonly verify: (sha256: string, options: VerifyOptions) => Promise<VerificationResult>;
  /** A proof bundle sent to be checked (`{"proofBundle": …}`), as the general route checks it. */
  readonly verifyBundle: (body: VerifyBundleBody) => Promise<BundleVerification>;
  /** The general chain's middlewares whose headers are constant for a request without `Origin`. */
  readonly headerMiddlewares: readonly RequestHandler[];
  /** The /verify rate limiter (the same instance the general route uses). */
  readonly limiter: RateLimiter;
  readonly bodyLimitBytes: number;
  readonly metrics: HubMetrics;
  /** Logs one line per request, as the general chain's request logger does; undefined: no request log. */
  readonly requestLog?: Logger;
  readonly problems: ErrorRequestHandler;
}

export interface VerifyLane {
  /** The route on the app (after Express's own handling): the lane's requests that reached the app. */
  readonly handler: RequestHandler;
  /** The HTTP server's request listener: the lane's requests answered here, every other one given to `app`. */
  front(app: Express): (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests the lane answered (the rest went on to the general chain). */
  served(): number;
}

export function verifyLane(deps: VerifyLaneDeps): VerifyLane {
  const fixedHeaders = captureHeaders(deps.headerMiddlewares);
  const fixedFlat = fixedHeaders.flatMap(([name, value]) => [name, value]);
  const histogram = deps.metrics.httpDuration;
  const labels = new Map<number, { method: string; route: string; status: string }>();
  const observe = (status: number, seconds: number): void => {
    let set = labels.get(status);
    if (set === undefined)
      labels.set(status, (set = { method: 'POST', route: '/verify', status: String(status) }));
    histogram.observe(set, seconds);
  };
  const lane: Lane = { deps, fixedHeaders, fixedFlat, observe, app: undefined };
  let served = 0;
  const handler: RequestHandler = (req, res, next) => {
    if (!takes(req)) {
      next();
      return;
    }
    served++;
    void answer(lane, req, req.ip ?? req.socket.remoteAddress ?? '', res);
  };
  const front = (app: Express) => {
    const fronted: Lane = { ...lane, app };
    return (req: IncomingMessage, res: ServerResponse): void => {
      // the exact path only, and no proxy header (then `req.ip` is the socket's address, as Express has it)
      if (
        req.method === 'POST' &&
        req.url === VERIFY_PATH &&
        req.headers['x-forwarded-for'] === undefined &&
        takes(req)
      ) {
        served++;
        void answer(fronted, req, req.socket.remoteAddress ?? '', res);
        return;
      }
      app(req, res);
    };
  };
  return { handler, front, served: () => served };
}

interface Lane {
  readonly deps: VerifyLaneDeps;
  readonly fixedHeaders: readonly (readonly [string, string | readonly string[]])[];
  /** The same, flat: name, value, name, value … (for `writeHead`). */
  readonly fixedFlat: readonly (string | readonly string[])[];
  readonly observe: (status: number, seconds: number) => void;
  /** Set when the request came through `front`: Express's request and response are made of it on an error. */
  readonly app: Express | undefined;
}

/** The lane takes plain JSON POSTs without a query, an Origin, credentials or a content encoding. */
function takes(req: IncomingMessage): boolean {
  const { headers } = req;
  if (req.url === undefined || req.url.includes('?')) return false;
  if (headers.origin !== undefined || headers.authorization !== undefined) return false;
  if (headers['content-encoding'] !== undefined && headers['content-encoding'] !== 'identity') return false;
  return isUtf8Json(headers['content-type']);
}

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

function isUtf8Json(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType);
}

async function answer(lane: Lane, req: IncomingMessage, ip: string, res: ServerResponse): Promise<void> {
  const { deps } = lane;
  const started = process.hrtime.bigint();
  const id = requestIdOf(req);
  (req as { id?: string }).id = id;
  let hit: ReturnType<RateLimiter['hit']> | undefined;
  try {
    const body = await readJson(req, deps.bodyLimitBytes);
    hit = deps.limiter.hit(keyOf(ip));
    if (hit.over) throw rateLimited();
    // validated against the schema the body means, as the general route does (verify.routes.ts)
    const parsed = validateVerifyBody(body);
    if (!parsed.ok) throw HttpProblem.validation('body', parsed.issues);
    const request = parsed.value;
    const result =
      'proofBundle' in request
        ? await deps.verifyBundle(request)
        : await deps.verify(request.sha256, { bundles: request.bundle ?? false });
    const text = JSON.stringify(result);
    // every header in one writeHead: the captured ones, the request id, the rate limit, the body's
    res.writeHead(200, [
      ...(lane.fixedFlat as string[]),
      'X-Request-Id',
      id,
      'RateLimit-Policy',
      hit.policy,
      'RateLimit',
      hit.state,
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(text)),
    ]);
    res.end(text);
  } catch (error) {
    refuse(lane, req, res, id, hit, error);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  lane.observe(res.statusCode, seconds);
  if (deps.requestLog) logRequest(deps.requestLog, req, res, seconds);
}

/** A problem answer through the chain's own handler, with the headers the chain would have set by then. */
function refuse(
  lane: Lane,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  hit: ReturnType<RateLimiter['hit']> | undefined,
  error: unknown,
): void {
  if (lane.app !== undefined && !(res as Partial<Response>).status) expressify(lane.app, req, res);
  res.setHeader('X-Request-Id', id);
  for (const [name, value] of lane.fixedHeaders) res.setHeader(name, value);
  if (hit !== undefined) {
    res.setHeader('RateLimit-Policy', hit.policy);
    res.setHeader('RateLimit', hit.state);
    if (hit.over) res.setHeader('Retry-After', String(hit.resetSeconds));
  }
  lane.deps.problems(error, req as Request, res as Response, () => undefined);
}

/** What Express's `app.handle` does to a request before its router (express/lib/application.js). */
function expressify(app: Express, req: IncomingMessage, res: ServerResponse): void {
  const request = req as Request;
  const response = res as Response;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  (request as { res: Response }).res = response;
  (response as { req: Request }).req = request;
  (response as { locals: Record<string, unknown> }).locals ??= Object.create(null) as Record<string, unknown>;
  request.originalUrl ??= request.url;
}

/** The body as express.json({ strict: true }) reads it: {} when empty, only an object or array at the top. */
function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) {
    req.resume();
    return Promise.reject(bodyError('entity.too.large', limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limitBytes) {
        req.off('data', onData);
        req.resume();
        reject(bodyError('entity.too.large', limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (length > limitBytes) return;
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8');
      if (text.length === 0) {
        resolve({});
        return;
      }
      const first = firstSignificant(text);
      if (first !== '{' && first !== '[') {
        reject(bodyError('entity.parse.failed'));
        return;
      }
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(bodyError('entity.parse.failed'));
      }
    });
  });
}

/** The first character that is not JSON whitespace (space, tab, line feed, carriage return). */
function firstSignificant(text: string): string | undefined {
  for (const char of text) if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return char;
  return undefined;
}

/** An error shaped as body-parser's, so the shared problem mapping answers it the same way. */
function bodyError(type: 'entity.too.large' | 'entity.parse.failed', limitBytes?: number): Error {
  return Object.assign(new Error(type), { type, ...(limitBytes === undefined ? {} : { limit: limitBytes }) });
}

/** A request id (from `X-Request-Id` when sane), as the general chain's request logger assigns it. */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** The log level of a finished request: error from 500 (or on an error), warn from 400, else info. */
export function requestLogLevel(status: number, error?: unknown): 'error' | 'warn' | 'info' {
  return error || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, seconds: number): void {
  logger[requestLogLevel(res.statusCode)](
    {
      req: { id: (req as { id?: unknown }).id, method: req.method, url: req.url },
      res: { statusCode: res.statusCode },
      responseTime: Math.round(seconds * 1000),
    },
    'request completed',
  );
}

/**
 * The headers the given middlewares set on a POST without `Origin`: each is run once against a recording
 * response. They must answer synchronously and the same way for every such request (helmet, cors with static
 * options); anything else throws here, when the app is built.
 */
function captureHeaders(
  middlewares: readonly RequestHandler[],
): readonly (readonly [string, string | readonly string[]])[] {
  const headers = new Map<string, readonly [string, string | readonly string[]]>();
  const recorder = {
    getHeader: (name: string) => headers.get(name.toLowerCase())?.[1],
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.set(name.toLowerCase(), [name, typeof value === 'number' ? String(value) : value]);
      return recorder;
    },
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
    hasHeader: (name: string) => headers.has(name.toLowerCase()),
  };
  const request = { method: 'POST', url: '/api/v1/verify', headers: {} };
  for (const middleware of middlewares) {
    let passed = false;
    void middleware(request as unknown as Request, recorder as unknown as Response, (error?: unknown) => {
      if (error !== undefined)
        throw error instanceof Error ? error : new Error('a middleware of the verify lane failed');
      passed = true;
    });
    if (!passed)
      throw new Error('a middleware of the verify lane did not pass a plain request synchronously');
  }
  return [...headers.values()];
}
