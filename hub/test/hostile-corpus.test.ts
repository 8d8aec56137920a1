/**
 * Replays the hostile-input corpus (test/fixtures/hostile/, see its README) against a running hub: every
 * answer comes within 10 s, none is a 5xx, every refusal is problem+json with a type, title and status,
 * nothing of it is stored, and the hub still serves afterwards. Requests go through node:http (paths byte for
 * byte, no client-side normalisation) or, for broken framing, straight to a socket.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type Role } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { startTestHub, type TestHub } from './support/test-hub';

const CORPUS = join(__dirname, 'fixtures', 'hostile');
const ANSWER_WITHIN_MS = 10_000;

type Value =
  string | { repeat: string; times: number; prefix?: string; suffix?: string } | { base64: string };

interface HttpEntry {
  readonly method: string;
  readonly path: Value;
  readonly as?: Role;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, Value>>;
  readonly body?: Value;
  readonly note?: string;
  /** The precise refusal this entry must get: status and, for validation, the failing field and rule. */
  readonly expect?: { readonly status: number; readonly path?: string; readonly rule?: string };
}

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

function entries<T>(file: string): T[] {
  return readFileSync(join(CORPUS, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

function expand(value: Value): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if ('base64' in value) return Buffer.from(value.base64, 'base64');
  return Buffer.from(`${value.prefix ?? ''}${value.repeat.repeat(value.times)}${value.suffix ?? ''}`, 'utf8');
}

function label(entry: HttpEntry): string {
  const path = expand(entry.path).toString('latin1');
  return `${entry.method} ${path.length > 100 ? `${path.slice(0, 100)}…(${path.length})` : path}${entry.note ? ` [${entry.note}]` : ''}`;
}

/** Sends one request; header values go as latin1 bytes, as a hostile client would send them. */
function send(base: string, entry: HttpEntry, token: string | undefined): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.headers ?? {}))
    headers[name] = expand(value).toString('latin1');
  if (entry.contentType !== undefined) headers['content-type'] = entry.contentType;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const body = entry.body === undefined ? undefined : expand(entry.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port: Number(port),
        method: entry.method,
        path: expand(entry.path).toString('latin1'),
        headers,
        insecureHTTPParser: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes a raw request to a socket; resolves with what came back when the server closes or goes quiet. */
function sendRaw(base: string, raw: string): Promise<Answer & { raw: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(raw, 'latin1')));
    let received = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
      resolve({ status, contentType, text: rest.join('\r\n\r\n'), raw: received });
    };
    // a complete answer with a length ends here; a server that keeps the connection open is not a hang
    let quiet: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      if (received === '') {
        socket.destroy();
        reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`));
      } else finish();
    }, ANSWER_WITHIN_MS);
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      clearTimeout(quiet);
      quiet = setTimeout(finish, 300);
    });
    socket.on('end', finish);
    socket.on('error', (error) => (received === '' ? reject(error) : finish()));
  });
}

/** An entry's `expect`: its status, and an error at `path` breaking `rule` in the problem's `errors`. */
function expectRefusal(what: string, answer: Answer, wanted: NonNullable<HttpEntry['expect']>): void {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).to.equal(wanted.status);
  if (wanted.path === undefined) return;
  const problem = JSON.parse(answer.text) as { errors?: { path: string; rule: string }[] };
  expect(problem.errors, `${what}: ${answer.text.slice(0, 300)}`).to.deep.include({
    ...(problem.errors ?? []).find((e) => e.path === wanted.path),
    path: wanted.path,
    rule: wanted.rule,
  });
}

function expectNoFailure(what: string, answer: Answer): void {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).to.be.within(100, 499);
  if (answer.status < 400) return;
  expect(
    answer.contentType,
    `${what}: a refusal without problem+json: ${answer.text.slice(0, 200)}`,
  ).to.match(/^application\/problem\+json/);
  if (answer.text === '') return; // HEAD-like answers carry no body
  const problem = JSON.parse(answer.text) as Record<string, unknown>;
  expect(problem, what).to.include.keys('type', 'title', 'status');
  expect(problem.status, what).to.equal(answer.status);
}

describe('hostile-input corpus against a running hub: no 5xx, no hang, every refusal problem+json', function () {
  this.timeout(600_000);
  let t: TestHub;
  const tokens = new Map<Role, string>();

  before(async () => {
    t = await startTestHub();
    tokens.set('approver', await t.token('approver', 'BJ', 'EE'));
    for (const role of ['authority', 'admin', 'auditor'] as const)
      tokens.set(role, await t.token(role, 'BJ'));
  });

  after(async () => {
    await t?.stop();
  });

  for (const file of ['paths.jsonl', 'bodies.jsonl', 'headers.jsonl']) {
    it(`${file}: every request answered, none with a 5xx, every refusal problem+json`, async () => {
      const failures: string[] = [];
      for (const entry of entries<HttpEntry>(file)) {
        const token = entry.as === undefined ? undefined : tokens.get(entry.as);
        try {
          const answer = await send(t.url, entry, token);
          if (process.env.HOSTILE_LOG) console.log(answer.status, label(entry).slice(0, 120));
          expectNoFailure(label(entry), answer);
          if (entry.expect) expectRefusal(label(entry), answer, entry.expect);
        } catch (error) {
          failures.push(`${label(entry)}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('tokens.jsonl: every forged, tampered, expired or malformed token is refused 401 problem+json', async () => {
    const failures: string[] = [];
    for (const entry of entries<{ token?: Value; recipe?: string }>('tokens.jsonl')) {
      const token = entry.recipe ? await forge(entry.recipe) : expand(entry.token ?? '').toString('latin1');
      const what = entry.recipe ?? token.slice(0, 40);
      try {
        const answer = await send(t.url, { method: 'GET', path: '/api/v1/stats' }, token);
        expectNoFailure(what, answer);
        expect(answer.status, what).to.equal(401);
      } catch (error) {
        failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('raw.jsonl: broken framing gets a 4xx problem+json from the server itself, or a plain answer', async () => {
    const failures: string[] = [];
    for (const entry of entries<{ request: string; note?: string }>('raw.jsonl')) {
      const what = entry.note ?? entry.request.slice(0, 60);
      try {
        const answer = await sendRaw(t.url, entry.request);
        expect(answer.raw, `${what}: the server closed the connection without an answer`).to.match(
          /^HTTP\/1\.1 /,
        );
        expectNoFailure(what, answer);
      } catch (error) {
        failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('stored nothing but the one well-formed milestone of the corpus (sent in several wrappings), and still serves', async () => {
    const counts = await t.hub.store.records.countByStatus();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.be.at.most(1);
    expect(t.receipts.map((r) => r.recordId).filter((id) => id !== 'hostile:H1:1')).to.deep.equal([]);
    expect((await t.api('GET', '/api/v1/healthz')).status).to.equal(200);
    expect((await t.api('GET', '/api/v1/readyz')).status).to.equal(200);
    const polluted = ({} as Record<string, unknown>).polluted;
    expect(polluted, 'Object.prototype polluted').to.equal(undefined);
  });

  /** A token made from a valid one by the named trick. */
  async function forge(recipe: string): Promise<string> {
    const valid = tokens.get('auditor') as string;
    const [header = '', payload = '', signature = ''] = valid.split('.');
    const json = (part: string): Record<string, unknown> =>
      JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = json(payload);
    switch (recipe) {
      case 'alg-none':
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, role: 'admin' })}.`;
      case 'alg-hs256':
        return `${encode({ ...json(header), alg: 'HS256' })}.${payload}.${signature}`;
      case 'tamper-payload':
        return `${header}.${encode({ ...claims, role: 'admin', region: 'TJ' })}.${signature}`;
      case 'strip-signature':
        return `${header}.${payload}.`;
      case 'other-key': {
        const { privateKey } = generateKeyPairSync('ed25519');
        const input = `${header}.${encode({ ...claims, role: 'admin' })}`;
        return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
      }
      case 'kid-traversal':
        return `${encode({ ...json(header), kid: '../../keys/token-signing.pem' })}.${payload}.${signature}`;
      case 'exp-huge':
        return `${header}.${encode({ ...claims, exp: 1e20 })}.${signature}`;
      case 'expired': {
        const token = await t.hub.issueToken({
          subject: 'hostile-expired',
          region: 'BJ',
          role: 'auditor',
          ttlSeconds: 1,
        });
        await new Promise((resolve) => setTimeout(resolve, 2100));
        return token;
      }
      case 'revoked': {
        const token = await t.hub.issueToken({ subject: 'hostile-revoked', region: 'BJ', role: 'auditor' });
        const jti = json(token.split('.')[1] ?? '').jti as string;
        const revoked = await t.api('POST', `/api/v1/tokens/${jti}/revoke`, {
          token: tokens.get('admin'),
          body: { reason: 'hostile corpus' },
        });
        expect(revoked.status, JSON.stringify(revoked.body)).to.be.below(300);
        return token;
      }
      case 'payload-array':
        return `${header}.${encode([claims])}.${signature}`;
      case 'signature-not-base64url':
        return `${header}.${payload}.${signature.slice(0, -2)}!*`;
      case 'extra-part':
        return `${valid}.${signature}`;
      default:
        throw new Error(`unknown recipe ${recipe}`);
    }
  }
});
