import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, utf8Encode } from '../bytes.js';
import { oidText, readWhole } from '../proof/der.js';
import {
  derBitString,
  derNamedBits,
  derOid,
  derPrintableString,
  derSet,
  derTime,
} from '../proof/der-writer.js';
import { isIssuedBy, parseCertificate } from '../proof/x509.js';
import { certificateOf, nodeRoleOf } from '../verify/identity-rules.js';
import { sm2PublicKey, sm2RandomPrivateKey, sm2Sign, sm2Verify } from './sm2.js';
import {
  extensionValue,
  type Sm2CertificateRequest,
  sm2IssuedCertificate,
  sm2KeyIdentifier,
  sm2PrivateKeyOfPem,
  sm2PrivateKeyPem,
  sm2SelfSignedCertificate,
  subjectKeyIdentifierOf,
} from './sm2-certificate.js';

const FABRIC_ATTRIBUTE_OID = '1.2.3.4.5.6.7.8.1';
const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2046-01-01T00:00:00Z');

function openssl(args: readonly string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function opensslFails(args: readonly string[]): string {
  try {
    openssl(args);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  throw new Error(`openssl ${args.join(' ')} succeeded`);
}

function caRequest(domain: string, publicKey: Uint8Array): Sm2CertificateRequest {
  return {
    subject: [
      ['C', 'CN'],
      ['O', domain],
      ['CN', `ca.${domain}`],
    ],
    publicKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    ca: true,
    keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
  };
}

function peerRequest(domain: string, publicKey: Uint8Array): Sm2CertificateRequest {
  return {
    subject: [
      ['C', 'CN'],
      ['O', domain],
      ['OU', 'peer'],
      ['CN', `peer0.${domain}`],
    ],
    publicKey,
    notBefore: NOT_BEFORE,
    notAfter: new Date('2031-01-01T00:00:00Z'),
    ca: false,
    keyUsage: ['digitalSignature'],
    extensions: [
      {
        oid: FABRIC_ATTRIBUTE_OID,
        critical: false,
        value: utf8Encode(JSON.stringify({ attrs: { 'hf.Type': 'peer', 'ledger.role': '审批' } })),
      },
    ],
  };
}

describe('DER writer (proof/der-writer.ts)', () => {
  it('writes OIDs the reader reads back, large arcs included', () => {
    for (const oid of ['1.2.156.10197.1.501', '1.2.840.10045.2.1', '2.5.29.35', '1.3.6.1.4.1.99999']) {
      expect(oidText(readWhole(derOid(oid), 0x06).value)).to.equal(oid);
    }
    expect(bytesToHex(derOid('1.2.156.10197.1.301'))).to.equal('06082a811ccf5501822d');
    expect(() => derOid('1.40.1')).to.throw(RangeError, /is not an OID/);
    expect(() => derOid('1.2.x')).to.throw(RangeError, /non-numeric arc/);
  });

  it('writes named bit strings without trailing zero bits (X.690 11.2.2)', () => {
    expect(bytesToHex(derNamedBits([0]))).to.equal('03020780'); // digitalSignature
    expect(bytesToHex(derNamedBits([0, 5, 6]))).to.equal('03020186'); // + keyCertSign, cRLSign
    expect(bytesToHex(derNamedBits([8]))).to.equal('0303070080');
    expect(() => derBitString(new Uint8Array(0), 3)).to.throw(RangeError);
  });

  it('writes UTCTime before 2050 and GeneralizedTime from 2050, whole seconds only', () => {
    expect(new TextDecoder().decode(derTime(new Date('2049-12-31T23:59:59Z')).subarray(2))).to.equal(
      '491231235959Z',
    );
    expect(derTime(new Date('2049-12-31T23:59:59Z'))[0]).to.equal(0x17);
    const late = derTime(new Date('2050-01-01T00:00:00Z'));
    expect(late[0]).to.equal(0x18);
    expect(new TextDecoder().decode(late.subarray(2))).to.equal('20500101000000Z');
    expect(() => derTime(new Date('2026-01-01T00:00:00.5Z'))).to.throw(RangeError, /whole second/);
  });

  it('orders SET OF members by encoding and refuses what a PrintableString cannot hold', () => {
    expect(bytesToHex(derSet(new Uint8Array([2, 1, 9]), new Uint8Array([2, 1, 1])))).to.equal(
      '3106020101020109',
    );
    expect(() => derPrintableString('北京')).to.throw(RangeError, /PrintableString/);
  });
});

describe('gm suite: SM2 X.509 certificates (sm2-certificate.ts), checked by OpenSSL 3', () => {
  let dir: string;
  const caKey = sm2RandomPrivateKey();
  const peerKey = sm2RandomPrivateKey();
  const caPem = sm2SelfSignedCertificate(caRequest('beijing.ledger.gov.cn', sm2PublicKey(caKey)), caKey);
  const peerPem = sm2IssuedCertificate(peerRequest('beijing.ledger.gov.cn', sm2PublicKey(peerKey)), {
    certificate: caPem,
    privateKey: caKey,
  });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sm2-cert-'));
    writeFileSync(join(dir, 'ca.pem'), caPem);
    writeFileSync(join(dir, 'peer.pem'), peerPem);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a CA certificate OpenSSL reads as SM2-with-SM3 on the SM2 curve, with the CA extensions', () => {
    const text = openssl(['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text']);
    expect(text).to.match(/Version: 3 \(0x2\)/);
    expect(text.match(/Signature Algorithm: SM2-with-SM3/g)).to.have.length(2);
    expect(text).to.match(/ASN1 OID: SM2/);
    expect(text).to.match(/Issuer: C = CN, O = beijing.ledger.gov.cn, CN = ca.beijing.ledger.gov.cn/);
    expect(text).to.match(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).to.match(/X509v3 Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    const ski = bytesToHex(sm2KeyIdentifier(sm2PublicKey(caKey)))
      .toUpperCase()
      .match(/../g)!
      .join(':');
    expect(text).to.include(`X509v3 Subject Key Identifier: \n                ${ski}`);
    expect(text).to.match(/Not After : Jan {2}1 00:00:00 2046 GMT/);
  });

  it('issues certificates whose SM2 signature OpenSSL verifies with the default user ID, and not with another', () => {
    const ca = parseCertificate(caPem);
    writeFileSync(join(dir, 'ca-pub.pem'), createPublicKey(caPem).export({ type: 'spki', format: 'pem' }));
    const check = (pem: string, name: string, distid: string): boolean => {
      const cert = parseCertificate(pem);
      writeFileSync(join(dir, `${name}.tbs`), cert.tbs);
      writeFileSync(join(dir, `${name}.sig`), cert.signature);
      const args = ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${distid}`];
      const files = ['-in', join(dir, `${name}.tbs`), '-sigfile', join(dir, `${name}.sig`)];
      const key = ['-pubin', '-inkey', join(dir, 'ca-pub.pem')];
      try {
        return /Signature Verified Successfully/.test(openssl([...args, ...files, ...key]));
      } catch {
        return false;
      }
    };
    expect(check(peerPem, 'peer', '1234567812345678')).to.equal(true);
    expect(check(caPem, 'ca', '1234567812345678')).to.equal(true);
    expect(check(peerPem, 'peer', '1234567812345679')).to.equal(false);
    // A CA with the same name and another key: the names chain, the signature does not.
    const otherKey = sm2RandomPrivateKey();
    const forged = sm2IssuedCertificate(peerRequest('beijing.ledger.gov.cn', sm2PublicKey(peerKey)), {
      certificate: sm2SelfSignedCertificate(
        caRequest('beijing.ledger.gov.cn', sm2PublicKey(otherKey)),
        otherKey,
      ),
      privateKey: otherKey,
    });
    expect(check(forged, 'forged', '1234567812345678')).to.equal(false);
    expect(isIssuedBy(parseCertificate(forged), ca)).to.equal(false);
  });

  it("finds that OpenSSL 3.0's `openssl verify` checks SM2 certificate signatures with an EMPTY user ID, not GB/T 35276's default", () => {
    // So it refuses standard (GM/T 0015) certificates, ours and those `openssl req -sigopt distid:1234567812345678`
    // makes, and accepts only what OpenSSL signed with no distid; -vfyopt does not reach chain verification.
    expect(opensslFails(['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'peer.pem')])).to.match(
      /certificate signature failure/,
    );
    const fixtures = join(__dirname, 'fixtures');
    expect(
      opensslFails([
        'verify',
        '-check_ss_sig',
        '-CAfile',
        join(fixtures, 'openssl-sm2-default-id.pem'),
        join(fixtures, 'openssl-sm2-default-id.pem'),
      ]),
    ).to.match(/EVP lib|signature failure/);
    const noId = join(fixtures, 'openssl-sm2-no-distid.pem');
    expect(openssl(['verify', '-check_ss_sig', '-CAfile', noId, noId])).to.match(/: OK/);
    const noIdCert = parseCertificate(readFileSync(noId, 'utf8'));
    expect(sm2Verify(noIdCert.publicKey, noIdCert.tbs, noIdCert.signature, { userId: '' })).to.equal(true);
    expect(isIssuedBy(noIdCert, noIdCert)).to.equal(false);
  });

  it('writes the end-entity extensions OpenSSL expects of an identity', () => {
    const text = openssl(['x509', '-in', join(dir, 'peer.pem'), '-noout', '-text']);
    expect(text).to.match(
      /Subject: C = CN, O = beijing.ledger.gov.cn, OU = peer, CN = peer0.beijing.ledger.gov.cn/,
    );
    expect(text).to.match(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).to.match(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    const caSki = bytesToHex(sm2KeyIdentifier(sm2PublicKey(caKey)))
      .toUpperCase()
      .match(/../g)!
      .join(':');
    expect(text).to.match(new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${caSki}`));
    expect(text).to.include('1.2.3.4.5.6.7.8.1:');
  });

  it('makes certificates the verification core reads: SM2 key, issuer, NodeOU role, attributes', () => {
    const ca = parseCertificate(caPem);
    const peer = parseCertificate(peerPem);
    expect(peer.keyCurve).to.equal('SM2');
    expect(peer.signatureAlgorithm).to.equal('1.2.156.10197.1.501');
    expect(peer.issuer).to.equal('C=CN, O=beijing.ledger.gov.cn, CN=ca.beijing.ledger.gov.cn');
    expect(isIssuedBy(peer, ca)).to.equal(true);
    expect(isIssuedBy(ca, ca)).to.equal(true);
    expect(isIssuedBy(peer, peer)).to.equal(false);
    expect(nodeRoleOf(certificateOf(peerPem))).to.equal('peer');
    expect(bytesToHex(subjectKeyIdentifierOf(caPem)!)).to.equal(bytesToHex(sm2KeyIdentifier(ca.publicKey)));
    const attrs = JSON.parse(new TextDecoder().decode(extensionValue(peer.der, FABRIC_ATTRIBUTE_OID)));
    expect(attrs).to.deep.equal({ attrs: { 'hf.Type': 'peer', 'ledger.role': '审批' } });
    // the issued certificate's signature is a plain SM2 signature over its TBS, with the default user ID
    expect(sm2Verify(ca.publicKey, peer.tbs, peer.signature)).to.equal(true);
    expect(sm2Verify(ca.publicKey, peer.tbs, peer.signature, { userId: '' })).to.equal(false);
  });

  it('refuses a private key that is not the certificate’s, and dates out of order', () => {
    const stranger = sm2RandomPrivateKey();
    expect(() => sm2SelfSignedCertificate(caRequest('x', sm2PublicKey(caKey)), stranger)).to.throw(
      RangeError,
      /not the private key/,
    );
    expect(() =>
      sm2IssuedCertificate(peerRequest('x', sm2PublicKey(peerKey)), {
        certificate: caPem,
        privateKey: stranger,
      }),
    ).to.throw(RangeError, /not the issuer certificate/);
    expect(() =>
      sm2SelfSignedCertificate({ ...caRequest('x', sm2PublicKey(caKey)), notAfter: NOT_BEFORE }, caKey),
    ).to.throw(RangeError, /notBefore must be before notAfter/);
  });

  it('writes PKCS#8 SM2 keys OpenSSL and node:crypto read, and reads the ones OpenSSL makes', () => {
    const keyPem = sm2PrivateKeyPem(peerKey);
    writeFileSync(join(dir, 'peer-key.pem'), keyPem);
    const opensslText = openssl(['pkey', '-in', join(dir, 'peer-key.pem'), '-noout', '-text']);
    expect(opensslText).to.match(/ASN1 OID: SM2/);
    const pub = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    expect(bytesToHex(pub.subarray(pub.length - 65))).to.equal(bytesToHex(sm2PublicKey(peerKey)));
    expect(bytesToHex(sm2PrivateKeyOfPem(keyPem))).to.equal(bytesToHex(peerKey));

    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', join(dir, 'o.key')]);
    const theirs = sm2PrivateKeyOfPem(readFileSync(join(dir, 'o.key'), 'utf8'));
    const spki = createPublicKey(readFileSync(join(dir, 'o.key'), 'utf8')).export({
      type: 'spki',
      format: 'der',
    });
    expect(bytesToHex(spki.subarray(spki.length - 65))).to.equal(bytesToHex(sm2PublicKey(theirs)));
    // OpenSSL certifies a request signed with that key; the core checks the certificate with the default ID.
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      join(dir, 'o.key'),
      '-sm3',
      '-sigopt',
      'distid:1234567812345678',
      '-subj',
      '/C=CN/O=x/CN=openssl',
      '-days',
      '30',
      '-out',
      join(dir, 'o.pem'),
    ]);
    const theirsCert = parseCertificate(readFileSync(join(dir, 'o.pem'), 'utf8'));
    expect(isIssuedBy(theirsCert, theirsCert)).to.equal(true);
    expect(sm2Verify(sm2PublicKey(theirs), utf8Encode('x'), sm2Sign(theirs, utf8Encode('x')))).to.equal(true);
    expect(() => sm2PrivateKeyOfPem(caPem)).to.throw(/not a PEM PKCS#8 private key/);
    const p256 = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
    expect(() => sm2PrivateKeyOfPem(p256)).to.throw(/not an EC key on sm2p256v1/);
  });
});
