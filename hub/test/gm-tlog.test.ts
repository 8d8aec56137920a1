/**
 * The hub's own artefacts in the 国密 suite, end to end: a hub started with LEDGER_CRYPTO=gm (embedded ledger)
 * makes SM3 commitments, keeps an SM3 transparency log whose checkpoints say `crypto gm` and are signed with an
 * SM2 log key, and has them cosigned over HTTP by Tianjin's and Hebei's witnesses with SM2 keys. Through the
 * `ledger` CLI: `trust export` says `crypto gm`; a v2 bundle of a certificate verifies with `--suite gm` (exit 0)
 * and is refused without it (exit 2, naming the suite). Restarting the data dir with LEDGER_CRYPTO=intl is
 * refused, naming the variable.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseTrustAnchors,
  parseVerifierKey,
  pinnedTrustOf,
  verifyProofBundle,
  type ProofBundle,
  type ProofBundleV2,
  sha256Hex,
  verifyCosignedCheckpoint,
} from '@approval-ledger/protocol';
import { startNatsServer } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { ArtefactSuiteMismatchError } from '../src/artefact-suite';
import { generateEd25519Key } from '../src/tlog/ed25519-key';
import { logIdentity, witnessDirOf, witnessIdentity, witnessIdentityOf } from '../src/tlog/tlog-identity';
import { Witness } from '../src/witness/witness';
import { listenWitness, type RunningWitnessServer } from '../src/witness/witness-server';
import { cliCommand, runCli } from './support/cli';
import { certificate, envelopeOf } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const NUMBER = '110105202503100801';

describe('the hub’s artefacts in the gm suite: SM3 commitments and log, SM2 checkpoints and witness cosignatures', function () {
  this.timeout(240_000);
  const work = mkdtempSync(join(tmpdir(), 'hub-gm-tlog-'));
  const witnesses: RunningWitnessServer[] = [];
  let dataDir: string;
  let t: TestHub | undefined;
  let env: NodeJS.ProcessEnv;
  let hubEnv: NodeJS.ProcessEnv;
  let trust: string;
  let bundleFile: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hub-gm-'));
    const logKey = logIdentity(dataDir, 'BJ', 'gm').verifier;
    const entries: string[] = [];
    for (const region of ['TJ', 'HE'] as const) {
      const dir = witnessDirOf(dataDir, region);
      const identity = witnessIdentity(dir, region, undefined, 'gm');
      const witness = new Witness(dir, identity.signer, [logKey], 'gm');
      const server = await listenWitness(witness, identity.verifier.vkey);
      witnesses.push(server);
      entries.push(`${region} ${server.url} ${identity.verifier.vkey}`);
    }
    hubEnv = {
      LEDGER_CRYPTO: 'gm',
      LEDGER_WITNESSES: entries.join(','),
      LEDGER_CHECKPOINT_SECONDS: '1',
      LEDGER_CHECKPOINT_BLOCKS: '1',
    };
    t = await startTestHub({ dataDir, env: hubEnv });
    env = { ...process.env, ...hubEnv, LEDGER_DATA_DIR: dataDir, NATS_URL: t.nats.url, HUB_URL: t.url };
    await t.publish(envelopeOf(certificate(NUMBER), 'certificate'));
    await t.waitFor('the certificate anchored', () =>
      t!.receipts.some((r) => r.recordId.endsWith(`:C${NUMBER}:1`)) ? true : undefined,
    );
    trust = join(work, 'trust.txt');
    const exported = await runCli(['trust', 'export'], env);
    expect(exported.status, exported.stderr).to.equal(0);
    writeFileSync(trust, exported.stdout);
    bundleFile = join(work, 'bundle.json');
    await t.waitFor(
      'a cosigned checkpoint covering the certificate',
      async () => {
        const cli = await runCli(
          ['export-proof', sha256Hex(`certificate ${NUMBER}`), '-o', bundleFile, '--v2'],
          env,
        );
        if (cli.status !== 0) return undefined;
        const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as ProofBundleV2;
        return bundle.status ? bundle : undefined;
      },
      60_000,
    );
  });

  after(async () => {
    await t?.stop();
    for (const server of witnesses) await server.close();
    rmSync(work, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports trust anchors of the gm suite: SM2 log and witness keys (0xff types)', () => {
    const anchors = parseTrustAnchors(readFileSync(trust, 'utf8'));
    expect(anchors.crypto).to.equal('gm');
    expect(anchors.logs.map((k) => k.kind)).to.deep.equal(['sm2']);
    expect(anchors.witnesses.map((w) => [w.region, w.key.kind])).to.deep.equal([
      ['TJ', 'sm2-cosignature/v1'],
      ['HE', 'sm2-cosignature/v1'],
    ]);
    expect(readFileSync(join(dataDir, 'artefact-suite'), 'utf8')).to.equal('gm\n');
  });

  it('publishes a gm checkpoint cosigned by both witnesses, and the bundle names gm for its ledger and commitment', () => {
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as ProofBundleV2;
    expect(bundle.checkpoint.note).to.match(/\ncrypto gm\nstatus \d+ /);
    const anchors = parseTrustAnchors(readFileSync(trust, 'utf8'));
    const cosigned = verifyCosignedCheckpoint(bundle.checkpoint.note, {
      logKeys: anchors.logs,
      witnessKeys: anchors.witnesses.map((w) => w.key),
      quorum: 2,
      accepted: ['gm'],
    });
    expect(cosigned).to.include({ ok: true, suite: 'gm' });
    const evidence = bundle.evidence as unknown as ProofBundle;
    expect(evidence.ledger.suite).to.equal('gm');
    expect(evidence.record.suite).to.equal('gm');
  });

  it('verifies the v2 bundle with the CLI told --suite gm (exit 0), and refuses it without (exit 2, naming gm)', async () => {
    const accepted = await runCli(['verify', '--bundle', bundleFile, '--trust', trust, '--suite', 'gm'], env);
    expect(accepted.status, accepted.stdout + accepted.stderr).to.equal(0);
    expect(accepted.stdout)
      .to.match(/^proof bundle: VALID\n/)
      .and.match(/assurance witnessed: PROVEN \(cosigned by (tj|he)\..*witness, (tj|he)\./)
      .and.match(/assurance status: PROVEN/);
    const refused = await runCli(['verify', '--bundle', bundleFile, '--trust', trust], env);
    expect(refused.status, refused.stdout + refused.stderr).to.equal(2);
    expect(refused.stdout).to.match(/crypto suite "gm" is not accepted here \(accepted: intl\)/);
  });

  it('refuses trust that pins intl witness keys for the gm log (mixed suites), naming the rule', async () => {
    const intlWitness = witnessIdentityOf(generateEd25519Key(), 'TJ').verifier.vkey;
    const mixed = join(work, 'mixed-trust.txt');
    writeFileSync(
      mixed,
      readFileSync(trust, 'utf8').replace(/^witness TJ \S+$/m, `witness TJ ${intlWitness}`),
    );
    const refused = await runCli(['verify', '--bundle', bundleFile, '--trust', mixed, '--suite', 'gm'], env);
    expect(refused.status, refused.stdout + refused.stderr).to.equal(2);
    expect(refused.stderr + refused.stdout).to.match(
      /trust.crypto: the anchors are of the gm suite but key tj.approval-ledger.example\/witness is a intl cosignature\/v1 key/,
    );
  });

  it('opens the stored record against its SM3 commitment (POST /verify: offChain match, not tampered)', async () => {
    const res = await fetch(`${t!.url}/api/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sha256: sha256Hex(`certificate ${NUMBER}`) }),
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as {
      matches: { offChain: string; tampered: boolean; commitment: string }[];
    };
    expect(body.matches).to.have.length(1);
    expect(body.matches[0]).to.include({ offChain: 'match', tampered: false });
    const evidence = (JSON.parse(readFileSync(bundleFile, 'utf8')) as ProofBundleV2)
      .evidence as unknown as ProofBundle;
    expect(body.matches[0]!.commitment).to.equal(evidence.record.anchor.commitment);
  });

  it('refuses a bundle mixing suites: the gm log over a commitment relabelled intl, and the gm log pinned as intl', () => {
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as ProofBundleV2;
    const pinned = pinnedTrustOf(parseTrustAnchors(readFileSync(trust, 'utf8')));
    const both = { ...pinned, acceptedSuites: ['intl', 'gm'] as const };
    expect(verifyProofBundle(bundle, both)).to.include({ ok: true, status: 'valid' });
    const evidence = bundle.evidence as unknown as ProofBundle;
    const { suite: _gm, ...intlRecord } = evidence.record;
    const relabelled = { ...bundle, evidence: { ...evidence, record: intlRecord } };
    const mixed = verifyProofBundle(relabelled, both);
    expect(mixed.status).to.equal('invalid');
    const failed = Object.fromEntries(
      mixed.checks.filter((c) => c.status === 'failed').map((c) => [c.name, c.detail]),
    );
    expect(failed['record.suite']).to.match(/the commitment is intl, the ledger gm/);
    expect(failed['checkpoint.suite']).to.equal(
      "mixed crypto suites in one bundle: the log is gm but the record's commitment is intl",
    );
    const asIntl = verifyProofBundle(bundle, { ...both, tlog: { ...pinned.tlog, suite: 'intl' as const } });
    expect(asIntl.status).to.equal('invalid');
    expect(asIntl.checks.find((c) => c.name === 'checkpoint.suite')?.detail).to.equal(
      "mixed crypto suites in one bundle: the log is intl but the record's commitment is gm",
    );
  });

  it('runs `ledger witness` in its log key’s suite (SM2 for a gm log); --suite intl with a gm log key exits 2, making no key', async () => {
    const logVkey = parseTrustAnchors(readFileSync(trust, 'utf8')).logs[0]!.vkey;
    const intlDir = join(work, 'witness-intl');
    const refused = await runCli(
      ['witness', '--region', 'TJ', '--log', logVkey, '--suite', 'intl', '--dir', intlDir],
      env,
    );
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.match(
      /a intl witness trusts intl log keys only; bj\.approval-ledger\.example\/log\/\S+ is a gm sm2 key/,
    );
    expect(existsSync(join(intlDir, 'witness.pem'))).to.equal(false);
    const child = spawn(
      cliCommand.node,
      [...cliCommand.args, 'witness', '--region', 'TJ', '--log', logVkey, '--dir', join(work, 'witness-gm')],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`ledger witness exited ${code}`)));
      });
      const started = JSON.parse(line) as { vkey: string };
      expect(parseVerifierKey(started.vkey)).to.include({ kind: 'sm2-cosignature/v1', suite: 'gm' });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('checks a gm v2 bundle sent to POST /verify against its own gm log and witnesses', async () => {
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as ProofBundleV2;
    const checked = await t!.api('POST', '/api/v1/verify', { body: { proofBundle: bundle } });
    expect(checked.status).to.equal(200);
    const body = checked.body as {
      verdict: { ok: boolean; status: string; assurance: { checkpoint: { suite: string } } };
    };
    expect(body.verdict).to.include({ ok: true, status: 'valid' });
    expect(body.verdict.assurance.checkpoint.suite).to.equal('gm');
  });

  it('refuses to start a gm hub whose LEDGER_WITNESSES pins an intl witness key, naming both variables', async () => {
    const intlWitness = witnessIdentityOf(generateEd25519Key(), 'TJ').verifier.vkey;
    const other = mkdtempSync(join(tmpdir(), 'hub-gm-mixed-'));
    try {
      let error: unknown;
      try {
        const hub = await startTestHub({
          nats: t!.nats, // a refused start leaves no server of its own behind
          dataDir: other,
          env: { ...hubEnv, LEDGER_WITNESSES: `TJ http://127.0.0.1:9 ${intlWitness}` },
        });
        await hub.stop();
      } catch (e) {
        error = e;
      }
      expect((error as Error | undefined)?.message).to.equal(
        "LEDGER_WITNESSES: the TJ witness's key is intl (cosignature/v1), but LEDGER_CRYPTO=gm: a log's witnesses cosign in its suite",
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses to start the data dir again with LEDGER_CRYPTO=intl, naming the variable', async () => {
    await t!.stop();
    t = undefined;
    const nats = await startNatsServer();
    let error: unknown;
    try {
      t = await startTestHub({ nats, dataDir, env: { ...hubEnv, LEDGER_CRYPTO: 'intl' } });
    } catch (e) {
      error = e;
    } finally {
      await nats.stop();
    }
    expect(error).to.be.instanceOf(ArtefactSuiteMismatchError);
    expect((error as Error).message).to.match(
      /^LEDGER_CRYPTO=intl, but the hub's artefacts in .* were made with LEDGER_CRYPTO=gm at its first start/,
    );
  });
});
