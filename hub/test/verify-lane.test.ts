/**
 * POST /verify has a lane ahead of the general Express chain (src/http/verify-lane.ts). Every kind of request
 * is sent down both paths here — plainly (the lane takes it) and with an `Origin` header (the lane passes it
 * on; the default CORS setting adds nothing for a foreign origin) — and the answers must be the same: status,
 * headers, body. The rate limit is one budget across both paths.
 */
import { expect } from 'chai';
import { milestone, envelopeOf } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const LIMIT = 80;
const BODY_LIMIT = 4096;

/** Headers that differ per request by design. */
const PER_REQUEST = new Set(['date', 'x-request-id', 'ratelimit', 'keep-alive', 'connection']);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

describe('POST /verify lane: answers as the general chain does', function () {
  this.timeout(120_000);
  let t: TestHub;
  let documentHash: string;

  before(async () => {
    t = await startTestHub({
      runtime: {
        server: {
          requestLog: false,
          bodyLimitBytes: BODY_LIMIT,
          verifyRateLimit: { windowMs: 60_000, limit: LIMIT },
        },
      },
    });
    const record = milestone({ region: 'TJ', dept: 'HC', n: 7, serial: 77, document: 'the permit' });
    documentHash = record.documents[0]!.sha256;
    await t.publish(envelopeOf(record, 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.status === 'ANCHORED'));
  });

  after(async () => {
    await t?.stop();
  });

  async function send(
    body: string,
    headers: Record<string, string> = {},
    path = '/api/v1/verify',
  ): Promise<Answer> {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    const kept: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!PER_REQUEST.has(name)) kept[name] = value;
    });
    return { status: response.status, headers: kept, body: withoutClock(parsed) };
  }

  /** The same request through the lane and through the general chain; both answers, checked equal. */
  async function bothWays(body: string, headers: Record<string, string> = {}): Promise<Answer> {
    const before = t.hub.server.verifyLaneServed();
    const lane = await send(body, headers);
    expect(t.hub.server.verifyLaneServed(), 'the lane took the plain request').to.equal(before + 1);
    const chain = await send(body, { ...headers, origin: 'https://elsewhere.example' });
    expect(t.hub.server.verifyLaneServed(), 'the lane passed on the request with Origin').to.equal(
      before + 1,
    );
    expect(lane).to.deep.equal(chain);
    return lane;
  }

  it('an anchored document hash: the same verdict, headers and proof link', async () => {
    const answer = await bothWays(JSON.stringify({ sha256: documentHash }));
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(answer.headers['content-security-policy']).to.include("connect-src 'self'");
    expect(answer.headers['x-content-type-options']).to.equal('nosniff');
    expect(answer.body).to.include({ anchored: true, status: 'valid' });
  });

  it('the embedded proof bundle is the same', async () => {
    const answer = await bothWays(JSON.stringify({ sha256: documentHash, bundle: true }));
    const matches = (answer.body as { matches: { bundle?: { format: string } }[] }).matches;
    expect(matches[0]?.bundle?.format).to.equal('approval-ledger/proof@1');
  });

  // a whole bundle is over this hub's small body limit; hub/test/corrections.test.ts checks one through the lane
  it('a proof bundle sent to be checked goes to the bundle schema: the same problem naming it', async () => {
    const bad = await bothWays(JSON.stringify({ proofBundle: { format: 'approval-ledger/proof@1' } }));
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body)).to.include('body.proofBundle');
  });

  it('an unknown hash: not anchored', async () => {
    const answer = await bothWays(JSON.stringify({ sha256: 'ab'.repeat(32) }));
    expect(answer.body).to.include({ anchored: false, status: 'not-anchored' });
  });

  it('a bad hash, an unknown field, an empty body: the same validation problems naming the field', async () => {
    const bad = await bothWays(JSON.stringify({ sha256: 'not-a-hash' }));
    expect(bad.status).to.equal(400);
    expect(bad.headers['content-type']).to.equal('application/problem+json; charset=utf-8');
    expect(JSON.stringify(bad.body)).to.include('sha256');
    const extra = await bothWays(JSON.stringify({ sha256: documentHash, extra: 1 }));
    expect(extra.status).to.equal(400);
    expect(JSON.stringify(extra.body)).to.include('extra');
    const empty = await bothWays('');
    expect(empty.status).to.equal(400);
    expect((empty.body as { type: string }).type).to.equal('/api/v1/problems/validation-failed');
  });

  it('malformed JSON and a bare JSON string: malformed-json, as express.json({strict}) answers', async () => {
    for (const body of ['{"sha256":', '"abc"', ' 42']) {
      const answer = await bothWays(body);
      expect(answer.status, body).to.equal(400);
      expect((answer.body as { type: string }).type, body).to.equal('/api/v1/problems/malformed-json');
    }
  });

  it('a body over the limit: payload-too-large with the limit', async () => {
    const answer = await bothWays(JSON.stringify({ sha256: documentHash, pad: 'x'.repeat(BODY_LIMIT) }));
    expect(answer.status).to.equal(413);
    expect(answer.body).to.include({ limit: BODY_LIMIT });
  });

  it('echoes a sane X-Request-Id and replaces an insane one', async () => {
    const given = await fetch(`${t.url}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'audit-42' },
      body: JSON.stringify({ sha256: documentHash }),
    });
    expect(given.headers.get('x-request-id')).to.equal('audit-42');
    const insane = await fetch(`${t.url}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'a b\tc' },
      body: JSON.stringify({ sha256: documentHash }),
    });
    expect(insane.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('passes on what it does not take as it is: a query, another content type, a token', async () => {
    const before = t.hub.server.verifyLaneServed();
    const withQuery = await send(JSON.stringify({ sha256: documentHash }), {}, '/api/v1/verify?bundle=true');
    expect(withQuery.status).to.equal(200);
    const text = await send(JSON.stringify({ sha256: documentHash }), { 'content-type': 'text/plain' });
    expect(text.status).to.equal(415);
    const token = await t.token('auditor');
    const withToken = await send(JSON.stringify({ sha256: documentHash }), {
      authorization: `Bearer ${token}`,
    });
    expect(withToken.status).to.equal(200);
    expect(t.hub.server.verifyLaneServed()).to.equal(before);
  });

  it('takes the requests that reach the app past the server front (another spelling of the path, a proxy) alike', async () => {
    const body = JSON.stringify({ sha256: documentHash });
    const front = await send(body);
    for (const [path, headers] of [
      ['/api/v1/verify/', {}],
      ['/API/v1/Verify', {}],
      ['/api/v1/verify', { 'x-forwarded-for': '203.0.113.9' }],
    ] as const) {
      const before = t.hub.server.verifyLaneServed();
      const answer = await send(body, headers, path);
      expect(t.hub.server.verifyLaneServed(), `the lane's route on the app took ${path}`).to.equal(
        before + 1,
      );
      expect(answer, path).to.deep.equal(front);
    }
  });

  it('counts its requests in the same duration histogram as the chain, under the route /verify', async () => {
    const count = async (status: string): Promise<number> => {
      const text = await t.hub.metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
      const line = new RegExp(
        `^http_request_duration_seconds_count\\{method="POST",route="/verify",status="${status}"\\} (\\d+)$`,
        'm',
      ).exec(text);
      return Number(line?.[1] ?? 0);
    };
    const [ok, bad] = [await count('200'), await count('400')];
    await bothWays(JSON.stringify({ sha256: documentHash }));
    await bothWays(JSON.stringify({ sha256: 'not-a-hash' }));
    expect(await count('200')).to.equal(ok + 2);
    expect(await count('400')).to.equal(bad + 2);
  });

  it('one rate-limit budget across both paths: 429 with Retry-After from either, alike', async () => {
    let lane: Answer | undefined;
    for (let i = 0; i <= LIMIT && lane?.status !== 429; i++)
      lane = await send(JSON.stringify({ sha256: documentHash }));
    expect(lane?.status, 'the lane refused once the budget was spent').to.equal(429);
    const chain = await send(JSON.stringify({ sha256: documentHash }), {
      origin: 'https://elsewhere.example',
    });
    expect(chain).to.deep.equal(lane);
    expect(chain.headers['retry-after']).to.equal('60');
    expect((chain.body as { type: string }).type).to.equal('/api/v1/problems/rate-limited');
  });
});

/** `checkedAt` (the verdict) and `createdAt` (a bundle) are the moment of answering, different each time. */
function withoutClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClock);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'checkedAt' && key !== 'createdAt')
      .map(([key, inner]) => [key, withoutClock(inner)]),
  );
}
