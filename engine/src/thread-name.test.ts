import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { nameThisThread } from './thread-name';

/** The names of this process's threads other than the main one, from /proc. */
function workerThreadNames(): string[] {
  return readdirSync('/proc/self/task')
    .filter((tid) => Number(tid) !== process.pid)
    .map((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim());
}

describe('nameThisThread', () => {
  before(function () {
    if (process.platform !== 'linux') this.skip(); // names live in /proc on Linux only
  });

  it('names a worker thread as the OS shows it, cut to the 15 bytes Linux keeps', async () => {
    const source = `
      require(${JSON.stringify(require.resolve('ts-node/register'))});
      const { nameThisThread } = require(${JSON.stringify(require.resolve('./thread-name'))});
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage(nameThisThread('al-test-worker-名-with-a-long-tail'));
      parentPort.once('message', () => parentPort.close());`;
    const worker = new Worker(source, { eval: true });
    try {
      const named = await new Promise<boolean>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(named).to.equal(true);
      expect(workerThreadNames()).to.include('al-test-worker-');
    } finally {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });

  it('names the calling thread only', () => {
    const before = readFileSync(`/proc/self/task/${process.pid}/comm`, 'utf8').trim();
    const others = workerThreadNames();
    try {
      expect(nameThisThread('al-main-test')).to.equal(true);
      expect(readFileSync(`/proc/self/task/${process.pid}/comm`, 'utf8').trim()).to.equal('al-main-test');
      expect(workerThreadNames()).to.deep.equal(others);
    } finally {
      nameThisThread(before);
    }
  });

  it('refuses a name with nothing printable in it', () => {
    expect(() => nameThisThread(' \n')).to.throw(TypeError, /printable/);
  });
});
