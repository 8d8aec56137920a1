import { expect } from 'chai';
import {
  chaincodeNameOf,
  chaincodeNamesOf,
  genesisChaincodeName,
  modeOfGenesisChaincode,
  pairScope,
  regionScope,
} from './namespace-mode';

describe('namespace modes', () => {
  it("routes a region's records to its namespace and a recognition to its pair's, whichever way round, under the plan", () => {
    expect(chaincodeNameOf('plan', regionScope('BJ'))).to.equal('approval-beijing');
    expect(chaincodeNameOf('plan', regionScope('HE'))).to.equal('approval-hebei');
    expect(chaincodeNameOf('plan', pairScope('TJ', 'BJ'))).to.equal('approval-bj-tj');
    expect(chaincodeNameOf('plan', pairScope('HE', 'TJ'))).to.equal('approval-tj-he');
  });

  it('sends everything to the one old name in the legacy mode', () => {
    expect(chaincodeNameOf('legacy', regionScope('BJ'))).to.equal('approval-ledger');
    expect(chaincodeNameOf('legacy', pairScope('BJ', 'TJ'))).to.equal('approval-ledger');
    expect(chaincodeNameOf('legacy', regionScope('BJ'), 'kv')).to.equal('kv');
    expect(chaincodeNamesOf('legacy')).to.deep.equal(['approval-ledger']);
    expect(chaincodeNamesOf('plan')).to.have.length(6);
  });

  it('writes the mode into block 0 and reads it back from there', () => {
    expect(modeOfGenesisChaincode(genesisChaincodeName('plan'))).to.equal('plan');
    expect(modeOfGenesisChaincode(genesisChaincodeName('legacy'))).to.equal('legacy');
    expect(modeOfGenesisChaincode('kv')).to.equal('legacy');
  });
});
