import { expect } from 'chai';
import { keyOf, RateLimiter } from './rate-limiter';

describe('RateLimiter (the /verify and /proofs budget)', () => {
  it('counts per key within a window from its first request, then refuses with the seconds left', async () => {
    const limiter = new RateLimiter({ windowMs: 300, limit: 2 });
    try {
      const first = limiter.hit('10.0.0.1');
      expect(first).to.deep.include({ over: false, policy: '2;w=1', state: 'limit=2, remaining=1, reset=1' });
      expect(limiter.hit('10.0.0.1')).to.deep.include({
        over: false,
        state: 'limit=2, remaining=0, reset=1',
      });
      const third = limiter.hit('10.0.0.1');
      expect(third).to.deep.include({ over: true, state: 'limit=2, remaining=0, reset=1', resetSeconds: 1 });
      expect(limiter.hit('10.0.0.2').over, 'another address has its own budget').to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(limiter.hit('10.0.0.1'), 'a new window').to.deep.include({
        over: false,
        state: 'limit=2, remaining=1, reset=1',
      });
    } finally {
      limiter.stop();
    }
  });

  it('starts a fresh count once a window ended, across the sweeps of old clients', async () => {
    const limiter = new RateLimiter({ windowMs: 200, limit: 3 });
    try {
      limiter.hit('a');
      await new Promise((resolve) => setTimeout(resolve, 120));
      limiter.hit('a');
      await new Promise((resolve) => setTimeout(resolve, 120));
      // a window started 240 ms ago has ended: a fresh count, not one carried in a swept map
      expect(limiter.hit('a').state).to.equal('limit=3, remaining=2, reset=1');
    } finally {
      limiter.stop();
    }
  });

  it('keys IPv4 by address and IPv6 by its /56, as express-rate-limit does', () => {
    expect(keyOf('192.0.2.7')).to.equal('192.0.2.7');
    expect(keyOf('2001:db8:1:2ff::1')).to.equal(keyOf('2001:db8:1:2aa::9'));
    expect(keyOf('2001:db8:1:2ff::1')).to.not.equal(keyOf('2001:db8:1:3ff::1'));
    expect(keyOf('::ffff:192.0.2.7')).to.equal('192.0.2.7');
  });

  it('refuses a bad limit or window, naming it', () => {
    expect(() => new RateLimiter({ windowMs: 0, limit: 1 })).to.throw(/windowMs/);
    expect(() => new RateLimiter({ windowMs: 1000, limit: 1.5 })).to.throw(/limit/);
  });
});
