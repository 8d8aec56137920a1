import { expect } from 'chai';
import { attributeRequests, enrollmentId, registrationRequest } from './enrollment';

describe('Fabric CA enrollment requests', () => {
  it('requests ledger.role always and ledger.dept when the identity has a department', () => {
    expect(attributeRequests({ region: 'BJ', role: 'approver', dept: 'HC' })).to.deep.equal([
      { name: 'ledger.role', optional: false },
      { name: 'ledger.dept', optional: false },
    ]);
    expect(attributeRequests({ region: 'BJ', role: 'auditor' })).to.deep.equal([
      { name: 'ledger.role', optional: false },
      { name: 'ledger.dept', optional: true },
    ]);
  });

  it('registers with the attributes as ecert attributes, under the region (and department) affiliation', () => {
    expect(registrationRequest({ region: 'HE', role: 'approver', dept: 'EE' }, 's3cret')).to.deep.equal({
      enrollmentID: 'approver-ee',
      enrollmentSecret: 's3cret',
      role: 'client',
      affiliation: 'hebei.ee',
      maxEnrollments: -1,
      attrs: [
        { name: 'ledger.role', value: 'approver', ecert: true },
        { name: 'ledger.dept', value: 'EE', ecert: true },
      ],
    });
    expect(registrationRequest({ region: 'TJ', role: 'authority', user: 'wang' }, 'x')).to.include({
      enrollmentID: 'wang',
      affiliation: 'tianjin',
    });
  });

  it('enrolls a CA identity without a role (the ledger-registrar) under its user name, asking no attributes', () => {
    const registrar = { region: 'BJ', user: 'ledger-registrar' } as const;
    expect(enrollmentId(registrar)).to.equal('ledger-registrar');
    expect(attributeRequests(registrar)).to.deep.equal([]);
    expect(enrollmentId({ region: 'BJ', role: 'admin' })).to.equal('admin');
  });
});
