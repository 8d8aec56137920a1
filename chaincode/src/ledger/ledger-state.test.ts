import { expect } from 'chai';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { decodeEndorsementPolicy } from '@approval-ledger/fabric-engine';
import { endorsementPolicy } from './ledger-state';

function encodedByShim(mspIds: readonly string[]): Buffer {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('PEER', ...[...new Set(mspIds)].sort());
  return Buffer.from(policy.getPolicy());
}

describe('key-level endorsement policy bytes', () => {
  it('are the bytes fabric-shim encodes, for any order and repetition of the organisations', () => {
    const sets = [
      ['BeijingMSP'],
      ['TianjinMSP', 'BeijingMSP'],
      ['BeijingMSP', 'TianjinMSP', 'BeijingMSP'],
      ['HebeiMSP'],
    ];
    for (const set of [...sets, ...sets]) expect(endorsementPolicy(set)).to.deep.equal(encodedByShim(set));
    expect(decodeEndorsementPolicy(endorsementPolicy(['TianjinMSP', 'BeijingMSP'])).identities).to.deep.equal(
      [
        { mspId: 'BeijingMSP', role: 'peer' },
        { mspId: 'TianjinMSP', role: 'peer' },
      ],
    );
  });

  it('hands out a copy: changing one returned buffer changes no later one', () => {
    const first = endorsementPolicy(['BeijingMSP']);
    first.fill(0);
    expect(endorsementPolicy(['BeijingMSP'])).to.deep.equal(encodedByShim(['BeijingMSP']));
  });

  it('stays correct past the cache bound', () => {
    for (let i = 0; i < 200; i++) {
      const set = [`Org${i}MSP`, 'BeijingMSP'];
      expect(endorsementPolicy(set)).to.deep.equal(encodedByShim(set));
    }
    expect(endorsementPolicy(['BeijingMSP'])).to.deep.equal(encodedByShim(['BeijingMSP']));
  });
});
