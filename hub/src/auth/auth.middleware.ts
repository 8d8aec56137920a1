/**
 * Express 5 middleware for the hub API: `authenticate()` turns a bearer token into `req.principal`,
 * `authorize(route)` applies that route's entry of ACCESS_RULES, `audit()` writes the audit log. Failures are
 * passed to `next()` as AuthErrors (`status` 401/403, stable `code`) for the API's problem+json handler.
 */
import { type Request, type RequestHandler } from 'express';
import { type AuditActor, type AuditLogRepository, type AuditOutcome } from '../store';
import { ACCESS_RULES, checkAccess, type ResourceScope, type RouteKey } from './access-rules';
import { AuthError, authError } from './auth-error';
import { type Principal } from './principal';
import { type TokenService } from './token.service';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified caller, set by `authenticate()`; undefined for anonymous calls of public routes. */
    principal?: Principal;
  }
}

export interface AuthenticateOptions {
  /** Refuse requests without a token (401). Default true; public routes use false. */
  readonly required?: boolean;
}

/**
 * The resources a request acts on, for scoped rules, when the middleware can tell them from the request
 * (e.g. the region and department of each posted milestone); undefined leaves the check to the service.
 */
export type ResourcesOf = (req: Request) => readonly ResourceScope[] | undefined;

export interface Auth {
  authenticate(options?: AuthenticateOptions): RequestHandler;
  authorize(route: RouteKey, resourcesOf?: ResourcesOf): RequestHandler;
  /** Appends to the audit log as the request's principal; await it before sending sensitive data. */
  audit(
    req: Request,
    action: string,
    resource: string,
    outcome: AuditOutcome,
    details?: Readonly<Record<string, unknown>>,
  ): Promise<void>;
}

export interface AuthDependencies {
  readonly tokens: TokenService;
  readonly auditLog: AuditLogRepository;
  readonly now?: () => Date;
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i;

export function createAuth(deps: AuthDependencies): Auth {
  const now = deps.now ?? (() => new Date());

  const audit: Auth['audit'] = (req, action, resource, outcome, details) =>
    deps.auditLog.append({
      at: now(),
      actor: actorOf(req.principal),
      action,
      resource,
      outcome,
      requestId: requestIdOf(req),
      details: details ?? null,
    });

  const authenticate = (options: AuthenticateOptions = {}): RequestHandler =>
    async function authenticateBearer(req, _res, next) {
      const header = req.get('authorization');
      if (header === undefined) {
        next(options.required === false ? undefined : authError.missing());
        return;
      }
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) {
        next(authError.missing('the Authorization header must be "Bearer <token>"'));
        return;
      }
      try {
        req.principal = await deps.tokens.verify(token);
        next();
      } catch (error) {
        if (error instanceof AuthError) {
          await audit(req, 'token.verify', `${req.method} ${req.originalUrl}`, 'denied', {
            code: error.code,
          });
        }
        next(error);
      }
    };

  const authorize = (route: RouteKey, resourcesOf?: ResourcesOf): RequestHandler =>
    async function authorizeRoute(req, _res, next) {
      const decision = checkAccess(req.principal, route, resourcesOf?.(req) ?? []);
      if (decision.allowed) {
        next();
        return;
      }
      if (decision.reason === 'token') {
        next(authError.missing(decision.detail));
        return;
      }
      await audit(req, ACCESS_RULES[route].method === 'GET' ? 'read' : 'write', route, 'denied', {
        reason: decision.reason,
        url: req.originalUrl,
      });
      next(authError.accessDenied(route, decision.reason, decision.detail));
    };

  return { authenticate, authorize, audit };
}

/** The audit-log actor of a principal (all null for anonymous calls). */
export function actorOf(principal: Principal | undefined): AuditActor {
  return principal === undefined
    ? { subject: null, jti: null, region: null, role: null, dept: null }
    : {
        subject: principal.subject,
        jti: principal.jti,
        region: principal.region,
        role: principal.role,
        dept: principal.dept,
      };
}

/** pino-http's `req.id`, else the `X-Request-Id` header. */
function requestIdOf(req: Request): string | null {
  const id = (req as { id?: unknown }).id;
  if (typeof id === 'string' || typeof id === 'number') return String(id).slice(0, 128);
  return req.get('x-request-id')?.slice(0, 128) ?? null;
}
