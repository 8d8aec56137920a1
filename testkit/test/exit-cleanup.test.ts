import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sweepAbandonedTempDirs } from '../src/temp-dir';
import { diesWithin } from './process-state';

interface Report {
  nats: { pid: number; dir: string };
  mariadb: { pid: number; dir: string };
}

const FIXTURE = join(__dirname, 'fixtures', 'start-servers.ts');

/** Runs the fixture under ts-node; resolves with the child and a reader of its JSON output lines. */
function runFixture(mode: string): { child: ChildProcess; nextLine: () => Promise<unknown> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', FIXTURE, mode], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done === true) throw new Error('fixture ended without printing a line');
    return JSON.parse(line.value) as unknown;
  };
  return { child, nextLine };
}

function exitOf(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve([child.exitCode, child.signalCode]);
  return once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
}

async function expectServersDead(report: Report): Promise<void> {
  expect(await diesWithin(report.nats.pid, 5000), 'nats-server is dead').to.be.true;
  expect(await diesWithin(report.mariadb.pid, 5000), 'mariadbd is dead').to.be.true;
}

describe('servers do not outlive the test process', function () {
  this.timeout(60_000);

  it('kills them and removes their temp dirs when the process ends without stopping them', async () => {
    const { child, nextLine } = runFixture('return');
    const report = (await nextLine()) as Report;
    expect(await exitOf(child)).to.deep.equal([0, null]);
    await expectServersDead(report);
    expect(existsSync(report.nats.dir)).to.be.false;
    expect(existsSync(report.mariadb.dir)).to.be.false;
  });

  it('kills them on SIGINT when nothing else handles it, then dies of the signal', async () => {
    const { child, nextLine } = runFixture('wait');
    const report = (await nextLine()) as Report;
    child.kill('SIGINT');
    expect(await exitOf(child)).to.deep.equal([null, 'SIGINT']);
    await expectServersDead(report);
    expect(existsSync(report.nats.dir)).to.be.false;
  });

  it('leaves SIGINT to an application that handles it, so it can stop its servers gracefully', async () => {
    const { child, nextLine } = runFixture('own-sigint-handler');
    const report = (await nextLine()) as Report;
    await nextLine(); // handler installed
    child.kill('SIGINT');
    expect(await nextLine()).to.deep.equal({ graceful: true });
    expect(await exitOf(child)).to.deep.equal([0, null]);
    await expectServersDead(report);
  });

  it('kills them even when the process is killed with SIGKILL (setpriv --pdeathsig)', async () => {
    const { child, nextLine } = runFixture('wait');
    const report = (await nextLine()) as Report;
    child.kill('SIGKILL');
    await exitOf(child);
    try {
      await expectServersDead(report);
      // no handler runs on SIGKILL: the temp dirs stay behind until the next testkit process sweeps them
      expect(existsSync(report.nats.dir)).to.be.true;
      await sweepAbandonedTempDirs();
      expect(existsSync(report.nats.dir)).to.be.false;
      expect(existsSync(report.mariadb.dir)).to.be.false;
    } finally {
      await rm(report.nats.dir, { recursive: true, force: true });
      await rm(join(report.mariadb.dir, '..'), { recursive: true, force: true });
    }
  });
});
