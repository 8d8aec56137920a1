import { expect } from 'chai';
import { endorsingOrganisations } from './endorsing-organisations';

describe('endorsingOrganisations (Fabric engine)', () => {
  const beijingApprover = { region: 'BJ', role: 'approver', dept: 'HC' } as const;

  it("asks Beijing's peer, never the gateway's organisation alone, for a Beijing record under the legacy definition", () => {
    expect(
      endorsingOrganisations('approval-ledger', beijingApprover, 'milestones:RecordBatch'),
    ).to.deep.equal(['BeijingMSP']);
  });

  it("asks the namespace's organisations for a namespace of the plan: its region, or both of a pair", () => {
    expect(
      endorsingOrganisations('approval-tianjin', { region: 'TJ', role: 'admin' }, 'issuers:Grant'),
    ).to.deep.equal(['TianjinMSP']);
    expect(
      endorsingOrganisations('approval-bj-tj', { region: 'TJ', role: 'authority' }, 'recognition:Decide'),
    ).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
  });

  it('leaves recognition requests and decisions under the legacy definition to the gateway, which plans key-level policies', () => {
    expect(
      endorsingOrganisations('approval-ledger', { region: 'TJ', role: 'authority' }, 'recognition:Decide'),
    ).to.equal(undefined);
  });

  it('keeps organisations the caller names', () => {
    expect(
      endorsingOrganisations('approval-ledger', beijingApprover, 'milestones:Record', ['TianjinMSP']),
    ).to.deep.equal(['TianjinMSP']);
  });
});
