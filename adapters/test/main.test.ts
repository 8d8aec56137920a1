import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type NatsConnection } from '@nats-io/transport-node';
import { useNatsServer } from '@approval-ledger/testkit';
import { PACKAGE_DIR } from '../src/core/adapter-config';
import { SIMULATED_SYSTEMS, regionalConfigPath } from '../src/simulated-systems';
import { connectTest, storedMessages, waitFor } from './support/jetstream-reader';

/** The shipped configs of every region with every port free-chosen, so that a running `npm start` does not collide. */
async function configsOnFreePorts(dir: string): Promise<void> {
  for (const { adapter: name, region } of SIMULATED_SYSTEMS) {
    const shipped = regionalConfigPath(name, region, {});
    const target = regionalConfigPath(name, region, { ADAPTERS_CONFIG_DIR: dir });
    await mkdir(dirname(target), { recursive: true });
    const config = JSON.parse(await readFile(shipped, 'utf8')) as Record<string, unknown> & {
      health: Record<string, unknown>;
      webhook?: Record<string, unknown>;
      soap?: Record<string, unknown>;
    };
    config.health = { ...config.health, port: 0 };
    if (config.webhook) config.webhook = { ...config.webhook, port: 0 };
    if (config.soap) config.soap = { ...config.soap, endpoint: 'http://127.0.0.1:0/services/ApprovalQuery' };
    if ('pollIntervalMs' in config) config.pollIntervalMs = 200;
    await writeFile(target, JSON.stringify(config));
  }
}

describe("main.js --all (each region's adapters in their own processes, against their simulators)", function () {
  this.timeout(360_000);
  const nats = useNatsServer();
  let nc: NatsConnection;
  let dataDir: string;

  before(async () => {
    nc = await connectTest(nats().url);
    dataDir = await mkdtemp(join(tmpdir(), 'adapters-all-'));
  });
  after(async () => {
    await nc.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts Beijing's four and Tianjin's and Hebei's three against their simulators, data flows at once, and SIGTERM stops everything cleanly", async () => {
    const configDir = join(dataDir, 'config');
    await configsOnFreePorts(configDir);
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register', join(PACKAGE_DIR, 'src', 'main.ts'), '--all'],
      {
        cwd: PACKAGE_DIR,
        env: {
          ...process.env,
          TS_NODE_TRANSPILE_ONLY: '1',
          NATS_URL: nats().url,
          LEDGER_DATA_DIR: dataDir,
          ADAPTERS_CONFIG_DIR: configDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const systems = [
        'bj-hc-sgxk',
        'bj-drc-filing',
        'bj-ee-eia',
        'bj-credit',
        'tj-drc-filing',
        'tj-ee-eia',
        'tj-credit',
        'he-drc-filing',
        'he-ee-eia',
        'he-credit',
      ];
      // ten processes each compiling TypeScript (ts-node) and a MariaDB: minutes on 2 busy cores
      await waitFor(
        async () =>
          new Set(
            (await storedMessages(nc, 'LEGACY')).map(
              (m) => m.json<{ source: { system: string } }>().source.system,
            ),
          ),
        (seen) => systems.every((s) => seen.has(s)),
        'envelopes from all ten simulated systems',
        240_000,
      );
      expect(said(output, 'hc-mysql', 'simulated permit database: MariaDB')).to.equal(true);
      expect(said(output, 'drc-csv', 'simulated DRC export job')).to.equal(true);
      expect(said(output, 'eia-soap', 'simulated EIA SOAP 1.1 service')).to.equal(true);
      expect(said(output, 'credit-webhook', 'simulated credit centre')).to.equal(true);
      expect(said(output, 'credit-webhook', join(dataDir, 'secrets', 'credit-webhook.secret'))).to.equal(
        true,
      );
      expect(
        said(output, 'credit-webhook-tj', join(dataDir, 'secrets', 'credit-webhook-tj.secret')),
      ).to.equal(true);
      expect(said(output, 'eia-soap-he', 'simulated EIA SOAP 1.1 service')).to.equal(true);
      expect(said(output, 'hc-mysql', /^running: health http:\/\/127\.0\.0\.1:\d+\/healthz/)).to.equal(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0, output.slice(-2000));
    expect(said(output, 'adapters', 'stopped')).to.equal(true);
    for (const { instance } of SIMULATED_SYSTEMS)
      expect(said(output, instance, 'stopped'), instance).to.equal(true);
  });
});

/** Whether a JSON log line of `service` (pino, as the adapters log) has a message containing or matching `text`. */
function said(output: string, service: string, text: string | RegExp): boolean {
  return output.split('\n').some((line) => {
    if (!line.startsWith('{')) return false;
    const entry = JSON.parse(line) as { service?: string; msg?: string };
    if (entry.service !== service || entry.msg === undefined) return false;
    return typeof text === 'string' ? entry.msg.includes(text) : text.test(entry.msg);
  });
}
