/**
 * `npm start` (scripts/start.mjs) keeps the system up: kill -9 of its nats-server or of the hub is logged and
 * the service restarted, the rest going on; two instances with their own data dirs and ports run side by side
 * (the adapters' configured ports taken by the first, the second listens on free ones); SIGTERM stops
 * everything it started.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { waitFor } from './support/test-hub';

const root = join(__dirname, '..', '..');

interface Instance {
  readonly dataDir: string;
  readonly port: number;
  readonly child: ChildProcess;
  output: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Pids of the processes whose command line contains `text` (this machine's /proc, via pgrep). */
function pidsWith(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function natsPid(instance: Instance): number | undefined {
  return pidsWith(`nats-server .*-sd ${join(instance.dataDir, 'nats')}`)[0];
}

function hubRuntime(instance: Instance): { url: string; pid: number } | undefined {
  try {
    return JSON.parse(readFileSync(join(instance.dataDir, 'hub', 'runtime.json'), 'utf8')) as {
      url: string;
      pid: number;
    };
  } catch {
    return undefined;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).ok;
  } catch {
    return false;
  }
}

describe('npm start supervises the system', function () {
  this.timeout(600_000);
  const instances: Instance[] = [];

  async function start(reuseDataDir?: string): Promise<Instance> {
    const dataDir = reuseDataDir ?? mkdtempSync(join(tmpdir(), 'npm-start-'));
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        LEDGER_DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        LEDGER_ANCHOR_SECONDS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance: Instance = { dataDir, port, child, output: '' };
    child.stdout?.on('data', (d: Buffer) => (instance.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (instance.output += d.toString()));
    instances.push(instance);
    await waitFor(
      'npm start to print its banner',
      () =>
        instance.output.includes('approval-ledger is running')
          ? true
          : child.exitCode !== null
            ? Promise.reject(new Error(`start exited ${child.exitCode}: ${instance.output.slice(-3000)}`))
            : undefined,
      240_000,
    );
    return instance;
  }

  after(async () => {
    for (const instance of instances) {
      if (instance.child.exitCode === null) instance.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const instance of instances) {
      if (instance.child.exitCode === null) await new Promise((r) => instance.child.once('exit', r));
      rmSync(instance.dataDir, { recursive: true, force: true });
    }
  });

  let first: Instance;
  let second: Instance;

  it('prints what runs where and how to get a token for each role', async () => {
    first = await start();
    const runtime = hubRuntime(first);
    expect(runtime?.url).to.equal(`http://127.0.0.1:${first.port}`);
    const banner = first.output.slice(first.output.indexOf('approval-ledger is running'));
    expect(banner).to.contain(`explorer   http://127.0.0.1:${first.port}/`);
    expect(banner).to.match(/nats:\/\/127\.0\.0\.1:\d+ \(JetStream/);
    const adapters = ['hc-mysql', 'drc-csv', 'eia-soap', 'credit-webhook'];
    // Tianjin's and Hebei's own legacy systems, and the authorities working through the API
    const regional = ['drc-csv', 'eia-soap', 'credit-webhook'].flatMap((a) => [`${a}-tj`, `${a}-he`]);
    for (const adapter of [...adapters, ...regional]) {
      expect(banner).to.match(new RegExp(`${adapter} +http://127\\.0\\.0\\.1:\\d+/healthz`));
    }
    expect(banner).to.match(/authorities +ledger authority-sim/);
    for (const role of ['auditor', 'approver', 'authority', 'admin']) {
      expect(banner).to.contain(`--role ${role}`);
    }
    expect(banner).to.contain(`LEDGER_DATA_DIR=${first.dataDir} npx ledger token`);
    for (const region of ['BJ', 'TJ', 'HE']) {
      expect(banner).to.match(new RegExp(`witness ${region} http://127\\.0\\.0\\.1:\\d+`));
    }
    // the hub's log is checkpointed and cosigned by Tianjin's and Hebei's witnesses (10 s by default)
    let note = '';
    for (let i = 0; i < 60 && !/he\.approval-ledger\.example\/witness/.test(note); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      note = await (await fetch(`${runtime!.url}/api/v1/checkpoints/latest`)).text();
    }
    expect(note).to.match(/^bj\.approval-ledger\.example\/log\/[0-9a-f]{8}\n\d+\n/);
    expect(note).to.match(/\n\u2014 tj\.approval-ledger\.example\/witness \S+\n/u);
    expect(note).to.match(/\n\u2014 he\.approval-ledger\.example\/witness \S+\n/u);
    expect(banner).to.match(
      /EVM +http:\/\/127\.0\.0\.1:\d+ \(anvil, chain 31337, state .*anvil\/state\.json\)/,
    );
    await waitFor(
      'the authorities’ first recognition request',
      () => (/\[authority-sim\] (TJ|HE|BJ) asks to recognise/.test(first.output) ? true : undefined),
      120_000,
    );
  });

  it('a second instance with its own data dir and port runs beside the first', async () => {
    second = await start();
    expect(await healthy(`http://127.0.0.1:${first.port}`)).to.equal(true);
    expect(await healthy(`http://127.0.0.1:${second.port}`)).to.equal(true);
    const health = (i: Instance, name: string): string =>
      (
        JSON.parse(readFileSync(join(i.dataDir, 'adapters', `${name}.runtime.json`), 'utf8')) as {
          healthUrl: string;
        }
      ).healthUrl;
    for (const name of ['hc-mysql', 'credit-webhook']) {
      expect(health(second, name)).to.not.equal(health(first, name));
      expect((await fetch(`${health(second, name)}/healthz`)).status).to.be.oneOf([200, 503]);
    }
    expect(second.child.exitCode).to.equal(null);
    expect(natsPid(second)).to.not.equal(natsPid(first));
  });

  it('restarts a nats-server killed with SIGKILL, and the hub answers again', async () => {
    const before = natsPid(first);
    expect(before, 'the instance runs its own nats-server').to.be.a('number');
    process.kill(before as number, 'SIGKILL');
    const after = await waitFor(
      'a new nats-server',
      () => {
        const pid = natsPid(first);
        return pid !== undefined && pid !== before ? pid : undefined;
      },
      30_000,
    );
    expect(after).to.not.equal(before);
    expect(first.output).to.match(/\[start\] nats-server exited \(SIGKILL\)[^\n]*restarting in/);
    await waitFor('the hub to answer', async () =>
      (await healthy(hubRuntime(first)!.url)) ? true : undefined,
    );
    expect(first.child.exitCode).to.equal(null);
  });

  it('restarts a hub killed with SIGKILL; the adapters and nats-server go on', async () => {
    const before = hubRuntime(first)!.pid;
    const nats = natsPid(first);
    const logBefore = await tlogStatus(hubRuntime(first)!.url);
    process.kill(before, 'SIGKILL');
    await waitFor(
      'a new hub',
      async () => {
        const runtime = hubRuntime(first);
        return runtime && runtime.pid !== before && (await healthy(runtime.url)) ? true : undefined;
      },
      120_000,
    );
    expect(first.output).to.match(/\[start\] hub exited \(SIGKILL\)[^\n]*restarting in/);
    expect(natsPid(first)).to.equal(nats);
    // the restarted hub continues the same log: its next checkpoint is one both witnesses accept as an
    // extension of what they cosigned before the kill (they refuse anything else)
    const logAfter = await waitFor(
      'a checkpoint after the restart, cosigned by both witnesses',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500)); // the route is rate limited
        const status = await tlogStatus(hubRuntime(first)!.url);
        const grown = (status.checkpoint?.size ?? 0) > (logBefore.checkpoint?.size ?? 0);
        return grown && status.checkpoint?.cosignedBy.length === 2 ? status : undefined;
      },
      120_000,
    );
    expect(logAfter.origin).to.equal(logBefore.origin);
    expect(first.child.exitCode).to.equal(null);
  });

  let anchored: { anchor: { txHash: string; checkpoint: { size: number } }; cosignedBy: string[] };

  it('anchors a cosigned checkpoint to its own anvil', async () => {
    anchored = await waitFor(
      'an anchor of a checkpoint cosigned by both witnesses',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const res = await fetch(`${hubRuntime(first)!.url}/api/v1/anchors/latest`);
        const body = res.ok ? ((await res.json()) as typeof anchored) : undefined;
        return body && body.cosignedBy.length === 2 ? body : undefined;
      },
      120_000,
    );
    expect(anchored.anchor.txHash).to.match(/^0x[0-9a-f]{64}$/);
  });

  it('SIGTERM stops every service it started', async () => {
    for (const instance of [first, second]) {
      instance.child.kill('SIGTERM');
      const code = await new Promise((resolve) => instance.child.once('exit', resolve));
      expect(code).to.equal(0);
      expect(pidsWith(instance.dataDir), `processes left of ${instance.dataDir}`).to.deep.equal([]);
    }
  });
});

describe('npm start keeps its anchors across a restart', function () {
  this.timeout(600_000);
  // (the previous suite's first instance is gone by now; this one starts, anchors, stops and starts again)
  it('a restarted npm start serves the same anchors, and its anvil still has them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-anchors-'));
    const run = async (): Promise<{ child: ChildProcess; url: string; output: () => string }> => {
      let output = '';
      const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
        cwd: root,
        env: {
          ...process.env,
          LEDGER_DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'warn',
          LEDGER_ANCHOR_SECONDS: '2',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      await waitFor(
        'the banner',
        () => (output.includes('approval-ledger is running') ? true : undefined),
        240_000,
      );
      return {
        child,
        url: JSON.parse(readFileSync(join(dataDir, 'hub', 'runtime.json'), 'utf8')).url,
        output: () => output,
      };
    };
    const stop = async (child: ChildProcess): Promise<void> => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    };
    try {
      let running = await run();
      const latest = await waitFor(
        'an anchor',
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          const res = await fetch(`${running.url}/api/v1/anchors/latest`);
          return res.ok ? ((await res.json()) as { anchor: { txHash: string } }) : undefined;
        },
        120_000,
      );
      await stop(running.child);
      running = await run();
      const page = (await (await fetch(`${running.url}/api/v1/anchors?limit=100`)).json()) as {
        anchors: { anchor: { txHash: string } }[];
      };
      expect(page.anchors.map((a) => a.anchor.txHash)).to.include(latest.anchor.txHash);
      const rpc = /EVM +(http:\/\/127\.0\.0\.1:\d+)/.exec(running.output())![1]!;
      const receipt = (await (
        await fetch(rpc, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'eth_getTransactionReceipt',
            params: [latest.anchor.txHash],
          }),
        })
      ).json()) as { result: { status: string } | null };
      expect(receipt.result?.status).to.equal('0x1');
      await stop(running.child);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

interface TlogStatusView {
  origin: string;
  checkpoint: { size: number; cosignedBy: string[] } | null;
}

async function tlogStatus(url: string): Promise<TlogStatusView> {
  return (await (await fetch(`${url}/api/v1/checkpoints/status`)).json()) as TlogStatusView;
}
