/**
 * The API contract (`@approval-ledger/protocol/api`) holds for the real hub: every route of the route table is
 * called on a hub with milestones, certificates, a revocation, a credit evaluation, recognitions, a dead letter,
 * a reconciliation pass and live events, and each answer parses with the response schema the route declares
 * for its status (problems with `ProblemSchema`), strictly: renaming any field of an answer, at any depth,
 * fails the schema. The OpenAPI document describes every route, each success answer with its schema.
 *
 * The hub validates nothing it sends (the read paths stay fast); this test is where its answers are held to
 * the contract the explorer is typed by.
 */
import {
  EIP712_DOMAIN,
  RECOGNITION_DECISION_TYPES,
  recognitionDecisionMessage,
  type RecognitionDecision,
  type RecognitionRequest,
} from '@approval-ledger/protocol';
import { LedgerEventSchema, ProblemSchema } from '@approval-ledger/protocol/api';
import { type AnvilNode, startAnvil } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { Wallet } from 'ethers';
import { type z } from 'zod';
import { type RouteSpec } from '../src/http/route';
import { officialKey } from '../src/services/registry-seeder';
import { certificate, creditEvent, envelopeOf, milestone, revocation } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

interface Answer {
  readonly route: string;
  readonly status: number;
  readonly schema: z.ZodType;
  readonly body: unknown;
}

/**
 * JSON object members whose keys are data, not field names (renaming one is no contract break): audit details,
 * readiness checks, message headers, and a proof bundle's anchor and opening, which `ProofBundleSchema` keeps
 * as submitted for the offline verifier to check.
 */
const FREE_FORM_MAPS = new Set(['details', 'checks', 'headers', 'record.anchor', 'opening.record']);

describe('the API contract: every route answers what its schema says', function () {
  this.timeout(180_000);
  let t: TestHub;
  let routes: readonly RouteSpec[];
  const answers: Answer[] = [];
  const events: { type: string; data: unknown }[] = [];
  let stopEvents: (() => void) | undefined;

  const CERT = '110105202503100177';
  const REVOKED_CERT = '110105202503100178';
  const project = milestone({ region: 'BJ', dept: 'EE', n: 1, serial: 501 });
  const planning = milestone({ region: 'BJ', dept: 'PNR', n: 2, serial: 501, dataClass: 'sensitive' });

  function routeOf(method: string, path: string): RouteSpec {
    const bare = path.replace(/^\/api\/v1/, '').split('?')[0]!;
    const spec = routes.find(
      (r) =>
        r.method === method.toLowerCase() &&
        new RegExp(`^${r.path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`).test(bare),
    );
    if (!spec) throw new Error(`no route for ${method} ${bare}`);
    return spec;
  }

  /** Calls the hub and checks the answer against the schema its route declares for that status. */
  async function call(
    method: string,
    path: string,
    expected: number,
    options: { token?: string; body?: unknown } = {},
  ): Promise<any> {
    const spec = routeOf(method, path);
    const answer = await t.api(method, path, options);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body).slice(0, 500)}`).to.equal(
      expected,
    );
    const schema = answer.status >= 400 ? ProblemSchema : spec.responses[answer.status]?.schema;
    if (!schema) throw new Error(`${method} ${spec.path} declares no schema for ${answer.status}`);
    const parsed = schema.safeParse(answer.body);
    expect(parsed.success, `${method} ${path}: ${parsed.error?.message ?? ''}`).to.equal(true);
    answers.push({ route: `${spec.method} ${spec.path}`, status: answer.status, schema, body: answer.body });
    return answer.body;
  }

  async function signedDecision(request: RecognitionRequest): Promise<RecognitionDecision> {
    const official = officialKey(t.dataDir, request.targetRegion);
    const decidedAt = new Date(Date.now() - 1000).toISOString();
    const signature = await new Wallet(official.privateKey).signTypedData(
      EIP712_DOMAIN,
      RECOGNITION_DECISION_TYPES,
      recognitionDecisionMessage(request, { outcome: 'REJECTED', decidedAt }),
    );
    return {
      recognitionId: request.id,
      outcome: 'REJECTED',
      decidedAt,
      reason: '证照信息不一致',
      signer: official.address,
      signature,
    };
  }

  /** Reads `GET /events` in the background, keeping every event. */
  async function listen(token: string): Promise<() => void> {
    const abort = new AbortController();
    const response = await fetch(`${t.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    expect(response.status).to.equal(200);
    answers.push({ route: 'get /events', status: 200, schema: LedgerEventSchema, body: undefined });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type && data) events.push({ type, data: JSON.parse(data) as unknown });
          }
        }
      } catch {
        // aborted
      }
    })();
    return () => abort.abort();
  }

  let anvil: AnvilNode | undefined;

  before(async () => {
    anvil = await startAnvil();
    t = await startTestHub({
      runtime: { reconciliation: { enabled: true, pageDelayMs: 0, passDelayMs: 100 } },
      env: { LEDGER_ANCHOR_RPC: anvil.url, LEDGER_ANCHOR_SECONDS: '3600' },
    });
    routes = t.hub.server.routes;
    stopEvents = await listen(await t.token('auditor'));
    await t.publish(envelopeOf(certificate(CERT, { serial: 501 }), 'certificate'));
    await t.publish(envelopeOf(certificate(REVOKED_CERT, { serial: 501 }), 'certificate'));
    await t.publish(envelopeOf(creditEvent(1), 'credit'));
    await t.publish(envelopeOf(planning, 'milestone'));
    await t.waitFor('four receipts', () => t.receipts.length >= 4 && t.receipts.length);
  });

  after(async () => {
    stopEvents?.();
    await t?.stop();
    await anvil?.stop();
  });

  it('ingest: milestones accepted, their receipts', async () => {
    const approver = await t.token('approver', 'BJ', 'EE');
    const accepted = await call('POST', '/api/v1/milestones', 202, { token: approver, body: [project] });
    const recordId = accepted.receipts[0].recordId as string;
    const published = await t.waitFor('the receipt', () => t.receipts.find((r) => r.recordId === recordId));
    const stored = await call('GET', `/api/v1/receipts/${encodeURIComponent(recordId)}`, 200, {
      token: approver,
    });
    // the store's copy of an ANCHORED receipt is its record's anchoring: it reads back as published
    expect(published.status).to.equal('ANCHORED');
    expect(stored.receipts).to.deep.equal([published]);
    await call('GET', '/api/v1/receipts/nobody%3Anothing%3A1', 404, { token: approver });
  });

  it('recognition: requested, decided (signed), on the board; a certificate revoked', async () => {
    const authority = await t.token('authority', 'TJ');
    const request: RecognitionRequest = {
      id: 'REC-CONTRACT-1',
      subjectType: 'certificate',
      subjectId: CERT,
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    };
    await call('POST', '/api/v1/recognitions', 201, { token: authority, body: request });
    const decision = await signedDecision(request);
    await call('POST', `/api/v1/recognitions/${request.id}/decision`, 200, {
      token: authority,
      body: decision,
    });
    const milestoneRequest: RecognitionRequest = {
      id: 'REC-CONTRACT-2',
      subjectType: 'milestone',
      subjectId: planning.id,
      sourceRegion: 'BJ',
      targetRegion: 'HE',
    };
    await call('POST', '/api/v1/recognitions', 201, {
      token: await t.token('authority', 'HE'),
      body: milestoneRequest,
    });
    await t.publish(
      envelopeOf(
        revocation(REVOKED_CERT, new Date(Date.now() - 1000).toISOString()),
        'certificate-revocation',
      ),
    );
    await t.waitFor('the revocation receipt', () =>
      t.receipts.find((r) => r.recordId === `test-bj-hc:REV${REVOKED_CERT}:1`),
    );
    const board = await call('GET', '/api/v1/recognitions', 200, { token: await t.token('auditor') });
    expect(board.recognitions).to.have.length(2);
  });

  it('projects, certificates, verification and proofs', async () => {
    const auditor = await t.token('auditor');
    const provenance = await call('GET', `/api/v1/projects/${project.projectCode}`, 200, { token: auditor });
    expect(provenance.milestones).to.have.length(2);
    expect(provenance.certificates).to.have.length(2);
    await call('GET', '/api/v1/projects/2025-110105-47-03-999999', 404, { token: auditor });
    await call('GET', `/api/v1/projects?q=${project.projectCode.slice(0, 12)}`, 200, { token: auditor });
    await call('GET', `/api/v1/certificates/${CERT}`, 200, { token: auditor });
    await call('GET', `/api/v1/certificates/${REVOKED_CERT}?at=2025-03-01T00:00:00%2B08:00`, 200, {
      token: auditor,
    });
    const sha256 = project.documents[0]!.sha256;
    const verified = await call('POST', '/api/v1/verify', 200, { body: { sha256, bundle: true } });
    expect(verified.status).to.equal('valid');
    // whether a checkpoint covers the record's block (a v2 bundle can be had) is what the log says
    const [match] = verified.matches as {
      anchored: { blockNumber: number };
      proof: { checkpointed: boolean };
    }[];
    expect(match!.proof.checkpointed).to.equal(
      match!.anchored.blockNumber < (t.hub.tlog!.latest()?.size ?? 0),
    );
    await call('POST', '/api/v1/verify', 200, { body: { sha256: '0'.repeat(64) } });
    await call('POST', '/api/v1/verify', 400, { body: { sha256: 'nope' } });
    await call('GET', `/api/v1/proofs/milestone/${project.id}?opening=true`, 200, { token: auditor });
    await call('GET', `/api/v1/proofs/certificate/${REVOKED_CERT}`, 200);
  });

  it('the chain: pages, every block, every transaction (each chaincode event)', async () => {
    const auditor = await t.token('auditor');
    const page = await call('GET', '/api/v1/blocks?limit=100', 200, { token: auditor });
    const names = new Set<string>();
    for (const summary of page.blocks as { number: number }[]) {
      const block = await call('GET', `/api/v1/blocks/${summary.number}`, 200, { token: auditor });
      for (const tx of block.transactions as { txId: string; event: { name: string } | null }[]) {
        if (tx.event) names.add(tx.event.name);
        await call('GET', `/api/v1/transactions/${tx.txId}`, 200, { token: auditor });
      }
    }
    expect([...names]).to.include.members([
      'MilestonesRecorded',
      'CertificateIssued',
      'CertificateRevoked',
      'CreditRecorded',
      'IssuerGranted',
      'SignerChanged',
      'RecognitionRequested',
      'RecognitionDecided',
    ]);
  });

  it('operations: stats, dead letters and their replay, reconciliation, audit log, tokens', async () => {
    const auditor = await t.token('auditor');
    const admin = await t.token('admin', 'BJ');
    await call('GET', '/api/v1/stats', 200, { token: await t.token('approver', 'BJ', 'EE') });
    await t.publishRaw('legacy.BJ.EE.milestone', '{"not": "an envelope"}', 'contract-garbage-1');
    const letters = await t.waitFor('the dead letter mirrored', async () => {
      const list = await t.api('GET', '/api/v1/dlq', { token: auditor });
      return list.body.deadLetters?.length > 0 && list.body.deadLetters;
    });
    await call('GET', '/api/v1/dlq?limit=10', 200, { token: auditor });
    await call('GET', `/api/v1/dlq/${letters[0].seq}`, 200, { token: auditor });
    await call('POST', `/api/v1/dlq/${letters[0].seq}/replay`, 202, { token: admin });
    await t.waitFor('a reconciliation pass', async () => {
      const report = await t.api('GET', '/api/v1/reconciliation', { token: auditor });
      return report.body.chain !== null;
    });
    await call('GET', '/api/v1/reconciliation', 200, { token: auditor });
    await call('GET', '/api/v1/audit-log?limit=1000', 200, { token: auditor });
    const victim = await t.hub.issueToken({ subject: 'contract-victim', region: 'BJ', role: 'auditor' });
    const { jti } = JSON.parse(Buffer.from(victim.split('.')[1]!, 'base64url').toString('utf8')) as {
      jti: string;
    };
    await call('POST', `/api/v1/tokens/${jti}/revoke`, 200, {
      token: admin,
      body: { reason: 'contract test' },
    });
  });

  it('checkpoints: the latest cosigned note, inclusion and consistency proofs, the log status', async () => {
    const tlog = t.hub.tlog!;
    await tlog.waitForSize(await t.hub.ledger.height());
    const published = (await tlog.publish())!;
    const latest = await call('GET', '/api/v1/checkpoints/latest', 200);
    expect(latest).to.equal(published.cosigned);
    await call('GET', `/api/v1/checkpoints/inclusion?block=${published.size - 1}`, 200);
    await call('GET', `/api/v1/checkpoints/inclusion?block=0&size=${published.size}`, 200);
    await call('GET', `/api/v1/checkpoints/inclusion?block=${published.size}`, 404);
    await call('GET', '/api/v1/checkpoints/consistency?from=1', 200);
    await call('GET', '/api/v1/checkpoints/status', 200);
    // once a checkpoint covers a record, /verify says so and its v2 bundle is served
    const verified = await call('POST', '/api/v1/verify', 200, {
      body: { sha256: project.documents[0]!.sha256 },
    });
    const [match] = verified.matches as { proof: { href: string; checkpointed: boolean } }[];
    expect(match!.proof.checkpointed).to.equal(true);
    // (fetched outside `call`: a v2 bundle's `evidence` is a v1 bundle kept as a free-form map)
    expect((await t.api('GET', `${match!.proof.href}&version=2`)).status).to.equal(200);
    // the status line of the checkpoint: a non-membership proof (nothing of that id is revoked)
    await call('GET', `/api/v1/status/certificate/no-such-certificate?checkpoint=${published.size}`, 200);
    await call('GET', '/api/v1/status/permit/x', 400);
  });

  it('anchors: the checkpoint anchored on the EVM chain, newest first', async () => {
    const anchors = t.hub.anchors!;
    await call('GET', '/api/v1/anchors/latest', 404);
    const published = (await t.hub.tlog!.publish())!;
    const record = (await anchors.anchorNow())!;
    expect(record.anchor.checkpoint.size).to.equal(published.size);
    expect(await call('GET', '/api/v1/anchors/latest', 200)).to.deep.equal(record);
    const page = await call('GET', '/api/v1/anchors?limit=5', 200);
    expect(page.anchors[0]).to.deep.equal(record);
    expect(page.chainId).to.equal(31337);
    await call('GET', '/api/v1/anchors?limit=0', 400);
  });

  it('system: health, readiness, metrics, problem types, the OpenAPI document', async () => {
    await call('GET', '/api/v1/healthz', 200);
    await call('GET', '/api/v1/readyz', 200);
    await call('GET', '/api/v1/metrics', 200, { token: await t.token('auditor') });
    await call('GET', '/api/v1/problems/validation-failed', 200);
    await call('GET', '/api/v1/problems/nothing-like-it', 404);
    await call('GET', '/api/v1/openapi.json', 200);
  });

  it('live events: blocks, receipts and recognition notices', async () => {
    await t.waitFor('events of every type', () =>
      ['block', 'receipt', 'recognition'].every((type) => events.some((e) => e.type === type)),
    );
    for (const event of events) {
      const parsed = LedgerEventSchema.safeParse(event);
      expect(parsed.success, `${event.type}: ${parsed.error?.message ?? ''}`).to.equal(true);
    }
  });

  it('called every route and saw each succeed', () => {
    const seen = new Set(answers.filter((a) => a.status < 400).map((a) => a.route));
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !seen.has(key));
    expect(missing).to.deep.equal([]);
  });

  it('is strict: a renamed field, at any depth, fails the schema', () => {
    let checked = 0;
    for (const answer of answers) {
      if (answer.body === undefined || answer.route === 'get /openapi.json') continue;
      for (const path of objectPaths(answer.body, '', 25)) {
        const renamed = renameFirstKey(answer.body, path);
        expect(
          answer.schema.safeParse(renamed).success,
          `${answer.route}: renamed a field at '${path}'`,
        ).to.equal(false);
        checked++;
      }
    }
    expect(checked).to.be.above(100);
  });

  it('is what the OpenAPI document describes: every route, each success answer with its schema', async () => {
    const document = (await t.api('GET', '/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(documented).to.have.members(
      routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    );
    for (const spec of routes) {
      const operation = document.paths[spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]![spec.method]!;
      const success = String(spec.successStatus ?? 200);
      const content = operation.responses[success]?.content ?? {};
      const schemas = Object.values(content).map((c) => (c as { schema?: unknown }).schema);
      expect(schemas, `${spec.method} ${spec.path}`).to.have.length(1);
      expect(schemas[0], `${spec.method} ${spec.path}`).to.be.an('object').and.not.deep.equal({});
    }
  });
});

/** Paths (`a.b.0.c`) of up to `limit` object nodes of a JSON value, spread over the whole tree. */
function objectPaths(value: unknown, path: string, limit: number): string[] {
  const all: string[] = [];
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, p === '' ? String(i) : `${p}.${i}`));
    else if (v !== null && typeof v === 'object') {
      if ([...FREE_FORM_MAPS].some((f) => p === f || p.endsWith(`.${f}`))) return;
      if (Object.keys(v).length > 0) all.push(p);
      for (const [k, child] of Object.entries(v)) walk(child, p === '' ? k : `${p}.${k}`);
    }
  };
  walk(value, path);
  if (all.length <= limit) return all;
  const step = all.length / limit;
  return Array.from({ length: limit }, (_, i) => all[Math.floor(i * step)]!);
}

/** A deep copy of `value` with the first key of the object at `path` renamed. */
function renameFirstKey(value: unknown, path: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const node = (path === '' ? [] : path.split('.')).reduce<any>((n, k) => n[k], copy) as Record<
    string,
    unknown
  >;
  const [first] = Object.keys(node);
  node[`${first}Renamed`] = node[first!];
  delete node[first!];
  return copy;
}
