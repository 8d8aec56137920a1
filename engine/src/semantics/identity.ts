// Organisation CAs and member identities as Fabric CA issues them: ECDSA P-256 keys, X.509
// certificates with the NodeOU role in OU and the attribute extension (OID 1.2.3.4.5.6.7.8.1, JSON
// `{"attrs":{...}}`) that fabric-shim's ClientIdentity reads. Also low-S ECDSA signing and
// verification with those keys, as Fabric signs and checks endorsements and blocks.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify, webcrypto } from 'node:crypto';
import {
  type CryptoSuiteName,
  ecdsaP1363ToLowSDer,
  isLowSSignature,
  sm2IssuedCertificate,
  sm2PrivateKeyOfPem,
  sm2PrivateKeyPem,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2SelfSignedCertificate,
  certificateOf,
  isIssuedBy,
  utf8Encode,
} from '@approval-ledger/protocol';
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
 * An organisation CA of the `gm` (国密) suite: SM2 keys, certificates signed SM2-with-SM3 (with the default user
 * ID, GM/T 0015), in the same shapes as {@link CertificateAuthority}'s (C, O, OU = NodeOU role, CN; basic
 * constraints, key usage, SKI/AKI, Fabric CA's attribute extension). Certificates are written by the protocol
 * package's `sm2-certificate.ts` (WebCrypto, which @peculiar/x509 signs through, has no SM2).
 */
export class Sm2CertificateAuthority {
  readonly suite = 'gm';
  readonly #key: Uint8Array;

  private constructor(
    readonly mspId: string,
    readonly domain: string,
    readonly certificate: string,
    readonly privateKey: string,
  ) {
    this.#key = sm2PrivateKeyOfPem(privateKey);
  }

  /** A new self-signed organisation CA with a fresh SM2 key. */
  static create(options: CertificateAuthorityOptions): Promise<Sm2CertificateAuthority> {
    const key = sm2RandomPrivateKey();
    const certificate = sm2SelfSignedCertificate(
      {
        subject: [
          ['C', 'CN'],
          ['O', options.domain],
          ['CN', `ca.${options.domain}`],
        ],
        publicKey: sm2PublicKey(key),
        ...defaultValidity(options.notBefore, options.notAfter, 20),
        ca: true,
        keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
      },
      key,
    );
    return Promise.resolve(
      new Sm2CertificateAuthority(options.mspId, options.domain, certificate, sm2PrivateKeyPem(key)),
    );
  }

  /** Reloads a CA saved as PEM. */
  static fromPem(identity: X509Identity & { readonly domain: string }): Promise<Sm2CertificateAuthority> {
    return Promise.resolve(
      new Sm2CertificateAuthority(identity.mspId, identity.domain, identity.certificate, identity.privateKey),
    );
  }

  /** Issues a member certificate with an SM2 key, as {@link CertificateAuthority.issue} does with P-256. */
  issue(options: IssueOptions): Promise<X509Identity> {
    const key = sm2RandomPrivateKey();
    const attrs = {
      'hf.Affiliation': '',
      'hf.EnrollmentID': options.enrollmentId,
      'hf.Type': options.role,
      ...options.attributes,
    };
    const certificate = sm2IssuedCertificate(
      {
        subject: [
          ['C', 'CN'],
          ['O', this.domain],
          ['OU', options.role],
          ['CN', options.enrollmentId],
        ],
        publicKey: sm2PublicKey(key),
        ...defaultValidity(options.notBefore, options.notAfter, 5),
        ca: false,
        keyUsage: ['digitalSignature'],
        extensions: [
          { oid: FABRIC_ATTRIBUTE_OID, critical: false, value: utf8Encode(JSON.stringify({ attrs })) },
        ],
      },
      { certificate: this.certificate, privateKey: this.#key },
    );
    return Promise.resolve({ mspId: this.mspId, certificate, privateKey: sm2PrivateKeyPem(key) });
  }

  /** True when `certificatePem` was issued by this CA (names chain, SM2-with-SM3 signature). */
  issued(certificatePem: string): Promise<boolean> {
    return Promise.resolve(isIssuedBy(certificateOf(certificatePem), certificateOf(this.certificate)));
  }
}

/** An organisation CA of either suite. */
export type OrganisationCa = CertificateAuthority | Sm2CertificateAuthority;

/** A new organisation CA of the suite: P-256 (`intl`) or SM2 (`gm`). */
export function createCertificateAuthority(
  options: CertificateAuthorityOptions,
  suite: CryptoSuiteName = 'intl',
): Promise<OrganisationCa> {
  return suite === 'gm' ? Sm2CertificateAuthority.create(options) : CertificateAuthority.create(options);
}

/** Reloads a CA saved as PEM, of the suite its key says (an SM2 key: `gm`). */
export function certificateAuthorityFromPem(
  identity: X509Identity & { readonly domain: string },
): Promise<OrganisationCa> {
  return isSm2PrivateKeyPem(identity.privateKey)
    ? Sm2CertificateAuthority.fromPem(identity)
    : CertificateAuthority.fromPem(identity);
}

/** True when a PEM PKCS#8 private key is an SM2 key. */
export function isSm2PrivateKeyPem(pem: string): boolean {
  try {
    sm2PrivateKeyOfPem(pem);
    return true;
  } catch {
    return false;
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
