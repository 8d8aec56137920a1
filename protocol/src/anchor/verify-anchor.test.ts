import { expect } from 'chai';
import { bytesToBase64 } from '../proof/base64.js';
import { checkAnchorOffline, OFFLINE_ANCHOR_LIMITS, verifyAnchorOnline } from './verify-anchor.js';

const root = new Uint8Array(32).fill(7);
const anchor = {
  chainId: 31337,
  contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  txHash: `0x${'ab'.repeat(32)}`,
  blockNumber: 12,
  blockHash: `0x${'cd'.repeat(32)}`,
  logIndex: 0,
  checkpoint: { origin: 'beijing.ledger.gov.cn/tlog/abc', size: 120, rootHash: bytesToBase64(root) },
};
const proven = { origin: anchor.checkpoint.origin, size: 120, rootHash: root };

describe('checkAnchorOffline', () => {
  it('matches the proven checkpoint and says plainly what it did not prove', () => {
    const v = checkAnchorOffline(anchor, proven);
    expect(v.valid).to.be.true;
    expect(v.onChain).to.be.false;
    expect(v.checks.map((c) => [c.name, c.status])).to.deep.equal([
      ['anchor.reference', 'verified'],
      ['anchor.checkpoint', 'verified'],
      ['anchor.onchain', 'unchecked'],
    ]);
    const onchain = v.checks[2]!;
    expect(onchain.detail).to.equal(OFFLINE_ANCHOR_LIMITS);
    expect(onchain.detail).to.contain('that the transaction exists');
    expect(onchain.detail).to.contain('that it is final');
  });

  it('fails an anchor of a different root, naming both', () => {
    const v = checkAnchorOffline(anchor, { ...proven, rootHash: new Uint8Array(32).fill(8) });
    expect(v.valid).to.be.false;
    const c = v.checks.find((x) => x.name === 'anchor.checkpoint')!;
    expect(c.status).to.equal('failed');
    expect(c.detail)
      .to.contain(`root ${bytesToBase64(root)}`)
      .and.contain('the bundle proves');
  });

  it('fails an anchor of another size', () => {
    expect(checkAnchorOffline(anchor, { ...proven, size: 121 }).valid).to.be.false;
  });

  it('refuses a malformed reference, naming the field and the rule', () => {
    const v = checkAnchorOffline({ ...anchor, contract: '0x1234' });
    expect(v.valid).to.be.false;
    expect(v.checks).to.deep.equal([
      {
        name: 'anchor.reference',
        status: 'failed',
        detail: 'contract: expected a 0x-prefixed 20-byte contract address',
      },
    ]);
    const short = checkAnchorOffline({ ...anchor, checkpoint: { ...anchor.checkpoint, rootHash: 'AAAA' } });
    expect(short.checks[0]!.detail).to.match(/^checkpoint\.rootHash: expected the base64 of a 32-byte/);
  });

  it('leaves the comparison unchecked when no proven checkpoint is given', () => {
    const v = checkAnchorOffline(anchor);
    expect(v.checks[1]).to.include({ name: 'anchor.checkpoint', status: 'unchecked' });
  });
});

describe('verifyAnchorOnline', () => {
  it('answers unchecked, never throws, when the RPC does not answer', async function () {
    this.timeout(20_000);
    const v = await verifyAnchorOnline(anchor, 'http://127.0.0.1:9', { proven });
    expect(v.valid).to.be.true;
    expect(v.onChain).to.be.false;
    expect(v.checks.at(-1)).to.include({ name: 'anchor.onchain', status: 'unchecked' });
    expect(v.checks.at(-1)!.detail).to.contain('did not answer');
  });
});
