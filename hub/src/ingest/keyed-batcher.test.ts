import { expect } from 'chai';
import { Capacity } from './capacity';
import { KeyedBatcher } from './keyed-batcher';

describe('KeyedBatcher', () => {
  it('hands a key’s items over when full, and the rest after the wait, per key', async () => {
    const batches: [string, number[]][] = [];
    const batcher = new KeyedBatcher<number>(
      { maxSize: (k) => (k === 'a' ? 3 : 100), maxWaitMs: 20 },
      (key, items) => {
        batches.push([key, items]);
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 7; i++) batcher.add('a', i);
    batcher.add('b', 99);
    expect(batches).to.deep.equal([
      ['a', [0, 1, 2]],
      ['a', [3, 4, 5]],
    ]);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches.slice(2)).to.have.deep.members([
      ['a', [6]],
      ['b', [99]],
    ]);
  });

  it('hands every key’s waiting items over together when the oldest has waited maxWaitMs', async () => {
    const batches: { key: string; items: number[]; at: number; tick: number }[] = [];
    const started = performance.now();
    let tick = 0;
    const ticking = setInterval(() => tick++, 1);
    const batcher = new KeyedBatcher<number>({ maxSize: () => 100, maxWaitMs: 60 }, (key, items) => {
      batches.push({ key, items, at: performance.now() - started, tick });
      return Promise.resolve();
    });
    batcher.add('a', 1);
    await new Promise((r) => setTimeout(r, 30));
    batcher.add('b', 2);
    batcher.add('a', 3);
    await new Promise((r) => setTimeout(r, 100));
    clearInterval(ticking);
    expect(batches.map((b) => [b.key, b.items])).to.deep.equal([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
    // one timer, armed by the first item: 'b' went with 'a' although it had waited only half as long
    expect(batches[1]?.tick).to.equal(batches[0]?.tick);
    expect(batches[0]?.at).to.be.at.least(55);
  });

  it('drain() flushes and waits for every batch', async () => {
    let processed = 0;
    const batcher = new KeyedBatcher<number>({ maxSize: () => 10, maxWaitMs: 10_000 }, async (_k, items) => {
      await new Promise((r) => setTimeout(r, 10));
      processed += items.length;
    });
    batcher.add('x', 1);
    batcher.add('y', 2);
    await batcher.drain();
    expect(processed).to.equal(2);
    expect(batcher.busy).to.equal(false);
  });
});

describe('Capacity', () => {
  it('makes the one over the limit wait until a unit is released', async () => {
    const capacity = new Capacity(2);
    await capacity.acquire();
    await capacity.acquire();
    let third = false;
    const waiting = capacity.acquire().then(() => (third = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(third).to.equal(false);
    capacity.release();
    await waiting;
    expect(third).to.equal(true);
    expect(capacity.used).to.equal(2);
    capacity.release(2);
    expect(capacity.used).to.equal(0);
  });
});
