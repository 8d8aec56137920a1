/**
 * Requests that broke the HTTP layer itself rather than a schema (issue 15, item 3): malformed %-escapes in
 * path parameters (Express 5 throws a URIError while matching the route), multipart bodies without a
 * boundary or cut short, and a header block larger than Node's limit (answered by Node's HTTP parser before
 * Express sees the request). Each must get a 4xx problem+json that says what was wrong, never a 500.
 */
import { request } from 'node:http';
import { expect } from 'chai';
import { startTestHub, type TestHub } from './support/test-hub';

const PROBLEM = /^application\/problem\+json/;

/** Every route with path parameters, with the parameter each case breaks. */
const PARAM_ROUTES: readonly [method: string, path: string, param: string][] = [
  ['GET', '/api/v1/receipts/%ff%fe', 'recordId'],
  ['POST', '/api/v1/tokens/%ff/revoke', 'jti'],
  ['GET', '/api/v1/projects/%E0%A4%A', 'projectCode'],
  ['GET', '/api/v1/certificates/abc%', 'number'],
  ['GET', '/api/v1/blocks/%c0', 'number'],
  ['GET', '/api/v1/transactions/%zz', 'txId'],
  ['GET', '/api/v1/dlq/%ff', 'seq'],
  ['POST', '/api/v1/dlq/%ff/replay', 'seq'],
  ['POST', '/api/v1/recognitions/%ed%a0%80/decision', 'id'],
  ['GET', '/api/v1/problems/%ff', 'slug'],
  ['GET', '/api/v1/proofs/milestones/%ff', 'id'],
  ['GET', '/api/v1/proofs/%ff/x', 'kind'],
];

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request through node:http (fetch would refuse some of these headers and bodies). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function problemOf(answer: RawAnswer): Record<string, unknown> {
  expect(answer.headers['content-type'], answer.text).to.match(PROBLEM);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

describe('HTTP refusals: broken escapes, multipart and headers get 4xx problem+json', function () {
  this.timeout(120_000);
  let t: TestHub;
  let admin: string;

  before(async () => {
    t = await startTestHub();
    admin = await t.token('admin', 'BJ');
  });

  after(async () => {
    await t?.stop();
  });

  describe('malformed %-escapes in path parameters', () => {
    for (const [method, path, param] of PARAM_ROUTES) {
      it(`${method} ${path}: 400 naming params.${param}`, async () => {
        const r = await t.api(method, path, { token: admin });
        expect(r.status, JSON.stringify(r.body)).to.equal(400);
        expect(r.headers.get('content-type')).to.match(PROBLEM);
        expect(r.body).to.include({ type: '/api/v1/problems/validation-failed', status: 400 });
        const [error] = r.body.errors as { path: string; rule: string; message: string }[];
        expect(error).to.include({ path: `params.${param}`, rule: 'percent-encoding' });
        expect(r.body.detail).to.include(`params is not valid: ${param}: `);
      });
    }

    it('still decodes a well-formed escape', async () => {
      const auditor = await t.token('auditor', 'BJ');
      const r = await t.api('GET', '/api/v1/receipts/bj-eia%3AEIA-1%3A1', { token: auditor });
      expect(r.status).to.equal(404);
      expect(r.body.detail).to.include('bj-eia:EIA-1:1');
    });
  });

  describe('multipart on POST /verify', () => {
    it('answers multipart without a boundary with 400', async () => {
      const r = await raw(`${t.url}/api/v1/verify`, 'POST', { 'content-type': 'multipart/form-data' }, 'x');
      expect(r.status, r.text).to.equal(400);
      expect(problemOf(r)).to.include({ type: '/api/v1/problems/malformed-multipart', status: 400 });
    });

    it('answers a truncated multipart form with 400', async () => {
      const body =
        '--XyZ\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.7 half of a docu';
      const r = await raw(
        `${t.url}/api/v1/verify`,
        'POST',
        { 'content-type': 'multipart/form-data; boundary=XyZ' },
        body,
      );
      expect(r.status, r.text).to.equal(400);
      const problem = problemOf(r);
      expect(problem).to.include({ type: '/api/v1/problems/malformed-multipart', status: 400 });
      expect(problem.detail).to.match(/end of (the )?form/i);
    });

    it('still verifies a complete multipart document', async () => {
      const body =
        '--XyZ\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.7 a whole document\r\n--XyZ--\r\n';
      const r = await raw(
        `${t.url}/api/v1/verify`,
        'POST',
        { 'content-type': 'multipart/form-data; boundary=XyZ' },
        body,
      );
      expect(r.status, r.text).to.equal(200);
    });
  });

  describe('headers Node refuses itself', () => {
    it('answers a 100 KB Authorization header with 431 problem+json', async () => {
      const r = await raw(`${t.url}/api/v1/stats`, 'GET', {
        authorization: `Bearer ${'a'.repeat(100 * 1024)}`,
      });
      expect(r.status).to.equal(431);
      expect(problemOf(r)).to.include({
        type: '/api/v1/problems/request-header-fields-too-large',
        status: 431,
      });
    });

    it('answers a request line that is not HTTP with 400 problem+json', async () => {
      const { connect } = await import('node:net');
      const { port } = new URL(t.url);
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /\x01 HTTP/1.1\r\n\r\n'));
        let received = '';
        socket.on('data', (d) => (received += d.toString()));
        socket.on('end', () => resolve(received));
        socket.on('error', reject);
      });
      expect(text).to.match(/^HTTP\/1\.1 400 /);
      expect(text).to.match(/content-type: application\/problem\+json/i);
      expect(text).to.include('/api/v1/problems/bad-request');
    });

    it('still serves requests after those', async () => {
      const r = await t.api('GET', '/api/v1/healthz');
      expect(r.status).to.equal(200);
    });
  });
});
