import { createPrivateKey, sign } from 'node:crypto';
import { expect } from 'chai';
import { certificateOf, jsGmSuite, sm2Verify } from '@approval-ledger/protocol';
import {
  CertificateAuthority,
  certificateAuthorityFromPem,
  createCertificateAuthority,
  isLowS,
  isSm2PrivateKeyPem,
  type OrganisationCa,
  Sm2CertificateAuthority,
  verifyMessage,
  type X509Identity,
} from './semantics';
import { nodeIntlSuite } from './native-crypto-suite';
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

describe('signing with SM2 organisation keys (the gm suite)', () => {
  let ca: OrganisationCa;
  let intlCa: OrganisationCa;
  let peer: X509Identity;
  before(async () => {
    ca = await createCertificateAuthority({ mspId: 'BeijingMSP', domain: 'beijing.ledger.gov.cn' }, 'gm');
    intlCa = await createCertificateAuthority({ mspId: 'BeijingMSP', domain: 'beijing.ledger.gov.cn' });
    peer = await ca.issue({ enrollmentId: 'peer0', role: 'peer', attributes: { 'ledger.role': 'x' } });
  });

  it('issues SM2 certificates and keys, reloaded from PEM as an SM2 CA', async () => {
    expect(ca).to.be.instanceOf(Sm2CertificateAuthority);
    expect(intlCa).to.be.instanceOf(CertificateAuthority);
    expect(certificateOf(peer.certificate).keyCurve).to.equal('SM2');
    expect(certificateOf(peer.certificate).signatureAlgorithm).to.equal('1.2.156.10197.1.501');
    expect(isSm2PrivateKeyPem(peer.privateKey)).to.equal(true);
    expect(isSm2PrivateKeyPem((await intlCa.issue({ enrollmentId: 'p', role: 'peer' })).privateKey)).to.equal(
      false,
    );
    const reloaded = await certificateAuthorityFromPem({ ...ca, domain: ca.domain });
    expect(reloaded).to.be.instanceOf(Sm2CertificateAuthority);
    expect(await reloaded.issued(peer.certificate)).to.equal(true);
    expect(
      await reloaded.issued((await intlCa.issue({ enrollmentId: 'q', role: 'peer' })).certificate),
    ).to.equal(false);
    expect(nodeRoleOf(peer.certificate)).to.equal('peer');
  });

  it('signs SM2-SM3 with the default user ID (not node:crypto’s empty one), and the core verifies it', () => {
    const signer = new Signer(peer.mspId, peer.certificate, peer.privateKey);
    const message = new TextEncoder().encode('区块头');
    const signature = signer.sign(message);
    const publicKey = certificateOf(peer.certificate).publicKey;
    expect(sm2Verify(publicKey, message, signature)).to.equal(true);
    expect(sm2Verify(publicKey, message, signature, { userId: '' })).to.equal(false);
    expect(verifySignature(peer.certificate, message, signature)).to.equal(true);
    expect(verifySignature(peer.certificate, new TextEncoder().encode('区块'), signature)).to.equal(false);
    expect(issuedBy(peer.certificate, ca.certificate)).to.equal(true);
    expect(issuedBy(peer.certificate, intlCa.certificate)).to.equal(false);
  });

  it('does not verify an SM2 signature under intl, nor a P-256 one under gm', async () => {
    const signer = new Signer(peer.mspId, peer.certificate, peer.privateKey);
    const message = new TextEncoder().encode('m');
    const request = { signer: certificateOf(peer.certificate), message, signature: signer.sign(message) };
    expect(jsGmSuite.verify(request)).to.equal(true);
    expect(nodeIntlSuite.verify(request)).to.equal(false);
    const intlPeer = await intlCa.issue({ enrollmentId: 'p', role: 'peer' });
    const intlRequest = {
      signer: certificateOf(intlPeer.certificate),
      message,
      signature: new Signer(intlPeer.mspId, intlPeer.certificate, intlPeer.privateKey).sign(message),
    };
    expect(nodeIntlSuite.verify(intlRequest)).to.equal(true);
    expect(jsGmSuite.verify(intlRequest)).to.equal(false);
  });
});
