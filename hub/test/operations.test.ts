/**
 * Operating the hub: tamper detection (an off-chain record edited behind the hub's back is reported by
 * /verify, the project view and the reconciliation job and its metric), dead letters replayed through ingest
 * (API and CLI) with the replay in the audit log, the live event stream, the /verify rate limit, and the
 * explorer's files with client-side routes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import pino from 'pino';
import { sqliteStorePath } from '../src/store';
import { ReconciliationJob } from '../src/verification/reconciliation-job';
import { runCli } from './support/cli';
import { envelopeOf, milestone, projectCode } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

describe('operations: tampering, dead letters, live events, rate limits, the explorer', function () {
  this.timeout(180_000);
  let t: TestHub;
  let explorerDir: string;

  before(async () => {
    explorerDir = mkdtempSync(join(tmpdir(), 'explorer-'));
    mkdirSync(join(explorerDir, 'assets'));
    writeFileSync(
      join(explorerDir, 'index.html'),
      '<!doctype html><title>explorer</title><app-root></app-root>',
    );
    writeFileSync(join(explorerDir, 'assets', 'main.js'), 'console.log("explorer")');
    t = await startTestHub({
      runtime: {
        server: { requestLog: false, explorerDir, verifyRateLimit: { windowMs: 60_000, limit: 50 } },
      },
    });
  });

  after(async () => {
    await t?.stop();
  });

  it('reports an off-chain record edited behind the hub’s back as tampered, everywhere', async () => {
    const record = milestone({ n: 501, serial: 501, document: 'tamper me' });
    await t.publish(envelopeOf(record, 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.recordId === 'test-bj-ee:R501:1'));
    const clean = await t.api('POST', '/api/v1/verify', { body: { sha256: record.documents[0]!.sha256 } });
    expect(clean.body).to.include({ status: 'valid' });

    const db = new Database(sqliteStorePath(t.dataDir));
    db.prepare(
      'UPDATE records SET record_json = replace(record_json, \'"APPROVED"\', \'"REJECTED"\') WHERE id = ?',
    ).run('test-bj-ee:R501:1');
    db.close();

    const verified = await t.api('POST', '/api/v1/verify', { body: { sha256: record.documents[0]!.sha256 } });
    expect(verified.body).to.include({ status: 'tampered' });
    expect(verified.body.matches[0]).to.include({ tampered: true, offChain: 'mismatch' });
    const project = await t.api('GET', `/api/v1/projects/${projectCode('BJ', 501)}`, {
      token: await t.token('authority'),
    });
    expect(project.body.milestones[0]).to.include({ tampered: true });

    const job = new ReconciliationJob(t.hub.store, t.hub.indexer.index, t.hub.metrics, pinoSilent(), {
      pageDelayMs: 0,
      indexedBlock: () => t.hub.indexer.indexedBlock,
    });
    const pass = await job.runPass();
    expect(pass.drift['record-tampered']).to.equal(1);
    expect(pass.examples[0]).to.include({ recordId: 'test-bj-ee:R501:1', drift: 'record-tampered' });
    const metrics = await t.api('GET', '/api/v1/metrics', { token: await t.token('auditor') });
    expect(metrics.body).to.match(/ledger_reconciliation_drift_records\{drift="record-tampered"\} 1/);

    const cli = await runCli(['verify', record.documents[0]!.sha256, '--hub', t.url]);
    expect(cli.status, cli.stdout + cli.stderr).to.equal(2);
    expect(cli.stdout).to.match(/TAMPERED/);
  });

  it('replays a dead letter into ingest, over the API and with the CLI, and audits each replay', async () => {
    const record = milestone({ n: 502, serial: 502, dept: 'SAMR', stage: 'EIA' });
    await t.publish(envelopeOf(record, 'milestone'));
    const refused = await t.waitFor('the refusal', () =>
      t.receipts.find((r) => r.recordId === 'test-bj-samr:R502:1'),
    );
    expect(refused.status).to.equal('REJECTED');
    expect(refused.reason).to.match(/^ISSUER_NOT_AUTHORISED/);
    const admin = await t.token('admin');
    const letters = await t.waitFor('the mirrored dead letter', async () => {
      const r = await t.api('GET', '/api/v1/dlq?code=ISSUER_NOT_AUTHORISED', { token: admin });
      return (r.body.deadLetters as unknown[]).length > 0
        ? (r.body.deadLetters as { seq: number; sourceKey: string }[])
        : undefined;
    });
    expect(letters[0]!.sourceKey).to.equal('test-bj-samr:R502:1');
    const shown = await t.api('GET', `/api/v1/dlq/${letters[0]!.seq}`, { token: admin });
    expect(JSON.parse(shown.body.payload.data as string)).to.deep.include({ kind: 'milestone' });

    const replayed = await t.api('POST', `/api/v1/dlq/${letters[0]!.seq}/replay`, { token: admin });
    expect(replayed.status).to.equal(202);
    expect(replayed.body.subject).to.equal('legacy.BJ.SAMR.milestone');
    await t.waitFor(
      'the replay to be refused again',
      () => t.deadLetters.filter((d) => d.data.includes('"R502"')).length >= 2,
    );

    const cli = await runCli(['dlq', 'replay', String(letters[0]!.seq)], {
      ...process.env,
      LEDGER_DATA_DIR: t.dataDir,
      NATS_URL: t.nats.url,
    });
    expect(cli.status, cli.stdout + cli.stderr).to.equal(0);
    const audit = await t.api('GET', '/api/v1/audit-log?action=dlq.replay', {
      token: await t.token('auditor'),
    });
    const entries = audit.body.entries as { resource: string; actor: { subject: string | null } }[];
    expect(entries.map((e) => e.resource)).to.deep.equal([
      `dlq:${letters[0]!.seq}`,
      `dlq:${letters[0]!.seq}`,
    ]);
    expect(entries[1]!.actor.subject).to.match(/^cli:/);
  });

  it('streams new blocks and receipts to an auditor', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${await t.token('auditor')}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    await t.publish(envelopeOf(milestone({ n: 503, serial: 503 }), 'milestone'));
    await t.waitFor(
      'a block and a receipt event',
      () => /event: block/.test(text) && /event: receipt[\s\S]*R503/.test(text),
    );
    controller.abort();
    await reading;
  });

  it('verifies an uploaded document (multipart), and refuses an oversized one', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 the uploaded permit');
    const record = milestone({ n: 504, serial: 504 });
    const withDocument = {
      ...record,
      documents: [{ name: 'permit.pdf', sha256: createHash('sha256').update(bytes).digest('hex') }],
    };
    await t.publish(envelopeOf(withDocument, 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.recordId === 'test-bj-ee:R504:1'));
    const form = new FormData();
    form.append('document', new Blob([bytes], { type: 'application/pdf' }), 'permit.pdf');
    const response = await fetch(`${t.url}/api/v1/verify`, { method: 'POST', body: form });
    const body = (await response.json()) as { status: string; matches: { id: string; matchedBy: string }[] };
    expect(response.status).to.equal(200);
    expect(body.status).to.equal('valid');
    expect(body.matches[0]).to.include({ id: record.id, matchedBy: 'document' });

    const big = new FormData();
    big.append('document', new Blob([new Uint8Array(21 * 1024 * 1024)]), 'big.pdf');
    const refused = await fetch(`${t.url}/api/v1/verify`, { method: 'POST', body: big });
    expect(refused.status).to.equal(413);
    expect(((await refused.json()) as { type: string }).type).to.equal('/api/v1/problems/payload-too-large');
  });

  it('rate-limits /verify with 429 problem+json and Retry-After', async () => {
    let last: Awaited<ReturnType<TestHub['api']>> | undefined;
    for (let i = 0; i < 70 && last?.status !== 429; i++) {
      last = await t.api('POST', '/api/v1/verify', { body: { sha256: 'b'.repeat(64) } });
    }
    expect(last!.status).to.equal(429);
    expect(last!.body.type).to.equal('/api/v1/problems/rate-limited');
    expect(last!.headers.get('retry-after')).to.equal('60');
  });

  it('serves the explorer at / with its client-side routes, and never for /api', async () => {
    const home = await fetch(`${t.url}/`);
    expect(await home.text()).to.match(/<app-root>/);
    const deep = await fetch(`${t.url}/projects/2025-110105-47-03-000318`, {
      headers: { accept: 'text/html' },
    });
    expect(await deep.text()).to.match(/<app-root>/);
    const asset = await fetch(`${t.url}/assets/main.js`);
    expect(await asset.text()).to.match(/explorer/);
    const api = await t.api('GET', '/api/v1/nothing-here');
    expect(api.status).to.equal(404);
    expect(api.body.type).to.equal('/api/v1/problems/route-not-found');
  });
});

function pinoSilent() {
  return pino({ level: 'silent' });
}
