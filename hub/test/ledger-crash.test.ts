// kill -9 at random moments: a child process streams transactions into the embedded ledger and is SIGKILLed
// again and again (during start-up, block cutting, commits), restarted each time, every other time with its
// endorsement in worker threads. After every kill the chain
// must verify with block numbers contiguous, every restart must carry on committing from where the chain
// was, and at the end the real `ledger verify-chain` CLI must accept the chain.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { verifyChain } from '@approval-ledger/fabric-engine';
import { embeddedLedgerPaths } from '../src/ledger/embedded/ledger-paths';
import { TempDirs } from './support/temp-dirs';

const HUB = join(__dirname, '..');
const WRITER = join(__dirname, 'fixtures', 'ledger-writer.ts');
const CLI = join(HUB, 'src', 'cli', 'ledger.ts');
const KILLS = 12;

interface Run {
  readonly child: ChildProcess;
  startedHeight?: number;
  commits: number[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForCommits(count: number, timeoutMs: number): Promise<void>;
}

function nodeWithTs(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): [string, string[], { cwd: string; env: NodeJS.ProcessEnv }] {
  return [
    process.execPath,
    ['-r', 'ts-node/register', script, ...args],
    { cwd: HUB, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', ...env } },
  ];
}

/** A writer; with `workers`, its engine endorses in that many worker threads (killed with it). */
function startWriter(dataDir: string, workers = 0): Run {
  const [command, args, options] = nodeWithTs(WRITER, [], {
    LEDGER_DATA_DIR: dataDir,
    WRITER_INFLIGHT: '8',
    LEDGER_ENDORSEMENT_WORKERS: String(workers),
  });
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const waiters: (() => void)[] = [];
  const run: Run = {
    child,
    commits: [],
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    waitForCommits(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`writer made ${run.commits.length} commits in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = (): void => {
          if (run.commits.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(stderr);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { started?: boolean; height?: number; committed?: number };
    if (message.started) run.startedHeight = message.height;
    if (message.committed !== undefined) run.commits.push(message.committed);
    for (const wake of waiters.splice(0)) wake();
  });
  return run;
}

function blockNumbers(database: string): number[] {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT number FROM blocks ORDER BY number').all() as { number: number }[]).map(
      (r) => r.number,
    );
  } finally {
    db.close();
  }
}

const randomMs = (max: number): number => Math.floor(Math.random() * max);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded ledger under kill -9', function () {
  this.timeout(300_000);
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  it(`keeps a verifiable, contiguous chain that carries on after ${KILLS} kills at random moments`, async () => {
    const dataDir = dirs.make('ledger-crash-');
    const { database } = embeddedLedgerPaths(dataDir);
    let lastHeight = 0;
    for (let round = 0; round < KILLS; round++) {
      const run = startWriter(dataDir, round % 2);
      if (round % 4 === 1) {
        await sleep(randomMs(2500)); // anywhere, start-up included
      } else {
        await run.waitForCommits(3, 60_000);
        await sleep(randomMs(400));
      }
      run.child.kill('SIGKILL');
      const exit = await run.exited;
      expect(exit.signal, `round ${round}: the writer exited by itself (${String(exit.code)})`).to.equal(
        'SIGKILL',
      );

      if (run.startedHeight !== undefined) {
        expect(run.startedHeight, `round ${round} restarted below the chain`).to.be.at.least(lastHeight);
        for (const block of run.commits) expect(block).to.be.at.least(run.startedHeight);
      }
      const numbers = blockNumbers(database);
      expect(numbers, `round ${round}: block numbers are contiguous`).to.deep.equal(numbers.map((_, i) => i));
      const verification = verifyChain(database);
      expect(verification.ok, `round ${round}: ${JSON.stringify(verification.firstBadBlock)}`).to.equal(true);
      lastHeight = verification.height;
    }

    const final = startWriter(dataDir);
    await final.waitForCommits(5, 60_000);
    final.child.kill('SIGTERM');
    expect((await final.exited).code).to.equal(0);
    expect(Math.min(...final.commits)).to.be.at.least(lastHeight);

    const [command, args, options] = nodeWithTs(CLI, ['verify-chain', '--json'], {
      LEDGER_DATA_DIR: dataDir,
    });
    const cli = spawnSync(command, args, { ...options, encoding: 'utf8' });
    expect(cli.status, cli.stderr).to.equal(0);
    const result = JSON.parse(cli.stdout) as { ok: boolean; verifiedBlocks: number; height: number };
    expect(result.ok).to.equal(true);
    expect(result.verifiedBlocks).to.equal(result.height);
    expect(result.height).to.be.greaterThan(lastHeight);
    expect(blockNumbers(database)).to.have.length(result.height);
  });
});
