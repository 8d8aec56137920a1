// Organisation CAs and member identities as Fabric CA issues them: ECDSA P-256 keys, X.509
// certificates with the NodeOU role in OU and the attribute extension (OID 1.2.3.4.5.6.7.8.1, JSON
// `{"attrs":{...}}`) that fabric-shim's ClientIdentity reads. Also low-S ECDSA signing and
// verification with those keys, as Fabric signs and checks endorsements and blocks.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify, webcrypto } from 'node:crypto';
import { ecdsaP1363ToLowSDer, isLowSSignature } from '@approval-ledger/protocol';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

/** Where Fabric CA puts enrollment attributes in a certificate. */
export const FABRIC_ATTRIBUTE_OID = '1.2.3.4.5.6.7.8.1';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Order of the P-256 group: Fabric rejects signatures whose S is above n/2. */

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';

export interface X509Identity {
  readonly mspId: string;
  /** PEM certificate. */
  readonly certificate: string;
  /** PEM PKCS#8 private key. */
  readonly privateKey: string;
}

export interface IssueOptions {
  readonly enrollmentId: string;
  readonly role: NodeRole;
  /** Enrollment attributes, e.g. `{'ledger.role': 'approver', 'ledger.dept': 'HC'}`. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface CertificateAuthorityOptions {
  readonly mspId: string;
  /** The organisation's domain, e.g. `beijing.approval-ledger`: O of every certificate, CN `ca.<domain>`. */
  readonly domain: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function defaultValidity(notBefore?: Date, notAfter?: Date, years = 10): { notBefore: Date; notAfter: Date } {
  const start = notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 3600 * 1000);
  return { notBefore: start, notAfter: notAfter ?? new Date(start.getTime() + years * YEAR_MS) };
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}

function escapeDn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

export class CertificateAuthority {
  readonly mspId: string;
  readonly domain: string;
  readonly certificate: string;
  readonly privateKey: string;
  readonly #cert: x509.X509Certificate;
  readonly #key: CryptoKey;

  private constructor(
    mspId: string,
    domain: string,
    cert: x509.X509Certificate,
    key: CryptoKey,
    keyPem: string,
  ) {
    this.mspId = mspId;
    this.domain = domain;
    this.#cert = cert;
    this.#key = key;
    this.certificate = cert.toString('pem');
    this.privateKey = keyPem;
  }

  /** A new self-signed organisation CA with a fresh P-256 key. */
  static async create(options: CertificateAuthorityOptions): Promise<CertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: `C=CN, O=${escapeDn(options.domain)}, CN=ca.${escapeDn(options.domain)}`,
      keys,
      signingAlgorithm: ALGORITHM,
      ...defaultValidity(options.notBefore, options.notAfter, 20),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(
      options.mspId,
      options.domain,
      cert,
      keys.privateKey,
      await exportPrivateKey(keys.privateKey),
    );
  }

  /** Reloads a CA saved as PEM (e.g. from the embedded ledger's data directory). */
  static async fromPem(identity: X509Identity & { readonly domain: string }): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(identity.certificate);
    const key = await importPrivateKey(identity.privateKey);
    return new CertificateAuthority(identity.mspId, identity.domain, cert, key, identity.privateKey);
  }

  /** Issues a member certificate, as Fabric CA enrolls an identity (OU = role, attributes in the extension). */
  async issue(options: IssueOptions): Promise<X509Identity> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const attrs = {
      'hf.Affiliation': '',
      'hf.EnrollmentID': options.enrollmentId,
      'hf.Type': options.role,
      ...options.attributes,
    };
    const cert = await x509.X509CertificateGenerator.create({
      subject: `C=CN, O=${escapeDn(this.domain)}, OU=${options.role}, CN=${escapeDn(options.enrollmentId)}`,
      issuer: this.#cert.subject,
      publicKey: keys.publicKey,
      signingKey: this.#key,
      signingAlgorithm: ALGORITHM,
      ...defaultValidity(options.notBefore, options.notAfter, 5),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.#cert),
        new x509.Extension(FABRIC_ATTRIBUTE_OID, false, Buffer.from(JSON.stringify({ attrs }), 'utf8')),
      ],
    });
    return {
      mspId: this.mspId,
      certificate: cert.toString('pem'),
      privateKey: await exportPrivateKey(keys.privateKey),
    };
  }

  /** True when `certificatePem` was issued by this CA (signature check). */
  async issued(certificatePem: string): Promise<boolean> {
    const cert = new x509.X509Certificate(certificatePem);
    return cert.verify({ publicKey: this.#cert.publicKey, signatureOnly: true });
  }
}

/**
 * ECDSA P-256 / SHA-256 signature over `message`, DER-encoded with low S (as Fabric requires): the one signing
 * rule of the engine (`Signer` signs through it with a key parsed once).
 */
export function signMessage(privateKey: string | KeyObject, message: Uint8Array): Uint8Array {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return ecdsaP1363ToLowSDer(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }));
}

/** Verifies a DER ECDSA signature with the public key of a PEM certificate (or PEM public key). */
export function verifyMessage(
  certificateOrKeyPem: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = createPublicKey(certificateOrKeyPem); // a PEM certificate gives its subject's public key
  try {
    return verify('sha256', message, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** True when a DER ECDSA P-256 signature has S <= n/2. */
export const isLowS = isLowSSignature;
