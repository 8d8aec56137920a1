import { expect } from 'chai';
import { identityLabel, mspIdOf, regionFolder } from './identity-label';

describe('identity labels', () => {
  it('labels shared identities by role and department, named users by name', () => {
    expect(identityLabel({ region: 'BJ', role: 'approver', dept: 'HC' })).to.equal('approver-hc');
    expect(identityLabel({ region: 'TJ', role: 'auditor' })).to.equal('auditor');
    expect(identityLabel({ region: 'HE', role: 'approver', dept: 'EE', user: 'li.wei' })).to.equal('li.wei');
  });

  it("names the region's MSP and wallet folder", () => {
    expect(mspIdOf({ region: 'HE' })).to.equal('HebeiMSP');
    expect(regionFolder({ region: 'TJ' })).to.equal('tianjin');
  });
});
