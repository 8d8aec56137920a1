import { commitment, verifyCommitment } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { benchMilestone } from '../bench/bench-records';
import { freshSalt, newRecord } from './new-record';

describe('newRecord (the row of a record)', () => {
  it('commits exactly as protocol’s commitment(record, salt)', () => {
    for (let i = 0; i < 50; i++) {
      const record = {
        ...benchMilestone(i, 'BJ', 'EE', 'unit'),
        projectName: `第${i}号 "引号" \\ \u2028 😀`,
      };
      const row = newRecord({ kind: 'milestone', record });
      expect(row.commitment).to.equal(commitment(record, row.salt));
      expect(verifyCommitment(record, row.salt, row.commitment)).to.equal(true);
    }
  });

  it('refuses a malformed salt, as protocol does', () => {
    const record = benchMilestone(1, 'TJ', 'DRC', 'unit');
    expect(() => newRecord({ kind: 'milestone', record }, { salt: 'ABC' })).to.throw(/salt/);
  });

  it('draws distinct 32-byte hex salts, across refills of the pool', () => {
    const salts = Array.from({ length: 1000 }, () => freshSalt());
    for (const salt of salts) expect(salt).to.match(/^[0-9a-f]{64}$/);
    expect(new Set(salts).size).to.equal(salts.length);
  });
});
