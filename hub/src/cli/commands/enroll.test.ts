import { expect } from 'chai';
import { identityOf } from './enroll';

describe('ledger enroll: whom the options name', () => {
  it('a ledger identity with its role (and department), labelled as the hub looks it up', () => {
    expect(identityOf({ region: 'BJ', role: 'approver', dept: 'HC' })).to.deep.equal({
      region: 'BJ',
      role: 'approver',
      dept: 'HC',
    });
    expect(identityOf({ region: 'TJ', role: 'admin' })).to.deep.equal({ region: 'TJ', role: 'admin' });
  });

  it('the registrar itself: no role, a user name, so --registrar can use it afterwards', () => {
    expect(identityOf({ region: 'BJ', user: 'ledger-registrar' })).to.deep.equal({
      region: 'BJ',
      user: 'ledger-registrar',
    });
  });

  it('refuses what it cannot enroll, naming the option and the rule', () => {
    expect(identityOf({ region: 'BJ' })).to.equal(
      '--role: required, or --user for a CA identity without a role',
    );
    expect(identityOf({ region: 'BJ', role: 'approver' })).to.equal('--dept: an approver needs a department');
    expect(identityOf({ region: 'BJ', user: 'x', dept: 'HC' })).to.equal('--dept: only with --role');
    expect(identityOf({ region: 'BJ', user: 'x', registrar: 'ledger-registrar' })).to.equal(
      '--registrar: registers identities with a role only',
    );
  });
});
