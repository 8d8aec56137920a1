import { expect } from 'chai';
import { useMariaDb, useNatsServer } from './mocha-hooks';

describe('mocha hooks', () => {
  const nats = useNatsServer();
  let tooEarly: unknown;
  try {
    nats();
  } catch (error) {
    tooEarly = error;
  }

  it('gives the server only between its before() and after() hooks', () => {
    expect(String(tooEarly)).to.contain(
      'useNatsServer(): the server exists only between its before() and after()',
    );
    expect(nats().running).to.be.true;
  });

  it('refuses to run outside a mocha describe()', () => {
    const globals = globalThis as { before?: unknown };
    const before = globals.before;
    delete globals.before;
    try {
      expect(() => useMariaDb()).to.throw(/useMariaDb\(\) must be called inside a mocha describe\(\)/);
    } finally {
      globals.before = before;
    }
  });
});
