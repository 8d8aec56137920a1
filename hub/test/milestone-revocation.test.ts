/**
 * A milestone that a later REVOKED milestone revokes (same project, region, department and stage, decided at
 * or after it) reads as revoked through the real stack: POST /milestones, ingest, the embedded ledger, the
 * chain index, POST /verify and GET /proofs (status and the REVOKED milestone's transaction as the revocation
 * evidence), the bundle checked offline by the `ledger verify --bundle` process (exit 3), and a bundle whose
 * evidence does not satisfy the rule refused (exit 2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Milestone, type ProofBundle, verifyProofBundle } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { ProofBundleBuilder } from '../src/verification/proof-bundle-builder';
import { VerificationService } from '../src/verification/verification.service';
import { runCli } from './support/cli';
import { milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const base = { dept: 'PNR', stage: 'LAND_USE_PLANNING' } as const;

describe('a milestone revoked by a later REVOKED milestone', function () {
  this.timeout(180_000);
  let t: TestHub;
  let env: NodeJS.ProcessEnv;
  const work = mkdtempSync(join(tmpdir(), 'milestone-revocation-'));
  // project 611: approved, then revoked, then approved again (the re-approval stands)
  const approval = milestone({ ...base, n: 6111, serial: 611, decidedAt: '2025-03-06T16:30:00+08:00' });
  const revocation = milestone({
    ...base,
    n: 6112,
    serial: 611,
    decision: 'REVOKED',
    decidedAt: '2025-04-01T09:00:00+08:00',
  });
  const reapproval = milestone({ ...base, n: 6113, serial: 611, decidedAt: '2025-05-01T10:00:00+08:00' });
  // project 612: the REVOKED milestone reaches the ledger before the approval it revokes
  const lateApproval = milestone({ ...base, n: 6121, serial: 612, decidedAt: '2025-03-06T16:30:00+08:00' });
  const earlyRevocation = milestone({
    ...base,
    n: 6122,
    serial: 612,
    decision: 'REVOKED',
    decidedAt: '2025-04-01T09:00:00+08:00',
  });

  const digest = (m: Milestone): string => m.documents[0]!.sha256;

  async function post(records: Milestone[]): Promise<void> {
    const token = await t.token('approver', 'BJ', 'PNR');
    const accepted = await t.api('POST', '/api/v1/milestones', { token, body: records });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    for (const m of records) {
      const key = `${m.source.system}:${m.source.recordId}:${m.source.version}`;
      const receipt = await t.waitFor(`the receipt of ${m.id}`, () =>
        t.receipts.find((r) => r.recordId === key),
      );
      expect(receipt.status, m.id).to.equal('ANCHORED');
      await t.waitFor(`${m.id} in the chain index`, async () => (await verify(m)).anchored === true);
    }
  }

  async function verify(m: Milestone): Promise<any> {
    const response = await t.api('POST', '/api/v1/verify', { body: { sha256: digest(m), bundle: true } });
    expect(response.status).to.equal(200);
    return response.body;
  }

  before(async () => {
    t = await startTestHub();
    env = { ...process.env, LEDGER_DATA_DIR: t.dataDir, NATS_URL: t.nats.url, HUB_URL: t.url };
    await post([approval]);
    // Tianjin asks to recognise the approval before it is revoked
    const requested = await t.api('POST', '/api/v1/recognitions', {
      token: await t.token('authority', 'TJ'),
      body: {
        id: 'REC-TJ-0611',
        subjectType: 'milestone',
        subjectId: approval.id,
        sourceRegion: 'BJ',
        targetRegion: 'TJ',
      },
    });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(201);
    await post([revocation]);
    await post([reapproval]);
    await post([earlyRevocation]);
    await post([lateApproval]);
  });

  after(async () => {
    await t?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('POST /verify says revoked, with the REVOKED milestone’s transaction in the proof bundle', async () => {
    const revokingTx = (await verify(revocation)).matches[0].anchored.txId as string;
    const result = await verify(approval);
    expect(result.status).to.equal('revoked');
    const [match] = result.matches;
    expect(match).to.include({ kind: 'milestone', id: approval.id, status: 'revoked', tampered: false });
    expect(match.revoked).to.deep.equal({
      at: revocation.decidedAt,
      reason: `revoked by milestone ${revocation.id} (REVOKED)`,
      txId: revokingTx,
    });
    const bundle = match.bundle as ProofBundle;
    expect(bundle.revocation?.transaction.txId).to.equal(revokingTx);
    expect(bundle.statement?.status).to.equal('revoked');

    const verdict = verifyProofBundle(bundle);
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'revoked', revokedAt: revocation.decidedAt });
    expect(verdict.revokedBy).to.deep.equal({ txId: revokingTx, milestone: revocation.id });
  });

  it('leaves the re-approval and the REVOKED milestone itself valid', async () => {
    expect((await verify(reapproval)).status).to.equal('valid');
    const own = await verify(revocation);
    expect(own.status).to.equal('valid');
    expect(own.matches[0].bundle.revocation).to.equal(undefined);
  });

  it('proves a revocation recorded before the milestone it revokes (the chain starts at the earlier block)', async () => {
    const result = await verify(lateApproval);
    expect(result.status).to.equal('revoked');
    const bundle = result.matches[0].bundle as ProofBundle;
    expect(bundle.revocation!.transaction.blockNumber).to.be.lessThan(bundle.transaction.blockNumber);
    expect(bundle.chain[0]!.number).to.equal(bundle.revocation!.transaction.blockNumber);
    expect(verifyProofBundle(bundle)).to.include({ ok: true, status: 'revoked' });
  });

  it('GET /projects/:code marks the revoked milestone revoked and leaves the others unrevoked', async () => {
    const token = await t.token('auditor', 'BJ');
    const response = await t.api('GET', `/api/v1/projects/${approval.projectCode}`, { token });
    expect(response.status).to.equal(200);
    const entries = response.body.milestones as { id: string; revoked?: { at: string; txId: string } }[];
    const byId = new Map(entries.map((e) => [e.id, e]));
    const revokingTx = (await verify(revocation)).matches[0].anchored.txId as string;
    expect(byId.get(approval.id)?.revoked).to.deep.equal({
      at: revocation.decidedAt,
      reason: `revoked by milestone ${revocation.id} (REVOKED)`,
      txId: revokingTx,
    });
    expect(byId.get(reapproval.id)?.revoked).to.equal(undefined);
    expect(byId.get(revocation.id)?.revoked).to.equal(undefined);
  });

  it('makes the recognition of the revoked milestone SOURCE_REVOKED and tells both regions', async () => {
    for (const region of ['BJ', 'TJ']) {
      const notice = await t.waitFor(`the source-revoked notice to ${region}`, () =>
        t.notices.find(
          (n) =>
            n.subject === `ledger.recognition.${region}` &&
            (n.data as { type: string }).type === 'source-revoked',
        ),
      );
      expect(notice.data).to.include({
        subjectType: 'milestone',
        subjectId: approval.id,
        sourceRegion: 'BJ',
        status: 'SOURCE_REVOKED',
        reason: `revoked by milestone ${revocation.id} (REVOKED)`,
      });
      expect((notice.data as { recognitionIds: string[] }).recognitionIds).to.deep.equal(['REC-TJ-0611']);
    }
    const board = await t.api('GET', '/api/v1/recognitions?source=BJ&target=TJ', {
      token: await t.token('auditor', 'BJ'),
    });
    expect(board.status).to.equal(200);
    const entry = (board.body.recognitions as { id: string; status: string }[]).find(
      (r) => r.id === 'REC-TJ-0611',
    );
    expect(entry?.status).to.equal('SOURCE_REVOKED');
  });

  it('GET /proofs gives the same evidence', async () => {
    const response = await t.api('GET', `/api/v1/proofs/milestone/${approval.id}`);
    expect(response.status).to.equal(200);
    const verdict = verifyProofBundle(response.body);
    expect(verdict).to.include({ ok: true, status: 'revoked' });
    expect(verdict.revokedBy?.milestone).to.equal(revocation.id);
  });

  it('reads the status at a time: valid before the REVOKED decision, revoked from it on', async () => {
    const service = new VerificationService(
      t.hub.indexer.index,
      t.hub.store,
      new ProofBundleBuilder(t.hub.ledger),
    );
    const before = await service.verifyHash(digest(approval), { now: new Date('2025-03-31T00:59:59Z') });
    expect(before.matches[0]).to.include({ status: 'valid' });
    expect(before.matches[0]!.revoked?.at).to.equal(revocation.decidedAt);
    const at = await service.verifyHash(digest(approval), { now: new Date('2025-04-01T01:00:00Z') });
    expect(at.matches[0]).to.include({ status: 'revoked' });
  });

  it('ledger verify: exit 3 for the revoked milestone, online and with --bundle offline', async () => {
    const online = await runCli(['verify', digest(approval)], env);
    expect(online.status, online.stdout + online.stderr).to.equal(3);
    expect(online.stdout).to.match(/REVOKED/);

    const file = join(work, 'revoked-milestone.json');
    writeFileSync(file, JSON.stringify((await verify(approval)).matches[0].bundle));
    const offline = await runCli(['verify', '--bundle', file], env);
    expect(offline.status, offline.stdout + offline.stderr).to.equal(3);
    expect(offline.stdout).to.match(/proof bundle: REVOKED/);
    expect(offline.stdout).to.include(`by REVOKED milestone ${revocation.id}`);
    expect(offline.stdout).to.match(/\[ok\] revocation\.record/);
  });

  it('ledger verify --bundle: exit 2, naming the rule, when the evidence does not revoke the milestone', async () => {
    const bundle = (await verify(approval)).matches[0].bundle as ProofBundle;
    // a genuine transaction in the chain, but one that records no REVOKED milestone: the approval's own
    const forged: ProofBundle = { ...bundle, revocation: { transaction: bundle.transaction } };
    const file = join(work, 'forged.json');
    writeFileSync(file, JSON.stringify(forged));
    const offline = await runCli(['verify', '--bundle', file], env);
    expect(offline.status, offline.stdout).to.equal(2);
    expect(offline.stdout).to.match(/\[FAIL\] revocation\.record: .*records no REVOKED milestone/);
    expect(offline.stdout).to.match(/\[ok\] revocation\.inclusion/);
  });
});
