import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { decodeEndorsementPolicy, endorsementPolicyVerdict, evaluatePolicy } from './endorsement-policy.js';

const ROLE = { MEMBER: 0, PEER: 3 } as const;

/** A policy as fabric-shim's KeyEndorsementPolicy writes it: n-out-of-n over ROLE principals. */
function nOutOf(n: number, principals: readonly [string, number][]): Uint8Array {
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setIdentitiesList(
    principals.map(([mspId, role]) => {
      const principal = new msp.MSPPrincipal();
      principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
      const mspRole = new msp.MSPRole();
      mspRole.setMspIdentifier(mspId);
      mspRole.setRole(role as msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]);
      principal.setPrincipal(mspRole.serializeBinary());
      return principal;
    }),
  );
  const rule = new common.SignaturePolicy();
  const rules = new common.SignaturePolicy.NOutOf();
  rules.setN(n);
  rules.setRulesList(
    principals.map((_, i) => {
      const signedBy = new common.SignaturePolicy();
      signedBy.setSignedBy(i);
      return signedBy;
    }),
  );
  rule.setNOutOf(rules);
  envelope.setRule(rule);
  return envelope.serializeBinary();
}

describe('endorsement policies (the core’s transaction.policy rule)', () => {
  const both = nOutOf(2, [
    ['BeijingMSP', ROLE.PEER],
    ['TianjinMSP', ROLE.PEER],
  ]);

  it('decodes a SignaturePolicyEnvelope written by fabric-protos', () => {
    expect(decodeEndorsementPolicy(both)).to.deep.equal({
      identities: [
        { mspId: 'BeijingMSP', role: 'peer' },
        { mspId: 'TianjinMSP', role: 'peer' },
      ],
      rule: { nOutOf: { n: 2, rules: [{ signedBy: 0 }, { signedBy: 1 }] } },
    });
  });

  it('needs every organisation of an n-out-of-n policy, as peers, each endorsement counted once', () => {
    const bj = { mspId: 'BeijingMSP', role: 'peer' } as const;
    const tj = { mspId: 'TianjinMSP', role: 'peer' } as const;
    expect(evaluatePolicy(both, [bj, tj])).to.equal(true);
    expect(evaluatePolicy(both, [bj, bj])).to.equal(false);
    expect(evaluatePolicy(both, [bj, { mspId: 'TianjinMSP', role: 'client' }])).to.equal(false);
    const member = nOutOf(1, [['HebeiMSP', ROLE.MEMBER]]);
    expect(evaluatePolicy(member, [{ mspId: 'HebeiMSP', role: 'client' }])).to.equal(true);
  });

  it('names the written key whose policy failed, else the chaincode-level policy', () => {
    const bj = [{ mspId: 'BeijingMSP', role: 'peer' }] as const;
    const keyFails = endorsementPolicyVerdict(
      { keyPolicies: [{ key: 'k', policy: both }], chaincodePolicyApplies: false },
      bj,
      () => true,
    );
    expect(keyFails).to.include({ valid: false, failedKey: 'k' });
    expect(keyFails.check).to.include({ name: 'transaction.policy', status: 'failed' });
    const chaincodeFails = endorsementPolicyVerdict(
      { keyPolicies: [], chaincodePolicyApplies: true },
      bj,
      () => false,
    );
    expect(chaincodeFails).to.include({ valid: false }).and.not.have.property('failedKey');
  });
});
