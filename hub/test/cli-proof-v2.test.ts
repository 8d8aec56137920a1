/**
 * Proof bundle v2 through the `ledger` CLI against a running hub that checkpoints (every second), has its
 * checkpoints cosigned by Tianjin's and Hebei's witnesses over HTTP, and anchors them on a real anvil:
 * `ledger trust export` -> a file; `ledger export-proof --v2` of a certificate; `ledger verify --bundle
 * --trust` exits 0 listing the assurance levels (and with `--rpc` proves the public anchor on chain); a
 * foreign ledger's trust file is refused (exit 2); a revoked certificate is REVOKED (exit 3), never VALID;
 * a status proof older than `--max-status-age` is not current (exit 5).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProofBundleV2, sha256Hex } from '@approval-ledger/protocol';
import { useAnvil } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { logIdentity, witnessDirOf, witnessIdentity } from '../src/tlog/tlog-identity';
import { Witness } from '../src/witness/witness';
import { listenWitness, type RunningWitnessServer } from '../src/witness/witness-server';
import { runCli } from './support/cli';
import { certificate, envelopeOf, revocation } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const VALID = '110105202503100701';
const REVOKED = '110105202503100702';

describe('the ledger CLI with proof bundles v2 (checkpoints, witnesses, anchors on a real anvil)', function () {
  this.timeout(240_000);
  const anvil = useAnvil();
  const work = mkdtempSync(join(tmpdir(), 'ledger-cli-v2-'));
  const witnesses: RunningWitnessServer[] = [];
  let t: TestHub;
  let env: NodeJS.ProcessEnv;
  let trust: string;

  /** Exports the v2 bundle of a certificate once the hub has a checkpoint (and an anchor) covering it. */
  async function exportV2(number: string, file: string, anchored: boolean): Promise<ProofBundleV2> {
    return t.waitFor(
      `the v2 bundle of ${number}${anchored ? ' with its anchor' : ''}`,
      async () => {
        const cli = await runCli(
          ['export-proof', sha256Hex(`certificate ${number}`), '-o', file, '--v2'],
          env,
        );
        if (cli.status !== 0) return undefined;
        const bundle = JSON.parse(readFileSync(file, 'utf8')) as ProofBundleV2;
        return !anchored || bundle.anchor ? bundle : undefined;
      },
      60_000,
    );
  }

  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-cli-v2-'));
    const logKey = logIdentity(dataDir, 'BJ').verifier;
    const entries: string[] = [];
    for (const region of ['TJ', 'HE'] as const) {
      const dir = witnessDirOf(dataDir, region);
      const identity = witnessIdentity(dir, region);
      const server = await listenWitness(new Witness(dir, identity.signer, [logKey]), identity.verifier.vkey);
      witnesses.push(server);
      entries.push(`${region} ${server.url} ${identity.verifier.vkey}`);
    }
    const hubEnv = {
      LEDGER_WITNESSES: entries.join(','),
      LEDGER_CHECKPOINT_SECONDS: '1',
      LEDGER_CHECKPOINT_BLOCKS: '1',
      LEDGER_ANCHOR_RPC: anvil().url,
      LEDGER_ANCHOR_SECONDS: '1',
    };
    t = await startTestHub({ dataDir, env: hubEnv });
    env = { ...process.env, ...hubEnv, LEDGER_DATA_DIR: t.dataDir, NATS_URL: t.nats.url, HUB_URL: t.url };
    for (const number of [VALID, REVOKED]) await t.publish(envelopeOf(certificate(number), 'certificate'));
    await t.waitFor('both certificates anchored', () =>
      t.receipts.filter((r) => [VALID, REVOKED].some((n) => r.recordId.endsWith(`:C${n}:1`))).length >= 2
        ? true
        : undefined,
    );
    trust = join(work, 'trust.txt');
    const exported = await runCli(['trust', 'export'], env);
    expect(exported.status, exported.stderr).to.equal(0);
    expect(exported.stdout).to.match(/^witness /m);
    writeFileSync(trust, exported.stdout);
  });

  after(async () => {
    await t?.stop();
    for (const server of witnesses) await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('verifies an exported v2 bundle against the exported trust: exit 0, the levels listed, the anchor proven with --rpc', async () => {
    const file = join(work, 'valid.json');
    const bundle = await exportV2(VALID, file, true);
    expect(bundle.format).to.equal('approval-ledger/proof@2');
    const offline = await runCli(['verify', '--bundle', file, '--trust', trust], env);
    expect(offline.status, offline.stdout + offline.stderr).to.equal(0);
    expect(offline.stdout)
      .to.match(/^proof bundle: VALID\n/)
      .and.match(/assurance ledger: PROVEN/)
      .and.match(/assurance pinned-ledger: PROVEN/)
      .and.match(/assurance checkpoint: PROVEN \(in checkpoint \d+ of bj\./)
      .and.match(/assurance witnessed: PROVEN \(cosigned by (tj|he)\..*witness, (tj|he)\./)
      .and.match(/assurance status: PROVEN \(not revoked as of checkpoint \d+/)
      .and.match(
        /assurance public-anchor: NOT-PROVEN \(block \d+ is in checkpoint \d+ .* not checked offline/,
      )
      .and.not.match(/NOTHING PINNED/);
    const online = await runCli(['verify', '--bundle', file, '--trust', trust, '--rpc', anvil().url], env);
    expect(online.status, online.stdout + online.stderr).to.equal(0);
    expect(online.stdout)
      .to.match(/assurance public-anchor: PROVEN \(checkpoint \d+ of .* is anchored on chain 31337/)
      .and.match(/\[ok\] anchor\.event: the contract recorded/);
  });

  it('refuses the bundle against a foreign ledger’s trust file with the refusal exit code', async () => {
    const file = join(work, 'valid.json');
    await exportV2(VALID, file, false);
    const foreign = join(work, 'foreign-trust.txt');
    writeFileSync(
      foreign,
      readFileSync(trust, 'utf8').replace(/^genesis (\S+) [0-9a-f]{64}$/m, `genesis $1 ${'ab'.repeat(32)}`),
    );
    const refused = await runCli(['verify', '--bundle', file, '--trust', foreign], env);
    expect(refused.status, refused.stdout).to.equal(2);
    expect(refused.stdout)
      .to.match(/^proof bundle: INVALID/)
      .and.match(/\[FAIL\] trust\.genesis: genesis hash [0-9a-f]{64} is not the pinned/);
  });

  it('says REVOKED (exit 3), never VALID, for a revoked certificate’s v2 bundle', async () => {
    await t.publish(envelopeOf(revocation(REVOKED, '2025-06-01T10:00:00+08:00'), 'certificate-revocation'));
    await t.waitFor('the revocation receipt', () =>
      t.receipts.find((r) => r.recordId.endsWith(`REV${REVOKED}:1`)),
    );
    const file = join(work, 'revoked.json');
    const bundle = await t.waitFor(
      'a v2 bundle whose status proof shows the revocation',
      async () => {
        const exported = await exportV2(REVOKED, file, false);
        return exported.status?.member ? exported : undefined;
      },
      60_000,
    );
    expect(bundle.status?.member?.entry).to.include({ status: 'REVOKED' });
    const verified = await runCli(['verify', '--bundle', file, '--trust', trust], env);
    expect(verified.status, verified.stdout).to.equal(3);
    expect(verified.stdout)
      .to.match(/^proof bundle: REVOKED\n/)
      .and.match(/assurance status: PROVEN \(revoked by transaction/)
      .and.not.match(/proof bundle: VALID/);
  });

  it('exits 5 when the status proof is older than --max-status-age', async () => {
    const file = join(work, 'valid.json');
    await exportV2(VALID, file, false);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const stale = await runCli(['verify', '--bundle', file, '--trust', trust, '--max-status-age', '1s'], env);
    expect(stale.status, stale.stdout).to.equal(5);
    expect(stale.stdout)
      .to.match(/^proof bundle: STATUS-UNKNOWN/)
      .and.match(/status proof: stale/)
      .and.match(/beyond the limit of 1 s/);
    const fresh = await runCli(['verify', '--bundle', file, '--trust', trust, '--max-status-age', '1d'], env);
    expect(fresh.status, fresh.stdout).to.equal(0);
  });
});
