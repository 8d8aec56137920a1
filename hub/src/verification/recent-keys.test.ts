import { expect } from 'chai';
import { RecentKeys } from './recent-keys';

describe('RecentKeys', () => {
  it('says a key was seen from its second sighting on', () => {
    const keys = new RecentKeys(4);
    expect(keys.seen('a')).to.equal(false);
    expect(keys.seen('a')).to.equal(true);
    expect(keys.seen('b')).to.equal(false);
    expect(keys.seen('a')).to.equal(true);
  });

  it('keeps at least the last perGeneration keys and at most twice as many, dropping the oldest first', () => {
    const keys = new RecentKeys(3);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) keys.seen(k);
    expect(keys.size).to.be.within(3, 6);
    // the last three are always there
    for (const k of ['d', 'e', 'f']) expect(keys.seen(k), k).to.equal(true);
    for (const k of ['g', 'h', 'i', 'j']) keys.seen(k);
    expect(keys.size).to.be.at.most(6);
    // the first ones are gone by now
    expect(keys.seen('a')).to.equal(false);
  });

  it('carries a key seen again into the current generation, so one in steady use is never dropped', () => {
    const keys = new RecentKeys(2);
    keys.seen('hot');
    for (let i = 0; i < 100; i++) {
      keys.seen(`cold-${i}`);
      expect(keys.seen('hot'), `after ${i}`).to.equal(true);
    }
  });

  it('answers has() without remembering a key it does not hold, and forgets a deleted key', () => {
    const keys = new RecentKeys(4);
    expect(keys.has('a')).to.equal(false);
    expect(keys.has('a')).to.equal(false);
    keys.add('a');
    keys.add('b');
    expect(keys.has('a')).to.equal(true);
    keys.delete('a');
    expect(keys.has('a')).to.equal(false);
    expect(keys.has('b')).to.equal(true);
    expect(keys.size).to.equal(1);
  });

  it('refuses a generation size that is not a positive integer', () => {
    expect(() => new RecentKeys(0)).to.throw(RangeError, /perGeneration/);
    expect(() => new RecentKeys(1.5)).to.throw(RangeError, /perGeneration/);
  });
});
