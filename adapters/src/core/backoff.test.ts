import { expect } from 'chai';
import { AbortedError, backoffDelay, retrying, sleep } from './backoff';

const policy = { initialMs: 100, maxMs: 1_000 };

describe('capped exponential backoff with full jitter', () => {
  const table: [number, number, number][] = [
    // attempt, random, delay
    [0, 0.999, 99],
    [1, 0.5, 100],
    [3, 1 - 1e-9, 799],
    [4, 0.999, 999],
    [20, 0.999, 999],
    [5, 0, 0],
  ];
  for (const [attempt, random, delay] of table) {
    it(`waits ${delay} ms before retry ${attempt} when the jitter draws ${random}`, () =>
      expect(backoffDelay(attempt, policy, () => random)).to.equal(delay));
  }

  it('never exceeds the cap, and spreads delays out', () => {
    const delays = Array.from({ length: 1000 }, () => backoffDelay(10, policy));
    expect(Math.max(...delays)).to.be.below(1_000);
    expect(new Set(delays.map((d) => Math.floor(d / 100))).size).to.be.at.least(8);
  });

  it('retries until the operation succeeds', async () => {
    let calls = 0;
    const seen: number[] = [];
    const result = await retrying(
      () => (++calls < 3 ? Promise.reject(new Error(`fail ${calls}`)) : Promise.resolve('done')),
      { policy: { initialMs: 1, maxMs: 2 }, onRetry: (_e, attempt) => void seen.push(attempt) },
    );
    expect(result).to.equal('done');
    expect(seen).to.deep.equal([0, 1]);
  });

  it('gives up on an error that is not retryable, and after maxAttempts', async () => {
    const permanent = retrying(() => Promise.reject(new TypeError('bad')), {
      policy,
      retryable: (e) => !(e instanceof TypeError),
    });
    await permanent.then(
      () => expect.fail('should reject'),
      (e: unknown) => expect(e).to.be.instanceOf(TypeError),
    );
    let calls = 0;
    await retrying(() => Promise.reject(new Error(String(++calls))), {
      policy: { initialMs: 1, maxMs: 1 },
      maxAttempts: 3,
    }).catch(() => undefined);
    expect(calls).to.equal(3);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5_000, controller.signal).then(
      () => expect.fail('should abort'),
      (e: unknown) => expect(e).to.be.instanceOf(AbortedError),
    );
    expect(Date.now() - started).to.be.below(1_000);
  });
});
