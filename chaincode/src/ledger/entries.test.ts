import { MilestoneAnchorSchema, milestoneAnchorOf, sha256Hex } from '@approval-ledger/protocol';
import { sampleMilestone } from '@approval-ledger/protocol/testing';
import { expect } from 'chai';
import { stamped } from './entries';

// a correction's anchor (version and corrects included) as the chaincode's schemas parse it
const anchor = MilestoneAnchorSchema.parse(
  milestoneAnchorOf(
    sampleMilestone({ version: 2, corrects: sha256Hex('v1'), correctionReason: '更正' }),
    sha256Hex('c'),
  ),
);
const stamp = { txId: 'f'.repeat(64), recordedAt: '2025-03-10T02:01:00.000Z' };

describe('stamped (an entry: the record and the transaction that wrote it)', () => {
  it('is the spread of the record and the stamp: the same keys, in the same order, with the same values', () => {
    const entry = stamped(anchor, stamp);
    const spread = { ...anchor, ...stamp };
    expect(entry).to.deep.equal(spread);
    expect(Object.keys(entry)).to.deep.equal(Object.keys(spread));
    expect(JSON.stringify(entry)).to.equal(JSON.stringify(spread));
  });

  it('leaves the record as it was, and the stamp wins over a record that carries one', () => {
    const before = JSON.stringify(anchor);
    const restamped = stamped(stamped(anchor, { txId: 'a'.repeat(64), recordedAt: 'then' }), stamp);
    expect(restamped).to.include(stamp);
    expect(JSON.stringify(anchor)).to.equal(before);
  });
});
