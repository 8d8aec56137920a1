import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageBudget } from './stage-budget';

/** Burns `ms` of CPU (by process.cpuUsage: a loaded machine's clock would count time spent waiting for a core). */
function spin(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
    const used = process.cpuUsage(start);
    if (used.user + used.system >= ms * 1000) return;
  }
}

describe('StageBudget', () => {
  it('counts the CPU of a synchronous section to its stage', () => {
    const budget = StageBudget.onThisThread();
    try {
      budget.sync('decode', () => spin(120));
      const { stages } = budget.snapshot();
      // schedstat moves at scheduler ticks (at most a few ms), so 120 ms of spinning reads as most of it
      expect(stages.decode.cpuUs).to.be.greaterThan(60_000);
      expect(stages.decode.sections).to.equal(1);
      expect(stages.store.cpuUs).to.equal(0);
    } finally {
      budget.close();
    }
  });

  it('measures one sampled section in every few and counts it for all of them', () => {
    const budget = StageBudget.onThisThread();
    try {
      let ran = 0;
      const before = budget.snapshot().overheadUs;
      for (let i = 0; i < 12; i++) budget.sampled('decode', 4, () => (spin(10), ran++));
      const { stages, overheadUs } = budget.snapshot();
      expect(ran, 'every section runs its work').to.equal(12);
      // three measured sections of 10 ms, each counted four times: about 120 ms
      expect(stages.decode.sections).to.equal(12);
      expect(stages.decode.cpuUs).to.be.within(60_000, 180_000);
      // readings of /proc: the start's two, each snapshot's two and two per measured section (not per section:
      // that would be 30); the overhead is readings times the cost of one, and `before` was four
      expect((overheadUs / before) * 4).to.be.closeTo(12, 0.001);
      expect(stages.canonicalise.sections).to.equal(0);
    } finally {
      budget.close();
    }
  });

  it('never counts the same CPU twice when asynchronous sections overlap', async () => {
    const budget = StageBudget.onThisThread();
    try {
      const before = budget.snapshot().threadCpuUs;
      await budget.async('store', async () => {
        spin(60);
        await budget.async('ledger', async () => {
          await new Promise((resolve) => setImmediate(resolve));
          spin(60);
        });
        spin(60);
      });
      const after = budget.snapshot();
      const claimed = after.stages.store.cpuUs + after.stages.ledger.cpuUs;
      expect(claimed).to.be.at.most(after.threadCpuUs - before + 1);
      expect(after.stages.ledger.cpuUs).to.be.greaterThan(20_000);
      expect(after.stages.store.cpuUs).to.be.greaterThan(60_000);
    } finally {
      budget.close();
    }
  });

  it('counts the bytes the thread writes within a section when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-budget-'));
    const budget = StageBudget.onThisThread();
    try {
      budget.sync('store', () => writeFileSync(join(dir, 'f'), Buffer.alloc(64 * 1024)), true);
      budget.sync('acks', () => writeFileSync(join(dir, 'g'), Buffer.alloc(1024)));
      const { stages } = budget.snapshot();
      expect(stages.store.bytes).to.be.at.least(64 * 1024);
      expect(stages.acks.bytes).to.equal(0); // bytes not asked for
    } finally {
      budget.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures nothing when off, and still runs the work', async () => {
    let ran = 0;
    StageBudget.off.sync('decode', () => ran++);
    await StageBudget.off.async('store', () => Promise.resolve(ran++));
    const snapshot = StageBudget.off.snapshot();
    expect(ran).to.equal(2);
    expect(snapshot.threadCpuUs).to.equal(0);
    expect(snapshot.stages.decode.sections).to.equal(0);
  });
});
