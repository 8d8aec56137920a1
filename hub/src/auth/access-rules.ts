/**
 * Who may call what: the rules of ARCHITECTURE.md "Security" as data. One entry per route of the HTTP API
 * (paths under `/api/v1`, Express syntax); the API's auth-matrix test iterates {@link ACCESS_RULES} for every
 * role, and `authorize(route)` enforces an entry. The chaincode enforces the same rules again from the client
 * identity.
 *
 * - approvers write their own region and department only;
 * - authorities decide recognitions for their own region, and read;
 * - auditors read everything and write nothing;
 * - admins operate the hub (dead letters, tokens) in their own region;
 * - verify-by-hash, the OpenAPI document and health checks are public;
 * - a `sensitive` record's full text and salt are for its own region; another region reads them only with a
 *   reason on the ledger ({@link sensitiveReadRefusal}).
 */
import { type DepartmentCode, type RegionCode, type Role, ROLE_NAMES } from '@approval-ledger/protocol';
import { authError } from './auth-error';
import { type Principal } from './principal';

/**
 * What the caller's token must match in the resource, besides its role:
 * - `any`: nothing (reads);
 * - `own-region`: the resource's region (a recognition's target region, a dead letter's region);
 * - `own-region-dept`: the resource's region and department (a milestone an approver writes).
 */
export type AccessScope = 'any' | 'own-region' | 'own-region-dept';

/** What the audit log gets: nothing, every authenticated read (sensitive data), or every write. */
export type AuditKind = 'none' | 'sensitive-read' | 'write';

export interface AccessRule {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express path under `/api/v1`. */
  readonly path: string;
  /** No token needed (rate limits apply where `rateLimited`). */
  readonly public: boolean;
  /** Roles allowed; empty for public routes. */
  readonly roles: readonly Role[];
  readonly scope: AccessScope;
  readonly audit: AuditKind;
  readonly rateLimited?: boolean;
}

/** The part of a resource a scope checks. */
export interface ResourceScope {
  readonly region: RegionCode;
  readonly dept?: DepartmentCode | null;
}

const READERS: readonly Role[] = ['authority', 'auditor'];
const OPERATORS: readonly Role[] = ['admin', 'auditor'];

function rule(
  method: AccessRule['method'],
  path: string,
  roles: readonly Role[],
  scope: AccessScope = 'any',
  audit: AuditKind = 'none',
): AccessRule {
  return { method, path, public: false, roles, scope, audit };
}

function publicRoute(method: AccessRule['method'], path: string, rateLimited = false): AccessRule {
  return {
    method,
    path,
    public: true,
    roles: [],
    scope: 'any',
    audit: 'none',
    ...(rateLimited ? { rateLimited } : {}),
  };
}

/** Every route's rule, keyed `METHOD path`. */
export const ACCESS_RULES = {
  'POST /milestones': rule('POST', '/milestones', ['approver'], 'own-region-dept', 'write'),
  'GET /projects/:projectCode': rule('GET', '/projects/:projectCode', READERS, 'any', 'sensitive-read'),
  'POST /verify': publicRoute('POST', '/verify', true),
  'GET /certificates/:number': rule('GET', '/certificates/:number', READERS, 'any', 'sensitive-read'),
  'POST /recognitions': rule('POST', '/recognitions', ['authority'], 'own-region', 'write'),
  'POST /recognitions/:id/decision': rule(
    'POST',
    '/recognitions/:id/decision',
    ['authority'],
    'own-region',
    'write',
  ),
  'GET /recognitions': rule('GET', '/recognitions', READERS),
  'GET /blocks': rule('GET', '/blocks', ['auditor']),
  'GET /blocks/:number': rule('GET', '/blocks/:number', ['auditor']),
  'GET /transactions/:txId': rule('GET', '/transactions/:txId', ['auditor']),
  'GET /events': rule('GET', '/events', ['auditor', 'authority']),
  'GET /dlq': rule('GET', '/dlq', OPERATORS, 'any', 'sensitive-read'),
  'GET /dlq/:seq': rule('GET', '/dlq/:seq', OPERATORS, 'any', 'sensitive-read'),
  'POST /dlq/:seq/replay': rule('POST', '/dlq/:seq/replay', ['admin'], 'own-region', 'write'),
  'GET /reconciliation': rule('GET', '/reconciliation', OPERATORS),
  'GET /audit-log': rule('GET', '/audit-log', ['auditor'], 'any', 'sensitive-read'),
  'POST /tokens/:jti/revoke': rule('POST', '/tokens/:jti/revoke', ['admin'], 'own-region', 'write'),
  'GET /metrics': rule('GET', '/metrics', OPERATORS),
  'GET /openapi.json': publicRoute('GET', '/openapi.json'),
  'GET /healthz': publicRoute('GET', '/healthz'),
  'GET /readyz': publicRoute('GET', '/readyz'),
} as const satisfies Record<string, AccessRule>;

export type RouteKey = keyof typeof ACCESS_RULES;
export const ROUTE_KEYS = Object.keys(ACCESS_RULES) as RouteKey[];

export type AccessDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly status: 401 | 403;
      readonly reason: 'token' | 'role' | 'region' | 'dept';
      readonly detail: string;
    };

/**
 * May `principal` (undefined: no token) call `route` on `resources`? Without resources only the role is checked;
 * a scoped route then needs a second check once the resource is known (`assertAccess`).
 */
export function checkAccess(
  principal: Principal | undefined,
  route: RouteKey,
  resources: readonly ResourceScope[] = [],
): AccessDecision {
  const r: AccessRule = ACCESS_RULES[route];
  if (r.public) return { allowed: true };
  if (principal === undefined)
    return { allowed: false, status: 401, reason: 'token', detail: `${route} needs a bearer token` };
  if (!r.roles.includes(principal.role)) {
    return deny('role', `${route} is for ${r.roles.join(' or ')}, not ${principal.role}`);
  }
  for (const resource of resources) {
    const refused = scopeRefusal(r.scope, principal, resource, route);
    if (refused !== undefined) return refused;
  }
  return { allowed: true };
}

/** Throws AUTH_ACCESS_DENIED (or returns) as {@link checkAccess} decides; for services that know the resource. */
export function assertAccess(
  principal: Principal,
  route: RouteKey,
  resources: readonly ResourceScope[] = [],
): void {
  const decision = checkAccess(principal, route, resources);
  if (!decision.allowed)
    throw authError.accessDenied(
      route,
      decision.reason === 'token' ? 'role' : decision.reason,
      decision.detail,
    );
}

/** For each role, may it call the route at all (before scope)? Handy for the auth matrix. */
export function rolesAllowed(route: RouteKey): readonly Role[] {
  const r: AccessRule = ACCESS_RULES[route];
  return r.public ? ROLE_NAMES : r.roles;
}

function scopeRefusal(
  scope: AccessScope,
  principal: Principal,
  resource: ResourceScope,
  route: RouteKey,
): AccessDecision | undefined {
  if (scope === 'any') return undefined;
  if (resource.region !== principal.region) {
    return deny(
      'region',
      `${route}: a ${principal.region} token may not act on a ${resource.region} resource`,
    );
  }
  if (scope === 'own-region-dept' && (resource.dept ?? null) !== principal.dept) {
    return deny(
      'dept',
      `${route}: a ${principal.region}/${principal.dept ?? '-'} token may not act on a ${resource.region}/${resource.dept ?? '-'} resource`,
    );
  }
  return undefined;
}

function deny(reason: 'role' | 'region' | 'dept', detail: string): AccessDecision {
  return { allowed: false, status: 403, reason, detail };
}

/** What {@link sensitiveReadRefusal} looks at: the record's region and data class, and its recognitions. */
export interface SensitiveRecordScope {
  readonly region: string;
  readonly dataClass?: string | undefined;
  readonly recognitions: readonly { readonly sourceRegion: string; readonly targetRegion: string }[];
}

/**
 * May `reader` see the full off-chain record and salt of `record`? Public and internal records: any reader the
 * route admits. A `sensitive` record of region R: R's own tokens, and another region's tokens only where that
 * region has a reason on the ledger, a recognition request or decision about this record with R as its source
 * and the reader's region as its target. Everything on the chain (identifiers, digests, the commitment, the
 * transactions) stays visible either way. Returns why not, or undefined when it may.
 */
export function sensitiveReadRefusal(reader: Principal, record: SensitiveRecordScope): string | undefined {
  if (record.dataClass !== 'sensitive' || record.region === reader.region) return undefined;
  const concerned = record.recognitions.some(
    (r) => r.sourceRegion === record.region && r.targetRegion === reader.region,
  );
  if (concerned) return undefined;
  return (
    `a sensitive ${record.region} record: a ${reader.region} token sees its full text and salt only with a ` +
    `recognition request or decision about it for ${reader.region}`
  );
}
