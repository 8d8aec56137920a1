import { createPrivateKey, sign } from 'node:crypto';
import { expect } from 'chai';
import { CertificateAuthority, isLowS, verifyMessage, type X509Identity } from './semantics';
import { fabricManifest } from '@approval-ledger/testkit';
import { issuedBy, nodeRoleOf, Signer, verifySignature } from './signing';

describe('signing with organisation keys', () => {
  let ca: CertificateAuthority;
  let other: CertificateAuthority;
  let peer: X509Identity;
  before(async () => {
    ca = await CertificateAuthority.create({ mspId: 'BeijingMSP', domain: 'beijing.ledger.gov.cn' });
    other = await CertificateAuthority.create({ mspId: 'TianjinMSP', domain: 'tianjin.ledger.gov.cn' });
    peer = await ca.issue({ enrollmentId: 'peer0', role: 'peer' });
  });

  it('signs DER ECDSA with low S, which the stub and Fabric accept', () => {
    const signer = new Signer(peer.mspId, peer.certificate, peer.privateKey);
    for (let i = 0; i < 20; i++) {
      const message = new TextEncoder().encode(`message ${i}`);
      const signature = signer.sign(message);
      expect(isLowS(signature)).to.equal(true);
      expect(verifyMessage(peer.certificate, message, signature)).to.equal(true);
      expect(verifySignature(peer.certificate, message, signature)).to.equal(true);
    }
  });

  it('refuses a changed message, a high-S signature and garbage', () => {
    const signer = new Signer(peer.mspId, peer.certificate, peer.privateKey);
    const message = new TextEncoder().encode('abc');
    expect(verifySignature(peer.certificate, new TextEncoder().encode('abd'), signer.sign(message))).to.equal(
      false,
    );
    expect(verifySignature(peer.certificate, message, new Uint8Array([1, 2, 3]))).to.equal(false);
    // find a native (unnormalised) DER signature with high S: it verifies cryptographically but is refused
    const key = createPrivateKey(peer.privateKey);
    for (let i = 0; i < 64; i++) {
      const der = sign('sha256', message, { key, dsaEncoding: 'der' });
      if (!isLowS(der)) {
        expect(verifySignature(peer.certificate, message, der)).to.equal(false);
        return;
      }
    }
  });

  it("checks that a certificate was issued by an organisation's CA", () => {
    expect(issuedBy(peer.certificate, ca.certificate)).to.equal(true);
    expect(issuedBy(peer.certificate, other.certificate)).to.equal(false);
    expect(issuedBy('not a certificate', ca.certificate)).to.equal(false);
  });

  it('reads the NodeOU role among the several OUs of a real Fabric CA certificate', () => {
    const identities = fabricManifest().identities;
    for (const name of ['beijing/approver-hc', 'beijing/approver-credit', 'beijing/auditor']) {
      expect(nodeRoleOf(identities[name]?.certificatePem ?? ''), name).to.equal('client');
    }
  });

  it("reads the NodeOU role from the certificate's OU", async () => {
    expect(nodeRoleOf(peer.certificate)).to.equal('peer');
    expect(nodeRoleOf((await ca.issue({ enrollmentId: 'u', role: 'client' })).certificate)).to.equal(
      'client',
    );
    expect(nodeRoleOf(ca.certificate)).to.equal('member');
  });
});
