/**
 * End to end, through real NATS and the real embedded ledger: an envelope published on `legacy.*` -> its
 * receipt on `ledger.receipt.*` -> GET /projects/{code} shows it -> POST /verify returns a proof bundle ->
 * `ledger verify --bundle` checks it offline, with the hub stopped.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyProofBundle } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { envelopeOf, milestone, projectCode } from './support/records';
import { cliCommand } from './support/cli';
import { startTestHub, type TestHub } from './support/test-hub';

describe('end to end: NATS envelope -> receipt -> project -> verify -> offline bundle check', function () {
  this.timeout(120_000);
  let t: TestHub;

  before(async () => {
    t = await startTestHub();
  });

  after(async () => {
    await t?.stop();
  });

  it('anchors a published milestone and proves it offline with the CLI', async () => {
    const record = milestone({
      region: 'BJ',
      dept: 'EE',
      n: 42,
      serial: 318,
      document: 'the EIA approval PDF',
    });
    await t.publish(envelopeOf(record, 'milestone'));

    const receipt = await t.waitFor('the receipt', () =>
      t.receipts.find((r) => r.recordId === 'test-bj-ee:R42:1'),
    );
    expect(receipt.status).to.equal('ANCHORED');
    expect(receipt.txId).to.be.a('string');
    expect(receipt.blockNumber).to.be.a('number');

    const auditor = await t.token('auditor');
    const project = await t.api('GET', `/api/v1/projects/${projectCode('BJ', 318)}`, { token: auditor });
    expect(project.status).to.equal(200);
    const entry = project.body.milestones.find((m: { id: string }) => m.id === record.id);
    expect(entry).to.include({
      txId: receipt.txId,
      blockNumber: receipt.blockNumber,
      offChain: 'match',
      tampered: false,
    });
    expect(entry.endorsedBy).to.deep.equal(['BeijingMSP']);
    expect(entry.record).to.deep.equal(record);
    expect(project.body.progress.stages.find((s: { stage: string }) => s.stage === 'EIA').status).to.equal(
      'done',
    );

    const verified = await t.api('POST', '/api/v1/verify', {
      body: { sha256: record.documents[0]!.sha256, bundle: true },
    });
    expect(verified.status).to.equal(200);
    expect(verified.body).to.include({ anchored: true, status: 'valid' });
    const bundle = verified.body.matches[0].bundle;
    expect(verifyProofBundle(bundle)).to.include({ ok: true, status: 'valid' });

    const file = join(tmpdir(), `proof-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(bundle));
    // the ledger this reader trusts: block 0 as the hub served it before it stopped
    const genesis = (await t.api('GET', '/api/v1/blocks/0', { token: await t.token('auditor') })).body as {
      hash: string;
    };
    await t.stop();
    const verifyCli = (...pin: string[]) =>
      spawnSync(cliCommand.node, [...cliCommand.args, 'verify', '--bundle', file, '--json', ...pin], {
        encoding: 'utf8',
      });
    const pinned = verifyCli('--genesis', genesis.hash);
    expect(pinned.status, pinned.stderr).to.equal(0);
    const verdict = JSON.parse(pinned.stdout) as { status: string; record: { id: string } };
    expect(verdict.status).to.equal('valid');
    expect(verdict.record.id).to.equal(record.id);
    const unpinned = verifyCli();
    expect(unpinned.status, 'valid, but against nothing pinned').to.equal(4);
    expect(JSON.parse(unpinned.stdout)).to.deep.include({
      status: 'valid',
      pinned: { genesis: false, cas: false },
    });
  });
});
