// `ledger registry` through the real CLI process on the embedded engine: status says what is missing (exit 1),
// seed writes it, a second seed writes nothing and says so, status is then ready (exit 0), and bad input names
// the field and its rule.
import { expect } from 'chai';
import { runCli } from './support/cli';
import { TempDirs } from './support/temp-dirs';

describe('ledger registry (CLI)', function () {
  this.timeout(180_000);
  const dirs = new TempDirs();
  let env: NodeJS.ProcessEnv;

  before(() => {
    env = { ...process.env, LEDGER_DATA_DIR: dirs.make('registry-cli-'), LEDGER_BACKEND: 'embedded' };
  });
  after(() => dirs.removeAll());

  it('status: names what a fresh ledger lacks and the command that fixes it (exit 1)', async () => {
    const { status, stdout } = await runCli(['registry', 'status', '--region', 'BJ'], env);
    expect(stdout).to.match(/missing: the issuer registry of BJ is empty/);
    expect(stdout).to.include('npx ledger registry seed --region BJ');
    expect(status).to.equal(1);
  });

  it('seed: writes the grants and a signer once; run again it changes nothing and says so', async () => {
    const first = await runCli(['registry', 'seed', '--region', 'BJ'], env);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/^written +grant BJ\/DRC/m);
    expect(first.stdout).to.match(/^written +signer BJ\/0x/m);
    const second = await runCli(['registry', 'seed', '--region', 'BJ', '--json'], env);
    expect(second.status, second.stderr).to.equal(0);
    const report = JSON.parse(second.stdout) as { written: number; changes: { outcome: string }[] };
    expect(report.written).to.equal(0);
    expect(report.changes.every((c) => c.outcome === 'unchanged')).to.equal(true);
    const status = await runCli(['registry', 'status', '--region', 'BJ'], env);
    expect(status.stdout).to.match(/ready: nothing missing/);
    expect(status.status).to.equal(0);
  });

  it('grant: writes a grant once, and refuses an unknown stage naming the field', async () => {
    const args = [
      'registry',
      'grant',
      '--region',
      'BJ',
      '--dept',
      'HC',
      '--valid-from',
      '2025-01-01T00:00:00+08:00',
    ];
    const first = await runCli(args, env);
    expect(first.stdout, first.stderr).to.match(/^written +grant BJ\/HC from 2025-01-01/m);
    expect((await runCli(args, env)).stdout).to.match(/^unchanged grant BJ\/HC from 2025-01-01/m);
    const bad = await runCli([...args, '--stages', 'NOT_A_STAGE'], env);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.match(/^stages\.0: /m);
  });

  it('signer add: refuses a malformed address, naming the field', async () => {
    const { status, stderr } = await runCli(
      ['registry', 'signer', 'add', '--region', 'TJ', '--address', '0x12', '--name', '天津官员'],
      env,
    );
    expect(status).to.equal(1);
    expect(stderr).to.match(/^address: /m);
  });
});
