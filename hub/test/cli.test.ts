/**
 * The `ledger` commands against a running hub and its data dir: token, import (with a progress bar and a dead
 * letter for the bad line), verify by file and hash with the exit codes of INTERFACES.md, export-proof, and
 * reconcile.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { runCli } from './support/cli';
import { envelopeOf, milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

describe('the ledger CLI', function () {
  this.timeout(180_000);
  let t: TestHub;
  let env: NodeJS.ProcessEnv;
  const work = mkdtempSync(join(tmpdir(), 'ledger-cli-'));

  before(async () => {
    t = await startTestHub();
    env = { ...process.env, LEDGER_DATA_DIR: t.dataDir, NATS_URL: t.nats.url, HUB_URL: t.url };
  });

  after(async () => {
    await t?.stop();
  });

  it('token: prints a token the hub accepts', async () => {
    const cli = await runCli(['token', '--region', 'TJ', '--role', 'auditor'], env);
    expect(cli.status, cli.stdout).to.equal(0);
    const blocks = await t.api('GET', '/api/v1/blocks?limit=1', { token: cli.stdout.trim() });
    expect(blocks.status).to.equal(200);
    const refused = await runCli(['token', '--region', 'XX', '--role', 'auditor'], env);
    expect(refused.status).to.equal(2);
  });

  it('token: refuses a data dir where no hub has started, naming the key path, and creates nothing', async () => {
    const elsewhere = join(work, 'no-hub-here');
    const cli = await runCli(['token', '--region', 'BJ', '--role', 'auditor'], {
      ...env,
      LEDGER_DATA_DIR: elsewhere,
    });
    expect(cli.status).to.equal(2);
    expect(cli.stdout).to.equal('');
    expect(cli.stderr).to.include(join(elsewhere, 'keys', 'token-signing.pem'));
    expect(cli.stderr).to.match(/LEDGER_DATA_DIR/);
    expect(existsSync(elsewhere), 'the data dir was created').to.equal(false);
  });

  it('token: without LEDGER_DATA_DIR uses the data dir npm start uses, never ./.data of the current directory', async () => {
    const { LEDGER_DATA_DIR: _unset, ...withoutDataDir } = env;
    const cwd = mkdtempSync(join(tmpdir(), 'ledger-cwd-'));
    const defaultDir = join(__dirname, '..', '..', '.data');
    const hubStartedThere = existsSync(join(defaultDir, 'keys', 'token-signing.pem'));
    const cli = await runCli(['token', '--region', 'BJ', '--role', 'auditor'], withoutDataDir, cwd);
    expect(existsSync(join(cwd, '.data')), './.data was created').to.equal(false);
    if (hubStartedThere) expect(cli.status, cli.stderr).to.equal(0);
    else {
      expect(cli.status).to.equal(2);
      expect(cli.stderr).to.include(join(defaultDir, 'keys', 'token-signing.pem'));
    }
  });

  it('errors go to stderr with a non-zero exit, never to stdout', async () => {
    const cases: [string[], number, RegExp][] = [
      [['token', '--region', 'XX', '--role', 'auditor'], 2, /unknown region "XX"/],
      [['export-proof', 'not-a-hash', '-o', join(work, 'x.json')], 2, /not a SHA-256/],
      [['dlq', 'show', '999999'], 1, /no dead letter 999999/],
      [['verify'], 2, /give a file or a SHA-256/],
    ];
    for (const [args, status, message] of cases) {
      const cli = await runCli(args, env);
      expect(cli.status, args.join(' ')).to.equal(status);
      expect(cli.stdout, args.join(' ')).to.equal('');
      expect(cli.stderr, args.join(' ')).to.match(message);
    }
  });

  it('dlq alone lists the dead letters', async () => {
    await t.publishRaw('legacy.BJ.EE.milestone', '{"not": "an envelope either"}', 'cli-dlq-alone');
    const [letter] = await t.waitFor('the dead letter mirrored', async () => {
      const stored = await t.hub.store.deadLetters.list({ limit: 1000 });
      const found = stored.filter((d) =>
        Buffer.from(d.payload).toString('utf8').includes('an envelope either'),
      );
      return found.length > 0 ? found : undefined;
    });
    const cli = await runCli(['dlq'], env);
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(new RegExp(`^#${letter!.streamSeq} `, 'm'));
  });

  it('export-proof: refuses a hash that matches several records, listing them; --id picks one', async () => {
    const shared = 'one permit, two milestones';
    for (const n of [960, 961]) {
      const record = milestone({ n, serial: n, system: 'export-test', document: shared });
      await t.publish(envelopeOf(record, 'milestone'));
    }
    await t.waitFor('both receipts', () =>
      t.receipts.filter((r) => r.recordId.startsWith('export-test:') && r.status === 'ANCHORED').length >= 2
        ? true
        : undefined,
    );
    const proof = join(work, 'shared.json');
    await t.waitFor('both anchored in the index', async () => {
      const answer = await t.api('POST', '/api/v1/verify', { body: { sha256: sha256Hex(shared) } });
      return (answer.body as { matches: unknown[] }).matches.length >= 2 ? true : undefined;
    });
    const refused = await runCli(['export-proof', sha256Hex(shared), '-o', proof], env);
    expect(refused.status).to.equal(2);
    expect(refused.stdout).to.equal('');
    expect(refused.stderr)
      .to.match(/matches 2 records/)
      .and.include('BJ-EE-export-test-960')
      .and.include('BJ-EE-export-test-961')
      .and.match(/--id/);
    expect(existsSync(proof), 'no bundle written').to.equal(false);
    const chosen = await runCli(
      ['export-proof', sha256Hex(shared), '-o', proof, '--id', 'BJ-EE-export-test-961'],
      env,
    );
    expect(chosen.status, chosen.stderr).to.equal(0);
    expect(chosen.stdout).to.include('BJ-EE-export-test-961');
  });

  it('import: publishes an export, dead-letters the bad line, waits for the receipts', async () => {
    const records = [1, 2, 3].map((n) =>
      milestone({ n: 800 + n, serial: 800 + n, system: 'import-test', document: `imported ${n}` }),
    );
    const lines = [
      ...records.map((r) => JSON.stringify(envelopeOf(r, 'milestone'))),
      '{"not": "an envelope"}',
    ];
    const file = join(work, 'export.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = await runCli(['import', file, '--wait', '--json'], env);
    expect(cli.status, cli.stdout + cli.stderr).to.equal(1);
    const summary = JSON.parse(cli.stdout) as {
      published: number;
      deadLettered: number;
      receipts: Record<string, number>;
    };
    expect(summary).to.deep.include({ published: 3, deadLettered: 1, receipts: { ANCHORED: 3 } });
    const again = JSON.parse((await runCli(['import', file, '--json'], env)).stdout) as {
      published: number;
      duplicates: number;
    };
    expect(again).to.include({ published: 0, duplicates: 3 });
  });

  it('verify: exit 0 for an anchored document against pinned trust (4 with nothing pinned), 1 for an unknown hash; export-proof and verify --bundle', async () => {
    const anchors = join(work, 'trust.txt');
    const exportedTrust = await runCli(['trust', 'export'], env);
    expect(exportedTrust.status, exportedTrust.stderr).to.equal(0);
    writeFileSync(anchors, exportedTrust.stdout);
    const document = join(work, 'permit.pdf');
    writeFileSync(document, 'imported 1');
    const unpinned = await runCli(['verify', document], env);
    expect(unpinned.status, unpinned.stdout).to.equal(4);
    expect(unpinned.stdout).to.match(/NOTHING PINNED/);
    const byFile = await runCli(['verify', document, '--trust', anchors], env);
    expect(byFile.status, byFile.stdout).to.equal(0);
    expect(byFile.stdout)
      .to.match(/VALID/)
      .and.match(/endorsed by BeijingMSP/)
      .and.not.match(/NOTHING PINNED/);
    const unknown = await runCli(['verify', sha256Hex('never anchored')], env);
    expect(unknown.status).to.equal(1);
    expect(unknown.stdout).to.match(/NOT ANCHORED/);

    const proof = join(work, 'proof.json');
    const exported = await runCli(['export-proof', sha256Hex('imported 2'), '-o', proof], env);
    expect(exported.status, exported.stdout).to.equal(0);
    expect(JSON.parse(readFileSync(proof, 'utf8'))).to.include({ format: 'approval-ledger/proof@1' });
    const offline = await runCli(['verify', '--bundle', proof, '--trust', anchors], env);
    expect(offline.status, offline.stdout).to.equal(0);
    expect(offline.stdout)
      .to.match(/\[ok\] transaction\.inclusion/)
      .and.match(/\[ok\] trust\.genesis/);
    const unpinnedBundle = await runCli(['verify', '--bundle', proof], env);
    expect(unpinnedBundle.status, unpinnedBundle.stdout).to.equal(4);
    expect(unpinnedBundle.stdout).to.match(/VALID — NOTHING PINNED/);
    // another ledger's anchors (its own block 0): the bundle is refused, naming the pinned genesis
    const foreign = join(work, 'foreign-trust.txt');
    writeFileSync(
      foreign,
      readFileSync(anchors, 'utf8').replace(/^genesis (\S+) [0-9a-f]{64}$/m, `genesis $1 ${'ab'.repeat(32)}`),
    );
    const refused = await runCli(['verify', '--bundle', proof, '--trust', foreign], env);
    expect(refused.status, refused.stdout).to.equal(2);
    expect(refused.stdout).to.match(/\[FAIL\] trust\.genesis: genesis hash [0-9a-f]{64} is not the pinned/);

    const forged = JSON.parse(readFileSync(proof, 'utf8')) as { record: { anchor: Record<string, unknown> } };
    forged.record.anchor.decision = 'REJECTED';
    writeFileSync(proof, JSON.stringify(forged));
    expect((await runCli(['verify', '--bundle', proof], env)).status).to.equal(2);
    expect((await runCli(['export-proof', sha256Hex('never anchored'), '-o', proof], env)).status).to.equal(
      1,
    );
  });

  it('reconcile: every version seen on LEGACY is anchored', async () => {
    await t.publish(envelopeOf(milestone({ n: 901, serial: 901, system: 'reconcile-test' }), 'milestone'));
    await t.waitFor('the receipt', () => t.receipts.find((r) => r.recordId === 'reconcile-test:R901:1'));
    const cli = await runCli(['reconcile', '--system', 'reconcile-test', '--json'], env);
    const report = JSON.parse(cli.stdout) as {
      ok: boolean;
      sources: { sourceSystem: string; seen: number }[];
    };
    expect(cli.status, cli.stdout).to.equal(0);
    expect(report.sources).to.have.length(1);
    expect(report.sources[0]).to.include({ sourceSystem: 'reconcile-test', seen: 1 });
  });

  it("reconcile: compares an adapter's own counters with the store and the receipts, and says where they disagree", async () => {
    const counters = (sent: number, receipted: number): string =>
      JSON.stringify({
        adapter: 'fake-adapter',
        sourceSystem: 'reconcile-test',
        updatedAt: new Date().toISOString(),
        read: sent,
        sent,
        receipted,
        unreceipted: sent - receipted,
        receiptStatuses: { ANCHORED: receipted, DUPLICATE: 0, CONFLICT: 0, REJECTED: 0 },
      });
    mkdirSync(join(t.dataDir, 'adapters'), { recursive: true });
    const file = join(t.dataDir, 'adapters', 'fake-adapter.counters.json');
    try {
      writeFileSync(file, counters(1, 1));
      const agreeing = await runCli(['reconcile', '--system', 'reconcile-test', '--json'], env);
      expect(agreeing.status, agreeing.stdout).to.equal(0);
      const report = JSON.parse(agreeing.stdout) as {
        adapters: { disagreements: string[]; store: unknown }[];
      };
      expect(report.adapters).to.have.length(1);
      expect(report.adapters[0]).to.deep.include({ disagreements: [], store: { seen: 1, anchored: 1 } });

      writeFileSync(file, counters(3, 2));
      const text = await runCli(['reconcile', '--system', 'reconcile-test'], env);
      expect(text.status, text.stdout).to.equal(1);
      expect(text.stdout).to.include('DISAGREE: the adapter sent 3 records, the hub saw 1 on LEGACY');
      expect(text.stdout).to.include('DISAGREE: 1 records sent have no receipt at the adapter yet');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
