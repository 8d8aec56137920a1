// @vitest-environment node
// The embedded ledger makes its certificates with @peculiar/x509 (chaincode's CertificateAuthority), which
// needs the reflect-metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createAuthority } from './testing/ledger-builder';
import { certificateIssuedBy } from './web-crypto-chain-verifier';
import { DerError, parseCertificate, pemToDer } from '@approval-ledger/protocol';

describe('certificates made like the embedded ledger’s (@peculiar/x509)', () => {
  it('parses them and verifies the CA’s signature, and refuses another CA', async () => {
    x509.cryptoProvider.set(globalThis.crypto);
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const caKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'C=CN, O=beijing.ledger.gov.cn, CN=ca.beijing.ledger.gov.cn',
      keys: caKeys,
      signingAlgorithm: algorithm,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const peerKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const peer = await x509.X509CertificateGenerator.create({
      subject: 'C=CN, O=beijing.ledger.gov.cn, OU=peer, CN=peer0.beijing.ledger.gov.cn',
      issuer: ca.subject,
      publicKey: peerKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: algorithm,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    const parsed = parseCertificate(peer.toString('pem'));
    expect(parsed.subject).toBe('C=CN, O=beijing.ledger.gov.cn, OU=peer, CN=peer0.beijing.ledger.gov.cn');
    expect(parsed.issuer).toBe('C=CN, O=beijing.ledger.gov.cn, CN=ca.beijing.ledger.gov.cn');
    expect(parsed.publicKey).toHaveLength(65);
    expect(parsed.spki.length).toBeGreaterThan(65);
    expect((await certificateIssuedBy(peer.toString('pem'), ca.toString('pem'))).status).toBe('verified');
    const other = (await createAuthority('BeijingMSP', 'beijing.ledger.gov.cn')).certificate;
    expect((await certificateIssuedBy(peer.toString('pem'), other)).status).toBe('failed');
  });
});

describe('parseCertificate', () => {
  it('reads validity, key algorithm and the signature of a test CA', async () => {
    const ca = await createAuthority('HebeiMSP', 'hebei.ledger.gov.cn');
    const parsed = parseCertificate(ca.certificate);
    expect(parsed.subject).toBe('C=CN, O=hebei.ledger.gov.cn, CN=ca.hebei.ledger.gov.cn');
    expect(parsed.subject).toBe(parsed.issuer);
    expect(parsed.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    expect(parsed.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(parsed.notAfter.getUTCFullYear()).toBe(2045);
    expect(parsed.der).toEqual(pemToDer(ca.certificate));
  });

  it('refuses text that is not a PEM certificate', () => {
    expect(() => parseCertificate('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow(
      DerError,
    );
  });
});
