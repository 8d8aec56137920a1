/**
 * The default run's recognition authorities (`ledger authority-sim`) against a real hub, through its API only:
 * with Beijing, Tianjin and Hebei milestones and a Beijing certificate anchored, the workflow's steps take the
 * board through every state: PENDING, RECOGNISED, REJECTED (with a reason, signed), and SOURCE_REVOKED after
 * Beijing revokes the certificate Tianjin recognised (a legacy revocation on NATS) and the milestone Hebei
 * recognised (a 撤销 through the API); the recognising region is told, and reads the certificate as revoked.
 */
import { type RegionCode } from '@approval-ledger/protocol';
import { type RecognitionBoardEntry } from '@approval-ledger/protocol/api';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { officialKey } from '../src/services/registry-seeder';
import { REJECTION_REASONS } from '../src/simulation/authority-plan';
import { AuthorityWorkflow } from '../src/simulation/authority-workflow';
import { certificate, envelopeOf, milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

describe('authority-sim: the three regions’ authorities through the hub’s API', function () {
  this.timeout(180_000);
  let t: TestHub;

  before(async () => {
    t = await startTestHub();
    for (const region of ['BJ', 'TJ', 'HE'] as const) {
      const approver = await t.token('approver', region, 'DRC');
      const body = [1, 2, 3].map((n) =>
        milestone({ region, dept: 'DRC', n, serial: 100 + n, system: `${region.toLowerCase()}-drc-filing` }),
      );
      const posted = await t.api('POST', '/api/v1/milestones', { token: approver, body });
      expect(posted.status, JSON.stringify(posted.body)).to.equal(202);
    }
    await t.publish(envelopeOf(certificate('110105202612050001', { serial: 101 }), 'certificate'));
    const auditor = await t.token('auditor');
    await t.waitFor('the nine milestones and the certificate anchored', async () => {
      const stats = await t.api('GET', '/api/v1/stats', { token: auditor });
      const chain = stats.body.chain as { milestones: number; certificates: number };
      return chain.milestones >= 9 && chain.certificates >= 1;
    });
  });

  after(async () => {
    await t?.stop();
  });

  it('requests, decides (recognised and rejected), and Beijing’s revocations turn a certificate and a milestone SOURCE_REVOKED', async () => {
    const lines: string[] = [];
    const workflow = new AuthorityWorkflow({
      hubUrl: t.url,
      publishLegacy: (envelope) => t.publish(envelope),
      tokens: (region: RegionCode, role, dept) => t.token(role, region, dept),
      official: (region) => officialKey(t.dataDir, region),
      log: (line) => lines.push(line),
      timing: {
        decideAfterMs: 1_500,
        requestEveryMs: 200,
        busyAfter: 3,
        slowEveryMs: 3_600_000,
        revokeAfterMs: 0,
      },
    });
    const auditor = await t.token('auditor');
    const seen = new Set<string>();
    let board: RecognitionBoardEntry[] = [];
    for (let i = 0; i < 120; i++) {
      const step = await workflow.step();
      board = (await t.api('GET', '/api/v1/recognitions', { token: auditor })).body.recognitions;
      for (const e of board) seen.add(e.status);
      // the certificate Tianjin recognised and the milestone Hebei recognised, each revoked at the source (Hebei may
      // have recognised the revoked certificate too: that one turns SOURCE_REVOKED as well)
      const revoked = (region: string, subjectType: string) =>
        board.some(
          (e) => e.status === 'SOURCE_REVOKED' && e.targetRegion === region && e.subjectType === subjectType,
        );
      const routes = new Set(board.map((e) => `${e.targetRegion}<-${e.sourceRegion}`));
      if (
        ['RECOGNISED', 'REJECTED'].every((s) => board.some((e) => e.status === s)) &&
        revoked('TJ', 'certificate') &&
        revoked('HE', 'milestone') &&
        routes.size === 4
      )
        break;
      if (step.kind === 'wait') await new Promise((r) => setTimeout(r, 300));
    }
    expect([...seen].sort(), lines.join('\n')).to.deep.equal([
      'PENDING',
      'RECOGNISED',
      'REJECTED',
      'SOURCE_REVOKED',
    ]);

    const routes = new Set(board.map((e) => `${e.targetRegion}<-${e.sourceRegion}`));
    expect([...routes].sort()).to.deep.equal(['BJ<-HE', 'BJ<-TJ', 'HE<-BJ', 'TJ<-BJ']);
    const rejected = board.find((e) => e.status === 'REJECTED')!;
    expect(rejected.decision?.reason).to.be.oneOf([...REJECTION_REASONS]);
    expect(rejected.decision?.signer).to.equal(officialKey(t.dataDir, rejected.targetRegion).address);

    // Tianjin's recognised Beijing certificate revoked by a legacy revocation, Hebei's milestone by a 撤销
    const byTianjin = board.find(
      (e) => e.status === 'SOURCE_REVOKED' && e.targetRegion === 'TJ' && e.subjectType === 'certificate',
    )!;
    expect(byTianjin).to.include({
      sourceRegion: 'BJ',
      subjectType: 'certificate',
      subjectId: '110105202612050001',
    });
    const certificate = await t.api('GET', '/api/v1/certificates/110105202612050001', {
      token: await t.token('authority', 'TJ'),
    });
    expect(certificate.body).to.include({ status: 'REVOKED', valid: false });
    const byHebei = board.find(
      (e) => e.status === 'SOURCE_REVOKED' && e.targetRegion === 'HE' && e.subjectType === 'milestone',
    );
    expect(
      byHebei,
      `a Beijing milestone Hebei recognised, revoked by a 撤销\n${lines.join('\n')}`,
    ).to.include({
      sourceRegion: 'BJ',
    });
    const revoked = byTianjin;
    expect(revoked.decision?.outcome).to.equal('RECOGNISED');
    const told = await t.waitFor('the source-revoked notice to the recognising region', () =>
      t.notices.find(
        (n) =>
          n.subject === `ledger.recognition.${revoked.targetRegion}` &&
          (n.data as { type: string }).type === 'source-revoked',
      ),
    );
    expect(told.data).to.include({ subjectId: revoked.subjectId, status: 'SOURCE_REVOKED' });

    // what the recognising region's authority sees of it
    const authority = await t.token('authority', revoked.targetRegion);
    const theirs = await t.api(
      'GET',
      `/api/v1/recognitions?target=${revoked.targetRegion}&status=SOURCE_REVOKED`,
      {
        token: authority,
      },
    );
    expect(theirs.body.recognitions.map((e: RecognitionBoardEntry) => e.id)).to.include(revoked.id);
  });
});

describe('authority-sim: an official the ledger does not hold as a signer', function () {
  this.timeout(180_000);
  let t: TestHub;

  before(async () => {
    t = await startTestHub();
    const approver = await t.token('approver', 'BJ', 'DRC');
    const body = [1, 2].map((n) =>
      milestone({ region: 'BJ', dept: 'DRC', n, serial: 200 + n, system: 'bj-drc-filing' }),
    );
    expect((await t.api('POST', '/api/v1/milestones', { token: approver, body })).status).to.equal(202);
    const auditor = await t.token('auditor');
    await t.waitFor('the milestones anchored', async () => {
      const stats = await t.api('GET', '/api/v1/stats', { token: auditor });
      return (stats.body.chain as { milestones: number }).milestones >= 2;
    });
  });

  after(async () => {
    await t?.stop();
  });

  it('says once which key to register and with which command, and records no decision', async () => {
    const lines: string[] = [];
    // officials of another data dir: not in this ledger's signer registries
    const elsewhere = mkdtempSync(join(tmpdir(), 'other-officials-'));
    const workflow = new AuthorityWorkflow({
      hubUrl: t.url,
      publishLegacy: (envelope) => t.publish(envelope),
      tokens: (region: RegionCode, role, dept) => t.token(role, region, dept),
      official: (region) => officialKey(elsewhere, region),
      log: (line) => lines.push(line),
      timing: {
        decideAfterMs: 0,
        requestEveryMs: 100,
        busyAfter: 3,
        slowEveryMs: 3_600_000,
        revokeAfterMs: 3_600_000,
      },
    });
    const controller = new AbortController();
    const running = workflow.run(controller.signal, 150);
    const advice = await t.waitFor('the advice to register the official', () =>
      lines.find((l) => l.includes('is not a registered signer')),
    );
    // keep stepping: the decision is attempted again and refused again, but the advice is not repeated
    await new Promise((r) => setTimeout(r, 2_000));
    controller.abort();
    await running;
    const region = /^step failed: (BJ|TJ|HE)'s official/.exec(advice)?.[1] as RegionCode;
    const official = officialKey(elsewhere, region);
    expect(advice).to.contain(
      `npx ledger registry signer add --region ${region} --address ${official.address} --name '${official.name}'`,
    );
    expect(advice).to.contain('SIGNER_NOT_AUTHORISED');
    expect(lines.filter((l) => l.includes('is not a registered signer'))).to.have.length(1);
    const board = (await t.api('GET', '/api/v1/recognitions', { token: await t.token('auditor') })).body
      .recognitions as RecognitionBoardEntry[];
    expect(board.length).to.be.greaterThan(0);
    expect(board.filter((e) => e.status !== 'PENDING')).to.deep.equal([]);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
