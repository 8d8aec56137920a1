import { expect } from 'chai';
import { BatchedLookup } from './batched-lookup';

/** A fetch that records each batch and answers when told to. */
function controlledFetch() {
  const batches: string[][] = [];
  const pending: {
    keys: string[];
    answer: (rows: Map<string, string[]>) => void;
    fail: (e: Error) => void;
  }[] = [];
  const fetch = (keys: readonly string[]) =>
    new Promise<Map<string, string[]>>((resolve, reject) => {
      batches.push([...keys]);
      pending.push({ keys: [...keys], answer: resolve, fail: reject });
    });
  /** Answers the oldest open batch: each key's rows are `<key>-row`, except keys starting with `none`. */
  const answerNext = () => {
    const next = pending.shift();
    if (!next) throw new Error('no batch is open');
    next.answer(new Map(next.keys.filter((k) => !k.startsWith('none')).map((k) => [k, [`${k}-row`]])));
  };
  const failNext = (error: Error) => pending.shift()?.fail(error);
  return { fetch, batches, answerNext, failNext, open: () => pending.length };
}

/** Lets queued microtasks and settled promises run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchedLookup', () => {
  it('sends a lone lookup alone and at once', async () => {
    const f = controlledFetch();
    const lookup = new BatchedLookup(f.fetch, { maxBatch: 64, maxInFlight: 2 });
    const rows = lookup.load('a');
    await settle();
    expect(f.batches).to.deep.equal([['a']]);
    f.answerNext();
    expect(await rows).to.deep.equal(['a-row']);
  });

  it('answers the lookups asked for while the queries are out with one query, each with its own rows', async () => {
    const f = controlledFetch();
    const lookup = new BatchedLookup(f.fetch, { maxBatch: 64, maxInFlight: 1 });
    const first = lookup.load('a');
    await settle();
    const rest = ['b', 'c', 'none-d', 'e'].map((k) => lookup.load(k));
    await settle();
    expect(f.batches).to.deep.equal([['a']]); // the others wait for the one query out
    f.answerNext();
    await settle();
    expect(f.batches).to.deep.equal([['a'], ['b', 'c', 'none-d', 'e']]);
    f.answerNext();
    expect(await first).to.deep.equal(['a-row']);
    expect(await Promise.all(rest)).to.deep.equal([['b-row'], ['c-row'], [], ['e-row']]);
    expect(lookup.queries).to.equal(2);
  });

  it('asks for a key once however many callers wait for it, and gives each its own array', async () => {
    const f = controlledFetch();
    const lookup = new BatchedLookup(f.fetch, { maxBatch: 64, maxInFlight: 1 });
    const [x, y] = [lookup.load('k'), lookup.load('k')];
    await settle();
    expect(f.batches).to.deep.equal([['k']]);
    f.answerNext();
    const [rx, ry] = await Promise.all([x, y]);
    expect(rx).to.deep.equal(['k-row']).and.to.deep.equal(ry);
    expect(rx).to.not.equal(ry);
  });

  it('keeps to maxBatch keys per query and maxInFlight queries out', async () => {
    const f = controlledFetch();
    const lookup = new BatchedLookup(f.fetch, { maxBatch: 3, maxInFlight: 2 });
    const all = Array.from({ length: 10 }, (_, i) => lookup.load(`k${i}`));
    await settle();
    expect(f.batches).to.deep.equal([
      ['k0', 'k1', 'k2'],
      ['k3', 'k4', 'k5'],
    ]);
    f.answerNext();
    await settle();
    expect(f.open()).to.equal(2);
    expect(f.batches[2]).to.deep.equal(['k6', 'k7', 'k8']);
    while (f.open() > 0) {
      f.answerNext();
      await settle();
    }
    expect(f.batches[3]).to.deep.equal(['k9']);
    expect(await Promise.all(all)).to.deep.equal(Array.from({ length: 10 }, (_, i) => [`k${i}-row`]));
  });

  it('rejects exactly the lookups of a failed query; the next query goes out', async () => {
    const f = controlledFetch();
    const lookup = new BatchedLookup(f.fetch, { maxBatch: 64, maxInFlight: 1 });
    const failing = lookup.load('a');
    await settle();
    const later = lookup.load('b');
    f.failNext(new Error('connection lost'));
    let error: unknown;
    try {
      await failing;
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.equal('connection lost');
    await settle();
    expect(f.batches).to.deep.equal([['a'], ['b']]);
    f.answerNext();
    expect(await later).to.deep.equal(['b-row']);
  });

  it('rejects when the fetch throws instead of returning a promise', async () => {
    const lookup = new BatchedLookup<string>(
      () => {
        throw new Error('closed');
      },
      { maxBatch: 8, maxInFlight: 1 },
    );
    let error: unknown;
    try {
      await lookup.load('a');
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.equal('closed');
  });

  it('refuses limits below one', () => {
    expect(
      () => new BatchedLookup(() => Promise.resolve(new Map()), { maxBatch: 0, maxInFlight: 1 }),
    ).to.throw(RangeError, /maxBatch and maxInFlight/);
  });
});
