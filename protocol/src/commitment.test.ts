import { expect } from 'chai';
import { sampleMilestone } from './testing/index.js';
import { canonicalize } from './canonical-json.js';
import { commitment, newSalt, verifyCommitment } from './commitment.js';
import { ProtocolValidationError } from './protocol-validation.error.js';
import { sha256Hex } from './sha256.js';

describe('salted commitments', () => {
  it('makes salts of 32 random bytes in hex', () => {
    const salts = new Set(Array.from({ length: 100 }, newSalt));
    expect(salts.size).to.equal(100);
    salts.forEach((s) => expect(s).to.match(/^[0-9a-f]{64}$/));
  });

  it('commits to the canonical form of {salt, record}', () => {
    const salt = '00'.repeat(32);
    const record = { b: 2, a: '批准' };
    expect(commitment(record, salt)).to.equal(sha256Hex(`{"record":{"a":"批准","b":2},"salt":"${salt}"}`));
    expect(commitment(record, salt)).to.equal(sha256Hex(canonicalize({ salt, record })));
  });

  it('does not depend on key order but on every value', () => {
    const salt = newSalt();
    const m = sampleMilestone();
    const reordered = Object.fromEntries(Object.entries(m).reverse());
    expect(commitment(reordered, salt)).to.equal(commitment(m, salt));
    expect(commitment({ ...m, decision: 'REJECTED' }, salt)).to.not.equal(commitment(m, salt));
  });

  it('verifies with the right record and salt only', () => {
    const salt = newSalt();
    const m = sampleMilestone();
    const c = commitment(m, salt);
    expect(verifyCommitment(m, salt, c)).to.be.true;
    expect(verifyCommitment(m, newSalt(), c)).to.be.false;
    expect(verifyCommitment({ ...m, decidedAt: '2025-03-07T16:30:00+08:00' }, salt, c)).to.be.false;
    expect(verifyCommitment(m, salt, c.toUpperCase())).to.be.false;
    expect(verifyCommitment(m, 'short', c)).to.be.false;
  });

  it('refuses a salt that is not 32 bytes of lower-case hex', () => {
    expect(() => commitment({}, 'abc')).to.throw(
      ProtocolValidationError,
      /salt: salt must be 32 random bytes/,
    );
    expect(() => commitment({}, 'AB'.repeat(32))).to.throw(ProtocolValidationError);
  });
});
