import { expect } from 'chai';
import { addTotals, StageBudget, threadCpuNs } from './stage-budget';

/** Keeps the thread busy for about `ms` of wall time. */
function spin(ms: number): number {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until) n++;
  return n;
}

describe('stage budget', () => {
  it("charges a synchronous step to its stage, and counts it in the thread's total", () => {
    const budget = new StageBudget();
    const before = threadCpuNs();
    expect(budget.time('work', () => spin(40))).to.be.above(0);
    budget.add('other', 5);
    const totals = budget.totals();
    expect(totals.work, 'a busy step uses CPU').to.be.above(0);
    expect(totals.other).to.equal(5);
    expect(totals.thread).to.be.at.least(totals.work ?? 0);
    expect(threadCpuNs() - before).to.be.at.least(totals.work ?? 0);
  });

  it('starts afresh on reset, and adds totals stage by stage', () => {
    const budget = new StageBudget();
    budget.add('a', 10);
    budget.reset();
    expect(budget.totals()).to.not.have.property('a');
    expect(addTotals({ a: 1, b: 2 }, { b: 3, c: 4 })).to.deep.equal({ a: 1, b: 5, c: 4 });
  });
});
