/**
 * While nats-server is down (really killed, SIGKILL), the routes that need it answer at once with a 503
 * problem+json and `Retry-After`, instead of waiting for JetStream's 30 s timeout and answering 500; the
 * readiness probe says which dependency is missing; once the server is back, the same request is accepted.
 */
import { expect } from 'chai';
import { milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const QUICK_MS = 3000;

describe('NATS down: 503 problem+json with Retry-After, quickly', function () {
  this.timeout(120_000);
  let t: TestHub;
  let approver: string;
  let auditor: string;
  let deadLetterSeq: number;

  before(async () => {
    t = await startTestHub();
    approver = await t.token('approver', 'BJ', 'EE');
    auditor = await t.token('auditor', 'BJ');
    const first = await t.api('POST', '/api/v1/milestones', {
      token: approver,
      body: milestone({ n: 1 }),
    });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    await t.publishRaw('legacy.BJ.EE.milestone', '{"not": "an envelope"', 'outage-bad-1');
    const [letter] = await t.waitFor('the dead letter mirrored', async () => {
      const stored = await t.hub.store.deadLetters.list({ limit: 10 });
      return stored.length > 0 ? stored : undefined;
    });
    deadLetterSeq = letter!.streamSeq;
    await t.nats.kill();
    await t.waitFor('the hub to notice', () => !t.hub.bus.connected);
  });

  after(async () => {
    await t?.stop();
  });

  async function timed(
    method: string,
    path: string,
    options: { token?: string; body?: unknown },
  ): Promise<Awaited<ReturnType<TestHub['api']>> & { ms: number }> {
    const started = Date.now();
    const r = await t.api(method, path, options);
    return { ...r, ms: Date.now() - started };
  }

  it('POST /milestones: 503 bus-unavailable with Retry-After', async () => {
    const r = await timed('POST', '/api/v1/milestones', { token: approver, body: milestone({ n: 2 }) });
    expect(r.status, JSON.stringify(r.body)).to.equal(503);
    expect(r.ms).to.be.below(QUICK_MS);
    expect(r.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(r.headers.get('retry-after')).to.match(/^\d+$/);
    expect(r.body).to.include({ type: '/api/v1/problems/bus-unavailable', status: 503 });
    expect(r.body.detail).to.match(/NATS/);
  });

  it('GET /stats: 503 bus-unavailable with Retry-After', async () => {
    const r = await timed('GET', '/api/v1/stats', { token: auditor });
    expect(r.status, JSON.stringify(r.body)).to.equal(503);
    expect(r.ms).to.be.below(QUICK_MS);
    expect(r.headers.get('retry-after')).to.match(/^\d+$/);
    expect(r.body).to.include({ type: '/api/v1/problems/bus-unavailable', status: 503 });
  });

  it('POST /dlq/{seq}/replay: 503 bus-unavailable', async () => {
    const admin = await t.token('admin', 'BJ');
    const r = await timed('POST', `/api/v1/dlq/${deadLetterSeq}/replay`, { token: admin });
    expect(r.status, JSON.stringify(r.body)).to.equal(503);
    expect(r.ms).to.be.below(QUICK_MS);
    expect(r.body).to.include({ type: '/api/v1/problems/bus-unavailable', status: 503 });
  });

  it('GET /readyz: 503 naming NATS, quickly', async () => {
    const r = await timed('GET', '/api/v1/readyz', {});
    expect(r.status).to.equal(503);
    expect(r.ms).to.be.below(QUICK_MS);
    expect(r.body.checks.database).to.equal('ok');
    expect(r.body.checks.nats).to.match(/NATS/);
  });

  it('reads that do not need NATS still answer', async () => {
    const r = await timed('GET', '/api/v1/blocks?limit=1', { token: auditor });
    expect(r.status).to.equal(200);
  });

  it('accepts the same milestone once nats-server is back', async () => {
    await t.nats.restart();
    await t.waitFor('the hub to reconnect', () => t.hub.bus.connected, 30_000);
    const r = await t.waitFor(
      'the milestone to be accepted',
      async () => {
        const answer = await t.api('POST', '/api/v1/milestones', {
          token: approver,
          body: milestone({ n: 2 }),
        });
        return answer.status === 202 ? answer : undefined;
      },
      30_000,
    );
    expect(r.body.accepted).to.equal(1);
    const stats = await t.api('GET', '/api/v1/stats', { token: auditor });
    expect(stats.status).to.equal(200);
  });
});
