/**
 * The hub's worker threads name themselves (engine `nameThisThread`), so `top -H`, `ps -L` and the ingest
 * bench's per-thread budget (`threadUseByName`) can tell the endorser from the chain index's writer, the WAL
 * checkpointers and V8's own helpers: a running hub with one endorsement worker shows each name, and a worker
 * that burns CPU under its name gets that CPU in its group, not in another.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { threadUseByName, threadUses, UNNAMED_THREADS } from '../src/bench/bench-support';
import { startTestHub } from './support/test-hub';

/** The names of this process's live threads (one that exits while they are read is left out). */
function threadNames(): string[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return [readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim()];
    } catch {
      return [];
    }
  });
}

describe('thread names: every worker of a running hub says what it is', function () {
  this.timeout(120_000);

  before(function () {
    if (process.platform !== 'linux') this.skip(); // thread names are read from /proc
  });

  it('names the endorser, the chain index writer and one WAL checkpointer per database', async () => {
    const t = await startTestHub({ env: { LEDGER_ENDORSEMENT_WORKERS: '1' } });
    try {
      const names = threadNames();
      for (const name of ['endorser', 'chain-index', 'wal:offchain', 'wal:ledger', 'wal:chain-index'])
        expect(names, name).to.include(name);
    } finally {
      await t.stop();
    }
    // a stopped hub leaves none of its workers behind
    expect(threadNames()).to.not.include.members(['endorser', 'chain-index', 'wal:offchain']);
  });

  it("sums a named worker's CPU under its name, and unnamed threads apart from the main thread", async () => {
    const engineThreadName = require.resolve('@approval-ledger/fabric-engine/thread-name');
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       require(${JSON.stringify(engineThreadName)}).nameThisThread('busy-test');
       // on, not once: a listener keeps the worker (and its thread) alive until terminated
       parentPort.on('message', () => {
         const until = Date.now() + 300;
         while (Date.now() < until);
         parentPort.postMessage('done');
       });`,
      { eval: true },
    );
    const idle = new Worker(`setTimeout(() => {}, 2000)`, { eval: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // both started and named
      const before = threadUses(process.pid);
      worker.postMessage('go');
      await new Promise((resolve) => worker.once('message', resolve));
      const groups = threadUseByName(process.pid, before, threadUses(process.pid));
      // 300 ms of spinning: /proc counts in 10 ms ticks
      expect(groups.get('busy-test')?.cpuUs ?? 0, JSON.stringify([...groups])).to.be.at.least(200_000);
      expect(groups.has('main')).to.equal(true);
      expect(groups.has(UNNAMED_THREADS)).to.equal(true);
      expect(groups.get(UNNAMED_THREADS)?.cpuUs ?? 0).to.be.below(150_000);
    } finally {
      await Promise.all([worker.terminate(), idle.terminate()]);
    }
  });
});
