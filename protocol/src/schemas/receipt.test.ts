import { expect } from 'chai';
import { validate } from '../validate.js';
import { ReceiptSchema } from './receipt.js';

const anchored = {
  recordId: 'bj-eia:EIA-2025-0042:1',
  kind: 'milestone',
  sha256: 'ab'.repeat(32),
  txId: 'cd'.repeat(32),
  blockNumber: 12,
  status: 'ANCHORED',
  at: '2025-03-06T16:30:07+08:00',
};

function rulesOf(value: unknown): string[] {
  const result = validate(ReceiptSchema, value);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.rule}`);
}

describe('Receipt schema', () => {
  it('accepts an anchored receipt naming transaction and block', () => {
    expect(rulesOf(anchored)).to.be.empty;
    expect(rulesOf({ ...anchored, status: 'DUPLICATE' })).to.be.empty;
  });

  it('requires transaction and block for ANCHORED and DUPLICATE', () => {
    const { txId: _t, blockNumber: _b, ...bare } = anchored;
    expect(rulesOf(bare)).to.deep.equal(['txId receipt.txId', 'blockNumber receipt.blockNumber']);
  });

  it('requires a reason for CONFLICT and REJECTED, and no transaction', () => {
    const { txId: _t, blockNumber: _b, ...bare } = anchored;
    expect(rulesOf({ ...bare, status: 'REJECTED' })).to.deep.equal(['reason receipt.reason']);
    expect(
      rulesOf({ ...bare, status: 'REJECTED', reason: 'VALIDATION_FAILED: applicant.uscc: check character' }),
    ).to.be.empty;
    expect(rulesOf({ ...anchored, status: 'CONFLICT', reason: 'RECORD_CONFLICT: different commitment' })).to
      .be.empty;
  });

  it('keys receipts by system:recordId:version', () => {
    expect(rulesOf({ ...anchored, recordId: 'EIA-2025-0042' })).to.deep.equal(['recordId sourceKey.format']);
    expect(rulesOf({ ...anchored, recordId: 'bj-eia:EIA-2025-0042:0' })).to.deep.equal([
      'recordId sourceKey.format',
    ]);
  });
});
