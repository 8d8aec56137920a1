import { dirname } from 'node:path';
import { expect } from 'chai';
import { type ChaincodeStub as ShimChaincodeStub, ClientIdentity } from 'fabric-shim';
import { rememberParsedCertificates, rememberedCertificateCount } from './certificate-cache';
import { CertificateAuthority, type X509Identity } from './index';

/** @fidm/x509 as fabric-shim loads it. */
function shimX509(): { Certificate: { fromPEM(pem: string): object } } {
  const path = require.resolve('@fidm/x509', { paths: [dirname(require.resolve('fabric-shim'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance fabric-shim uses
  return require(path) as { Certificate: { fromPEM(pem: string): object } };
}

function identityOf(mspId: string, who: X509Identity): ClientIdentity {
  const stub = {
    getChannelID: () => 'approval',
    getTxID: () => 'abcdef0123',
    getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(who.certificate) }),
  };
  return new ClientIdentity(stub as unknown as ShimChaincodeStub);
}

describe('remembered certificate parses (ClientIdentity)', () => {
  let ca: CertificateAuthority;
  let approver: X509Identity;
  let authority: X509Identity;

  before(async () => {
    rememberParsedCertificates();
    ca = await CertificateAuthority.create({ mspId: 'HebeiMSP', domain: 'hebei.approval-ledger' });
    approver = await ca.issue({
      enrollmentId: 'he-ee-approver',
      role: 'client',
      attributes: { 'ledger.role': 'approver', 'ledger.dept': 'EE' },
    });
    authority = await ca.issue({
      enrollmentId: 'he-authority',
      role: 'client',
      attributes: { 'ledger.role': 'authority' },
    });
  });

  it('gives each certificate its own identity, the same on every call', () => {
    for (let i = 0; i < 3; i++) {
      const a = identityOf('HebeiMSP', approver);
      const b = identityOf('HebeiMSP', authority);
      expect(a.getID()).to.equal(
        'x509::/C=CN/O=hebei.approval-ledger/OU=client/CN=he-ee-approver::/C=CN/O=hebei.approval-ledger/CN=ca.hebei.approval-ledger',
      );
      expect(a.getAttributeValue('ledger.role')).to.equal('approver');
      expect(a.getAttributeValue('ledger.dept')).to.equal('EE');
      expect(b.getID()).to.contain('CN=he-authority');
      expect(b.getAttributeValue('ledger.role')).to.equal('authority');
      expect(b.getAttributeValue('ledger.dept')).to.equal(null);
    }
  });

  it('still refuses a certificate that does not parse, and keeps nothing for it', () => {
    const before = rememberedCertificateCount();
    const broken = { ...approver, certificate: approver.certificate.replace(/[A-Za-z]{20}/, 'A'.repeat(20)) };
    expect(() => identityOf('HebeiMSP', broken)).to.throw();
    expect(rememberedCertificateCount()).to.equal(before);
  });

  it('keeps at most 1000 parses', () => {
    const { Certificate } = shimX509();
    for (let i = 0; i < 1005; i++) Certificate.fromPEM(`${approver.certificate}${'\n'.repeat(i + 1)}`);
    expect(rememberedCertificateCount()).to.be.at.most(1000);
    expect(rememberedCertificateCount()).to.be.at.least(5);
    expect(identityOf('HebeiMSP', authority).getAttributeValue('ledger.role')).to.equal('authority');
  });
});
