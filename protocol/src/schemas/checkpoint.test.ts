import { expect } from 'chai';
import { sampleCheckpoint } from '../testing/index.js';
import { validate } from '../validate.js';
import { AnchorRefSchema, CheckpointSchema } from './checkpoint.js';

const blocks = sampleCheckpoint();

function rulesOf(value: unknown): string[] {
  const result = validate(CheckpointSchema, value);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.rule}`);
}

describe('Checkpoint schema', () => {
  it('accepts a block-range checkpoint whose size is the number of blocks', () => {
    expect(rulesOf(blocks)).to.be.empty;
  });

  it('accepts a batch checkpoint without block range', () => {
    const { fromBlock: _f, toBlock: _t, ...batch } = { ...blocks, kind: 'batch', size: 500 };
    expect(rulesOf(batch)).to.be.empty;
  });

  it('refuses block checkpoints with a missing, reversed or miscounted range', () => {
    const { toBlock: _t, ...open } = blocks;
    expect(rulesOf(open)).to.deep.equal(['toBlock checkpoint.range']);
    expect(rulesOf({ ...blocks, fromBlock: 100 })).to.deep.equal(['toBlock checkpoint.range']);
    expect(rulesOf({ ...blocks, size: 99 })).to.deep.equal(['size checkpoint.size']);
    expect(rulesOf({ ...blocks, kind: 'batch', fromBlock: 100 })).to.deep.equal(['toBlock checkpoint.range']);
  });

  it('refuses an upper-case or 0x-prefixed root', () => {
    expect(rulesOf({ ...blocks, root: 'AA'.repeat(32) })).to.deep.equal(['root sha256.format']);
    expect(rulesOf({ ...blocks, root: `0x${'aa'.repeat(32)}` })).to.deep.equal(['root sha256.format']);
  });

  it('accepts an anchor on a public chain', () => {
    expect(
      validate(AnchorRefSchema, { chainId: 11155111, txHash: `0x${'1f'.repeat(32)}`, blockNumber: 7 }).ok,
    ).to.be.true;
    expect(validate(AnchorRefSchema, { chainId: 0, txHash: '0x12', blockNumber: -1 }).ok).to.be.false;
  });
});
