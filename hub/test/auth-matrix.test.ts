/**
 * Every role (and no token) against every route of the API, allowed or refused as the access rules say;
 * then the scope rules: a token of one region or department writing another's records, deciding another
 * region's recognitions, replaying another region's dead letters.
 */
import { ACCESS_RULES, rolesAllowed, type RouteKey } from '../src/auth';
import { routeKeyOf } from '../src/http/route-guard';
import { type RouteSpec } from '../src/http/route';
import { expect } from 'chai';
import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';
import { milestone, projectCode } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

interface Caller {
  readonly name: string;
  readonly role?: Role;
  readonly region: RegionCode;
  readonly dept?: DepartmentCode;
}

const CALLERS: readonly Caller[] = [
  { name: 'anonymous', region: 'BJ' },
  { name: 'approver BJ/EE', role: 'approver', region: 'BJ', dept: 'EE' },
  { name: 'authority BJ', role: 'authority', region: 'BJ' },
  { name: 'admin BJ', role: 'admin', region: 'BJ' },
  { name: 'auditor BJ', role: 'auditor', region: 'BJ' },
];

/** A concrete request for each route: the path with parameters filled in, and a body where one is needed. */
function requestFor(spec: RouteSpec): { path: string; body?: unknown } {
  const params: Record<string, string> = {
    projectCode: projectCode('BJ', 999),
    number: 'NO-SUCH-CERTIFICATE',
    id: 'REC-NONE',
    txId: 'f'.repeat(64),
    recordId: 'nobody:none:1',
    kind: 'milestone',
    seq: '999999',
    jti: 'no-such-jti',
    slug: 'validation-failed',
  };
  const path = `/api/v1${spec.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? name))}`;
  const query: Record<string, string> = {
    '/projects': '?q=2025',
    '/blocks/:number': '',
    '/blocks': '?limit=2',
  };
  const bodies: Record<string, unknown> = {
    'POST /milestones': milestone({ region: 'BJ', dept: 'EE', n: 7001, system: 'auth-matrix' }),
    'POST /verify': { sha256: 'a'.repeat(64) },
    'POST /recognitions': {
      id: 'REC-M1',
      subjectType: 'certificate',
      subjectId: 'NONE',
      sourceRegion: 'TJ',
      targetRegion: 'BJ',
    },
    'POST /recognitions/:id/decision': {},
    'POST /tokens/:jti/revoke': { reason: 'test' },
  };
  const key = routeKeyOf(spec);
  return {
    path: `${spec.path === '/blocks/:number' ? '/api/v1/blocks/0' : path}${query[spec.path] ?? ''}`,
    ...(key in bodies ? { body: bodies[key] } : {}),
  };
}

function allowedRoles(spec: RouteSpec): readonly Role[] | 'public' {
  const key = routeKeyOf(spec);
  if (Object.hasOwn(ACCESS_RULES, key)) {
    return ACCESS_RULES[key as RouteKey].public ? 'public' : rolesAllowed(key as RouteKey);
  }
  return spec.access.kind === 'public' ? 'public' : spec.access.roles;
}

describe('auth matrix: every role against every route', function () {
  this.timeout(120_000);
  let t: TestHub;
  const tokens = new Map<string, string | undefined>();

  before(async () => {
    t = await startTestHub();
    for (const c of CALLERS) tokens.set(c.name, c.role ? await t.token(c.role, c.region, c.dept) : undefined);
  });

  after(async () => {
    await t?.stop();
  });

  it('covers every route the auth rules list, and the rules cover the contract routes', () => {
    const keys = new Set(t.hub.server.routes.map(routeKeyOf));
    for (const key of Object.keys(ACCESS_RULES)) expect(keys, `route ${key}`).to.include(key);
  });

  it('allows exactly the roles of each route and refuses the others with 401 or 403', async () => {
    const failures: string[] = [];
    for (const spec of t.hub.server.routes) {
      const allowed = allowedRoles(spec);
      const { path, body } = requestFor(spec);
      for (const caller of CALLERS) {
        const status = await call(t, spec.method.toUpperCase(), path, tokens.get(caller.name), body);
        const mayCall = allowed === 'public' || (caller.role !== undefined && allowed.includes(caller.role));
        const refused = status === 401 || status === 403;
        const expected = mayCall ? 'allowed' : caller.role ? '403' : '401';
        const got = refused ? String(status) : 'allowed';
        if (expected !== got)
          failures.push(
            `${caller.name} ${spec.method.toUpperCase()} ${spec.path}: expected ${expected}, got ${status}`,
          );
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('refuses a Tianjin approver writing a Beijing milestone, and a Beijing HC approver writing EE', async () => {
    const tianjin = await t.token('approver', 'TJ', 'EE');
    const cross = await t.api('POST', '/api/v1/milestones', {
      token: tianjin,
      body: milestone({ region: 'BJ', dept: 'EE', n: 7002 }),
    });
    expect(cross.status).to.equal(403);
    expect(cross.body.type).to.equal('/api/v1/problems/forbidden-region');
    const hc = await t.token('approver', 'BJ', 'HC');
    const otherDept = await t.api('POST', '/api/v1/milestones', {
      token: hc,
      body: [milestone({ region: 'BJ', dept: 'EE', n: 7003 })],
    });
    expect(otherDept.status).to.equal(403);
    expect(otherDept.body.type).to.equal('/api/v1/problems/forbidden-department');
    const stored = await t.hub.store.records.findById('test-bj-ee:R7002:1');
    expect(stored).to.equal(undefined);
  });

  it('refuses an authority asking for recognition on behalf of another region', async () => {
    const tianjin = await t.token('authority', 'TJ');
    const response = await t.api('POST', '/api/v1/recognitions', {
      token: tianjin,
      body: {
        id: 'REC-X1',
        subjectType: 'certificate',
        subjectId: 'C1',
        sourceRegion: 'TJ',
        targetRegion: 'BJ',
      },
    });
    expect(response.status).to.equal(403);
    expect(response.body.type).to.equal('/api/v1/problems/forbidden-region');
  });

  it('documents every route, its parameters, body, responses and problems in the OpenAPI 3.1 document', async () => {
    const r = await t.api('GET', '/api/v1/openapi.json');
    expect(r.status).to.equal(200);
    const doc = r.body as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            responses: Record<string, unknown>;
            parameters: { name: string; in: string }[];
            requestBody?: unknown;
          }
        >
      >;
    };
    expect(doc.openapi).to.equal('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    for (const spec of t.hub.server.routes) {
      const key = `${spec.method.toUpperCase()} ${spec.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
      const found = operations.find((o) => o.key === key);
      expect(found, key).to.not.equal(undefined);
      expect(Object.keys(found!.op.responses).length, key).to.be.greaterThan(0);
      for (const name of spec.path.match(/:([A-Za-z]+)/g) ?? []) {
        expect(
          found!.op.parameters.map((p) => p.name),
          key,
        ).to.include(name.slice(1));
      }
      if (spec.body) expect(found!.op.requestBody, key).to.not.equal(undefined);
    }
    expect(new Set(operations.map((o) => o.op.operationId)).size).to.equal(operations.length);
    const verify = doc.paths['/verify']!.post!;
    expect(Object.keys((verify.requestBody as { content: object }).content)).to.have.members([
      'application/json',
      'multipart/form-data',
    ]);
    expect(verify.responses).to.have.property('429');
  });

  it('refuses an expired-looking or forged token with 401 problem+json', async () => {
    const response = await t.api('GET', '/api/v1/blocks', { token: 'eyJhbGciOiJFZERTQSJ9.e30.AAAA' });
    expect(response.status).to.equal(401);
    expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(response.body.type).to.equal('/api/v1/problems/unauthenticated');
  });
});

/** One request; an SSE stream is closed as soon as its status is known. */
async function call(
  t: TestHub,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`${t.url}${path}`, {
    method,
    signal: controller.signal,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  controller.abort();
  return response.status;
}
