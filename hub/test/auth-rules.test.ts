// The access rules of ARCHITECTURE.md "Security" as data, and the Express middleware that enforces them.
import { DEPARTMENT_CODES, REGION_CODES, ROLE_NAMES, type Role } from '@approval-ledger/protocol';
import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import {
  ACCESS_RULES,
  AuthError,
  ROUTE_KEYS,
  TokenService,
  assertAccess,
  checkAccess,
  createAuth,
  generateTokenSigningKey,
  rolesAllowed,
  type Principal,
  type ResourceScope,
} from '../src/auth';
import { type Store } from '../src/store';
import { useStoreBackend } from './store-fixtures';

function principal(
  role: Role,
  region: Principal['region'] = 'BJ',
  dept: Principal['dept'] = null,
): Principal {
  return {
    subject: `${role}-${region}`,
    region,
    role,
    dept,
    jti: 'jti',
    issuedAt: new Date(0),
    expiresAt: new Date(8.64e15),
  };
}

describe('access rules', () => {
  it('cover every route of the HTTP API in INTERFACES.md', () => {
    expect(ROUTE_KEYS).to.include.members([
      'POST /milestones',
      'GET /projects/:projectCode',
      'POST /verify',
      'GET /certificates/:number',
      'POST /recognitions',
      'POST /recognitions/:id/decision',
      'GET /recognitions',
      'GET /blocks',
      'GET /blocks/:number',
      'GET /transactions/:txId',
      'GET /events',
      'GET /openapi.json',
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
    ]);
    for (const key of ROUTE_KEYS)
      expect(key).to.equal(`${ACCESS_RULES[key].method} ${ACCESS_RULES[key].path}`);
  });

  it('leave verify-by-hash, the OpenAPI document and health checks public', () => {
    const open = ROUTE_KEYS.filter((k) => ACCESS_RULES[k].public);
    expect(open).to.have.members(['POST /verify', 'GET /openapi.json', 'GET /healthz', 'GET /readyz']);
    expect(ACCESS_RULES['POST /verify']).to.include({ rateLimited: true });
    for (const key of open) expect(checkAccess(undefined, key)).to.deep.equal({ allowed: true });
  });

  it('ask every other route for a token', () => {
    for (const key of ROUTE_KEYS.filter((k) => !ACCESS_RULES[k].public)) {
      expect(checkAccess(undefined, key), key).to.include({ allowed: false, status: 401, reason: 'token' });
    }
  });

  it('let auditors read everything and write nothing', () => {
    for (const key of ROUTE_KEYS.filter((k) => !ACCESS_RULES[k].public)) {
      const allowed = checkAccess(principal('auditor'), key).allowed;
      expect(allowed, key).to.equal(ACCESS_RULES[key].method === 'GET');
    }
  });

  it('let approvers write milestones of their own region and department only', () => {
    const approver = principal('approver', 'BJ', 'HC');
    const route = 'POST /milestones';
    expect(checkAccess(approver, route, [{ region: 'BJ', dept: 'HC' }])).to.deep.equal({ allowed: true });
    expect(checkAccess(approver, route, [{ region: 'TJ', dept: 'HC' }])).to.include({
      allowed: false,
      status: 403,
      reason: 'region',
    });
    expect(checkAccess(approver, route, [{ region: 'BJ', dept: 'EE' }])).to.include({
      allowed: false,
      reason: 'dept',
    });
    expect(
      checkAccess(approver, route, [
        { region: 'BJ', dept: 'HC' },
        { region: 'HE', dept: 'HC' },
      ]),
    ).to.include({ allowed: false });
    for (const key of ROUTE_KEYS.filter((k) => !ACCESS_RULES[k].public && k !== route)) {
      expect(checkAccess(approver, key).allowed, key).to.be.false;
    }
  });

  it('let only the target region’s authority ask for and decide a recognition', () => {
    const resource: ResourceScope = { region: 'TJ' };
    for (const route of ['POST /recognitions', 'POST /recognitions/:id/decision'] as const) {
      expect(checkAccess(principal('authority', 'TJ'), route, [resource]).allowed, route).to.be.true;
      expect(checkAccess(principal('authority', 'BJ'), route, [resource]), route).to.include({
        allowed: false,
        reason: 'region',
      });
      for (const role of ['approver', 'auditor', 'admin'] as const) {
        expect(checkAccess(principal(role, 'TJ', 'HC'), route, [resource]), `${role} ${route}`).to.include({
          reason: 'role',
        });
      }
    }
    expect(
      checkAccess(principal('authority', 'HE'), 'POST /milestones', [{ region: 'HE', dept: 'HC' }]),
    ).to.include({
      reason: 'role',
    });
  });

  it('give every role, region and department a decision on every route (the auth matrix’s input)', () => {
    let decisions = 0;
    for (const key of ROUTE_KEYS) {
      for (const role of ROLE_NAMES) {
        for (const region of REGION_CODES) {
          for (const dept of DEPARTMENT_CODES) {
            const decision = checkAccess(principal(role, region, dept), key, [{ region, dept }]);
            expect(decision.allowed, `${role} ${region}/${dept} ${key}`).to.equal(
              rolesAllowed(key).includes(role),
            );
            decisions++;
          }
        }
      }
    }
    expect(decisions).to.equal(
      ROUTE_KEYS.length * ROLE_NAMES.length * REGION_CODES.length * DEPARTMENT_CODES.length,
    );
  });

  it('throw AUTH_ACCESS_DENIED with the route and reason from assertAccess', () => {
    try {
      assertAccess(principal('approver', 'TJ', 'HC'), 'POST /milestones', [{ region: 'BJ', dept: 'HC' }]);
      expect.fail('expected AUTH_ACCESS_DENIED');
    } catch (error) {
      expect(error).to.be.instanceOf(AuthError);
      expect(error).to.include({ status: 403, code: 'AUTH_ACCESS_DENIED' });
      expect((error as AuthError<'AUTH_ACCESS_DENIED'>).facts).to.deep.equal({
        route: 'POST /milestones',
        reason: 'region',
      });
      expect((error as Error).message).to.contain('a TJ token may not act on a BJ resource');
    }
  });
});

describe('auth middleware', function () {
  this.timeout(30_000);
  const harness = useStoreBackend('sqlite');
  let store: Store;
  let server: Server;
  let base: string;
  let tokens: TokenService;

  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof AuthError) {
      res.status(error.status).json({ code: error.code, detail: error.message });
      return;
    }
    res.status(500).json({ detail: String(error) });
  };

  beforeEach(async () => {
    store = await harness.open();
    tokens = new TokenService({ key: await generateTokenSigningKey(), tokens: store.tokens });
    const auth = createAuth({ tokens, auditLog: store.auditLog });
    const app = express();
    app.use(express.json());
    app.post(
      '/api/v1/verify',
      auth.authenticate({ required: false }),
      auth.authorize('POST /verify'),
      (req, res) => {
        res.json({ anonymous: req.principal === undefined });
      },
    );
    app.post(
      '/api/v1/milestones',
      auth.authenticate(),
      auth.authorize('POST /milestones', (req) =>
        (req.body as ResourceScope[]).map(({ region, dept }) => ({ region, dept })),
      ),
      (_req, res) => {
        res.status(202).json({ accepted: true });
      },
    );
    app.get(
      '/api/v1/projects/:projectCode',
      auth.authenticate(),
      auth.authorize('GET /projects/:projectCode'),
      async (req, res) => {
        await auth.audit(req, 'project.read', `project:${String(req.params['projectCode'])}`, 'success', {
          records: 0,
        });
        res.json({ project: String(req.params['projectCode']), by: req.principal?.subject });
      },
    );
    app.use(errors);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const bearer = async (role: Role, region: Principal['region'], dept?: Principal['dept']): Promise<string> =>
    (await tokens.issue({ subject: `${role}.${region}`, region, role, ...(dept ? { dept } : {}) })).token;

  async function call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': 'req-42' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('lets anyone verify, with or without a token', async () => {
    expect(await call('POST', '/verify')).to.deep.equal({ status: 200, body: { anonymous: true } });
    expect((await call('POST', '/verify', await bearer('auditor', 'HE'))).body).to.deep.equal({
      anonymous: false,
    });
  });

  it('answers 401 with a stable code without a token, with a tampered one, or with another scheme', async () => {
    expect(await call('GET', '/projects/P1')).to.deep.include({
      status: 401,
      body: {
        code: 'AUTH_TOKEN_MISSING',
        detail: 'this route needs Authorization: Bearer <token> (see `ledger token`)',
      },
    });
    const token = await bearer('auditor', 'BJ');
    const tampered = `${token.slice(0, -4)}AAAA`;
    expect((await call('GET', '/projects/P1', tampered)).body).to.include({
      code: 'AUTH_TOKEN_BAD_SIGNATURE',
    });
    const res = await fetch(`${base}/projects/P1`, { headers: { authorization: `Basic ${token}` } });
    expect(res.status).to.equal(401);
  });

  it('lets an approver post its own region and department, and refuses a Tianjin approver writing a Beijing milestone', async () => {
    const tianjin = await bearer('approver', 'TJ', 'HC');
    expect(await call('POST', '/milestones', tianjin, [{ region: 'TJ', dept: 'HC' }])).to.deep.equal({
      status: 202,
      body: { accepted: true },
    });
    const refused = await call('POST', '/milestones', tianjin, [{ region: 'BJ', dept: 'HC' }]);
    expect(refused.status).to.equal(403);
    expect(refused.body).to.include({ code: 'AUTH_ACCESS_DENIED' });
    const [entry] = await store.auditLog.list({ action: 'write' });
    expect(entry).to.deep.include({ resource: 'POST /milestones', outcome: 'denied', requestId: 'req-42' });
    expect(entry?.actor).to.include({ subject: 'approver.TJ', region: 'TJ', role: 'approver', dept: 'HC' });
    expect(entry?.details).to.deep.include({ reason: 'region' });
  });

  it('refuses an auditor writing, and records the refusal', async () => {
    const refused = await call('POST', '/milestones', await bearer('auditor', 'BJ'), [
      { region: 'BJ', dept: 'HC' },
    ]);
    expect(refused.status).to.equal(403);
    expect((await store.auditLog.list({ action: 'write' }))[0]?.details).to.deep.include({ reason: 'role' });
  });

  it('audits an authenticated read of sensitive data with the caller and request id', async () => {
    const res = await call('GET', '/projects/2025-110105-47-03-000318', await bearer('authority', 'HE'));
    expect(res).to.deep.equal({
      status: 200,
      body: { project: '2025-110105-47-03-000318', by: 'authority.HE' },
    });
    const [entry] = await store.auditLog.list({ action: 'project.read' });
    expect(entry).to.deep.include({
      resource: 'project:2025-110105-47-03-000318',
      outcome: 'success',
      requestId: 'req-42',
      details: { records: 0 },
    });
    expect(entry?.actor).to.include({ subject: 'authority.HE', role: 'authority', region: 'HE' });
  });

  it('refuses a revoked token and records the failed verification', async () => {
    const token = await bearer('auditor', 'BJ');
    const { jti } = await tokens.verifySignedClaims(token);
    await tokens.revoke(jti, 'left');
    expect((await call('GET', '/projects/P1', token)).body).to.include({ code: 'AUTH_TOKEN_REVOKED' });
    expect((await store.auditLog.list({ action: 'token.verify' }))[0]).to.deep.include({
      outcome: 'denied',
      details: { code: 'AUTH_TOKEN_REVOKED' },
    });
  });
});
