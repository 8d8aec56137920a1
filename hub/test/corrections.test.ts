/**
 * Versioned corrections (更正) end to end: a clerk's UPDATE of an anchored T_SGXK row in a real MariaDB, read by
 * the hc-mysql adapter into a real nats-server, becomes version 2 of the same milestone and certificate on the
 * embedded ledger and in the hub's store (on MariaDB), shown with its history by the API; a correction that
 * does not name the current version stays a conflict; a re-delivery changes nothing.
 */
import { type Certificate, type Receipt, verifyProofBundle } from '@approval-ledger/protocol';
import { useMariaDb } from '@approval-ledger/testkit';
import { parseConfig } from '@approval-ledger/adapters/dist/core/adapter-config';
import { type RunningAdapter } from '@approval-ledger/adapters/dist/core/running-adapter';
import { HcMysqlConfigSchema } from '@approval-ledger/adapters/dist/hc-mysql/config';
import { startHcMysqlAdapter } from '@approval-ledger/adapters/dist/hc-mysql/main';
import { connectLegacy, loadLegacySchema } from '@approval-ledger/adapters/dist/hc-mysql/simulator';
import { expect } from 'chai';
import { type Connection, type RowDataPacket } from 'mysql2/promise';
import pino from 'pino';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runExportProof } from '../src/cli/commands/export-proof';
import { runVerify } from '../src/cli/commands/verify';
import { envelopeOf } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const SYSTEM = 'bj-hc-corr';
const NUMBER = '110105202604010001';
const PROJECT = '2025-110105-47-03-000318';

describe('versioned corrections: an hc-mysql UPDATE becomes version 2 on the ledger and in the store', function () {
  this.timeout(180_000);
  const mariadb = useMariaDb();
  let t: TestHub;
  let legacy: Connection;
  let adapter: RunningAdapter;
  let auditor: string;

  const receiptsOf = (part: string, status: Receipt['status']): Receipt[] =>
    t.receipts.filter((r) => r.recordId.startsWith(`${SYSTEM}:1.${part}:`) && r.status === status);

  before(async () => {
    const store = await mariadb().createDatabase('hub_corrections');
    t = await startTestHub({
      env: { DATABASE_URL: store },
      runtime: { reconciliation: { enabled: true, pageDelayMs: 0, passDelayMs: 200 } },
    });
    auditor = await t.token('auditor');
    await mariadb().createDatabase('sgxk_corrections', { charset: 'gbk' });
    legacy = await connectLegacy(mariadb(), 'sgxk_corrections');
    await loadLegacySchema(legacy);
    await legacy.query('TRUNCATE TABLE T_SGXK');
    await legacy.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, BLJG, FZRQ, ZT)
       VALUES (?, '朝阳区望京科技园三期研发楼', ?, '北京望京科创置业有限公司', '91110105MA01WJ3K7N',
               '地上12层 建筑面积48000平方米', 21850.00, '01', '2026-04-01 09:30:00', '1')`,
      [PROJECT, NUMBER],
    );
    const config = parseConfig(HcMysqlConfigSchema, {
      region: 'BJ',
      sourceSystem: SYSTEM,
      health: { port: 0 },
      nats: { url: t.nats.url, publishTimeoutMs: 1_500 },
      retry: { initialMs: 50, maxMs: 400 },
      mysql: {
        host: mariadb().host,
        port: mariadb().port,
        user: 'root',
        database: 'sgxk_corrections',
        connectTimeoutMs: 1_000,
      },
      pollIntervalMs: 100,
      checkpointKey: 'hc-mysql.corrections',
    });
    adapter = await startHcMysqlAdapter(config, {
      env: { HC_MYSQL_PASSWORD: '' },
      log: pino({ level: 'silent' }),
    });
    await t.waitFor('version 1 anchored', () => receiptsOf('certificate', 'ANCHORED').length === 1);
    await t.waitFor(
      'version 1 of the milestone anchored',
      () => receiptsOf('milestone', 'ANCHORED').length === 1,
    );
    // the adapter writes the receipt back; then, a second later, a clerk corrects the contract amount
    await t.waitFor('CHAIN_TXID written back', async () => {
      const [rows] = await legacy.query<RowDataPacket[]>('SELECT CHAIN_TXID FROM T_SGXK WHERE ID = 1');
      return rows[0]?.CHAIN_TXID !== null;
    });
    await new Promise((r) => setTimeout(r, 1100));
    await legacy.query('UPDATE T_SGXK SET HTJE = HTJE + 1 WHERE ID = 1');
    await t.waitFor('version 2 anchored', () => receiptsOf('certificate', 'ANCHORED').length === 2, 30_000);
    await t.waitFor(
      'version 2 of the milestone anchored',
      () => receiptsOf('milestone', 'ANCHORED').length === 2,
    );
  });

  after(async () => {
    await adapter?.stop();
    await legacy?.end().catch(() => undefined);
    await t?.stop();
  });

  it('holds version 2 on the ledger, correcting version 1, and no dead letter', async () => {
    const res = await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor });
    expect(res.status).to.equal(200);
    const [v1, v2] = res.body.versions as Record<string, unknown>[];
    expect(res.body).to.include({ version: 2, current: true, offChain: 'match' });
    expect(res.body.certificate).to.include({
      version: 2,
      corrects: v1?.commitment,
      commitment: v2?.commitment,
    });
    expect(v1).to.include({ version: 1, current: false, status: 'anchored' });
    expect(v2).to.include({ version: 2, current: true, status: 'anchored', corrects: v1?.commitment });
    expect(v2?.correctionReason).to.match(/^更正：T_SGXK 第 1 行于 .+ 更新$/);
    expect(t.deadLetters).to.deep.equal([]);
  });

  it('keeps both versions in the store, each opening its own commitment', async () => {
    const stored = await t.hub.store.records.findByLedgerKey('certificate', NUMBER);
    expect(stored.map((s) => [s.status, (s.record as Certificate).version ?? 1])).to.deep.equal([
      ['anchored', 1],
      ['anchored', 2],
    ]);
    const milestones = await t.hub.store.records.findByLedgerKey('milestone', `${SYSTEM}:1.milestone`);
    expect(milestones).to.have.length(2);
    expect(milestones[1]?.record).to.deep.include({
      version: 2,
      corrects: milestones[0]?.commitment,
      details: { constructionScale: '地上12层 建筑面积48000平方米', contractAmountWanYuan: 21851 },
    });
  });

  it('proves version 2 and says it is the latest', async () => {
    const res = await t.api('GET', `/api/v1/proofs/certificate/${encodeURIComponent(NUMBER)}`, {
      token: auditor,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.record.anchor).to.include({ version: 2 });
    expect(res.body.statement).to.include({ version: 2, latest: true, status: 'valid' });
  });

  it('proves version 1 as well, its statement and the verifier saying version 2 superseded it', async () => {
    const res = await t.api(
      'GET',
      `/api/v1/proofs/certificate/${encodeURIComponent(NUMBER)}?recordVersion=1`,
      { token: auditor },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.record.anchor).to.not.have.property('version');
    expect(res.body.statement).to.include({ version: 1, latest: false, status: 'superseded' });
    const checked = await t.api('POST', '/api/v1/verify', { body: { proofBundle: res.body } });
    expect(checked.status, JSON.stringify(checked.body)).to.equal(200);
    expect(checked.body.verdict).to.include({ ok: true, status: 'superseded' });
    expect(checked.body.verdict.version).to.deep.equal({ number: 1, latest: false, basis: 'statement' });
    const none = await t.api(
      'GET',
      `/api/v1/proofs/certificate/${encodeURIComponent(NUMBER)}?recordVersion=3`,
      { token: auditor },
    );
    expect(none.status).to.equal(404);
    expect(none.body.detail).to.equal(`version 3 of certificate ${NUMBER} is not anchored`);
    const bad = await t.api(
      'GET',
      `/api/v1/proofs/certificate/${encodeURIComponent(NUMBER)}?recordVersion=0`,
    );
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.errors)).to.contain('recordVersion');
  });

  it('finds version 1 by its commitment: superseded by version 2, with a bundle that says so', async () => {
    const current = (await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor })).body;
    const [v1, v2] = current.versions as { commitment: string; txId: string }[];
    const old = await t.api('POST', '/api/v1/verify', { body: { sha256: v1!.commitment, bundle: true } });
    expect(old.status, JSON.stringify(old.body)).to.equal(200);
    expect(old.body).to.include({ anchored: true, status: 'superseded' });
    const [match] = old.body.matches;
    expect(match).to.include({ kind: 'certificate', id: NUMBER, status: 'superseded' });
    expect(match.anchored.txId).to.equal(v1!.txId);
    expect(match.version).to.deep.include({ number: 1, latest: false });
    expect(match.version.supersededBy).to.include({ version: 2, txId: v2!.txId });
    expect(match.proof.href).to.contain('recordVersion=1');
    expect(match.bundle.statement).to.include({ version: 1, latest: false, status: 'superseded' });
    expect(verifyProofBundle(match.bundle)).to.include({ ok: true, status: 'superseded' });
    const fetched = await t.api('GET', match.proof.href);
    expect(fetched.status).to.equal(200);
    expect(verifyProofBundle(fetched.body).checks.find((c) => c.name === 'query.match')?.status).to.equal(
      'verified',
    );
    const latest = await t.api('POST', '/api/v1/verify', { body: { sha256: v2!.commitment } });
    expect(latest.body).to.include({ status: 'valid' });
    expect(latest.body.matches[0].version).to.deep.equal({ number: 2, latest: true });
  });

  it('exports version 1’s v2 proof with the CLI, which verifies it as superseded by version 2 at the checkpoint', async () => {
    const current = (await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor })).body;
    const file = join(mkdtempSync(join(tmpdir(), 'corrections-proof-')), 'v1.json');
    const out = new PassThrough();
    const err = new PassThrough();
    // a v2 bundle waits for a checkpoint covering the blocks (every 10 s by default)
    await t.waitFor(
      'a checkpoint covering version 2',
      async () =>
        (await runExportProof(
          current.certificate.commitment,
          { output: file, hub: t.url, v2: true, recordVersion: '1' },
          out,
          err,
        )) === 0,
      30_000,
    );
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { format: string };
    expect(bundle.format).to.equal('approval-ledger/proof@2');
    const checked = await t.api('POST', '/api/v1/verify', { body: { proofBundle: bundle } });
    expect(checked.body.verdict).to.include({ ok: true, status: 'superseded' });
    expect(checked.body.verdict.version).to.deep.include({ number: 1, latest: false, basis: 'checkpoint' });
    expect(checked.body.verdict.version.supersededBy).to.include({
      version: 2,
      txId: current.certificate.txId,
    });
    const text = new PassThrough();
    const code = await runVerify(undefined, { bundle: file }, text);
    expect(code).to.equal(3);
    expect(String(text.read())).to.match(/proof bundle: SUPERSEDED[\s\S]*version 1, superseded by version 2/);
    const missing = await runExportProof(
      current.certificate.commitment,
      { output: file, hub: t.url, recordVersion: '5' },
      out,
      err,
    );
    expect(missing).to.equal(1);
  });

  it('shows the history on the project page', async () => {
    const res = await t.api('GET', `/api/v1/projects/${PROJECT}`, { token: auditor });
    expect(res.status).to.equal(200);
    const [milestone] = res.body.milestones as Record<string, unknown>[];
    const [certificate] = res.body.certificates as Record<string, unknown>[];
    for (const entry of [milestone, certificate]) {
      expect(entry).to.include({ version: 2, current: true, offChain: 'match' });
      expect((entry?.versions as { version: number }[]).map((v) => v.version)).to.deep.equal([1, 2]);
    }
  });

  it('is no drift for the reconciliation: version 1 is superseded, not a commitment mismatch', async () => {
    const since = new Date().toISOString();
    const report = await t.waitFor('a reconciliation pass after both versions', async () => {
      const res = await t.api('GET', '/api/v1/reconciliation', { token: auditor });
      return res.body.chain !== null && res.body.chain.startedAt > since && res.body;
    });
    expect(report.chain.checked).to.be.at.least(4);
    expect(report.chain.drift).to.deep.equal({
      'record-tampered': 0,
      'commitment-mismatch': 0,
      'missing-on-chain': 0,
      'missing-off-chain': 0,
    });
  });

  it('answers a re-delivery of version 2 as a DUPLICATE, without a new transaction', async () => {
    const before = await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor });
    // as the adapter sent it: a correction reason, version and corrects left to the hub
    const { version: _v, corrects: _c, ...asSent } = before.body.record as Certificate;
    await t.publish(envelopeOf(asSent, 'certificate'), { msgId: 'replay:redelivery-of-version-2' });
    await t.waitFor('the DUPLICATE receipt', () => receiptsOf('certificate', 'DUPLICATE').length === 1);
    const after = await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor });
    expect(after.body.certificate.txId).to.equal(before.body.certificate.txId);
    expect(after.body.versions).to.have.length(2);
  });

  it('refuses a correction of version 1, which is no longer current, as a RECORD_CONFLICT', async () => {
    const current = (await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor })).body;
    const [v1] = current.versions as { commitment: string }[];
    const stale: Certificate = {
      ...(current.record as Certificate),
      validUntil: '2029-04-01T09:30:00+08:00',
      version: 2,
      corrects: v1!.commitment,
      correctionReason: '另一次更正',
      source: { system: SYSTEM, recordId: '1.certificate', version: 9 },
    };
    await t.publish(envelopeOf(stale, 'certificate'));
    const letter = await t.waitFor('the dead letter', () =>
      t.deadLetters.find((d) => d.code === 'RECORD_CONFLICT'),
    );
    expect(letter.reason).to.contain(current.certificate.commitment).and.contain('version 2');
    const after = await t.waitFor('the refused version marked conflict', async () => {
      const body = (await t.api('GET', `/api/v1/certificates/${NUMBER}`, { token: auditor })).body;
      return body.versions[2]?.status === 'conflict' && body;
    });
    expect(after).to.include({ version: 2 });
    expect(after.versions.map((v: { status: string }) => v.status)).to.deep.equal([
      'anchored',
      'anchored',
      'conflict',
    ]);
    // the project page lists the refused version among the project's records not anchored, its entries unchanged
    const page = (await t.api('GET', `/api/v1/projects/${PROJECT}`, { token: auditor })).body;
    expect(page.unanchored).to.deep.equal([
      {
        sourceKey: `${SYSTEM}:1.certificate:9`,
        kind: 'certificate',
        status: 'conflict',
        reason: page.unanchored[0]?.reason,
      },
    ]);
    expect(page.unanchored[0].reason).to.contain('RECORD_CONFLICT');
    expect(page.projectName).to.equal('朝阳区望京科技园三期研发楼');
    expect(page.certificates.map((c: { version: number }) => c.version)).to.deep.equal([2]);
    expect(page.certificates[0].versions.map((v: { status: string }) => v.status)).to.deep.equal([
      'anchored',
      'anchored',
      'conflict',
    ]);
  });
});
