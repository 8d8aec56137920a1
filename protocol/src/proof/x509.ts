/**
 * X.509 certificates as a proof verifier needs them, in any JavaScript runtime: the P-256 public key, the
 * signed part and its ECDSA signature (to check who issued it), subject and issuer, validity and the
 * SHA-256 fingerprint by which a reader can recognise an organisation's CA.
 */
import { bytesToHex } from '../bytes.js';
import { sha256 } from '../sha256.js';
import { base64ToBytes } from './base64.js';
import {
  bitStringBytes,
  children,
  DER_TAG,
  DerError,
  type DerElement,
  expectTag,
  oidText,
  readWhole,
} from './der.js';
import { verifyP256 } from './ecdsa-p256.js';
import { SM2_CURVE_OID, SM2_WITH_SM3_OID, sm2Verify } from '../gm/sm2.js';

export const X509_OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** sm2p256v1 (GM/T 0006), the curve of the 国密 (`gm`) suite. */
  sm2p256v1: SM2_CURVE_OID,
  /** SM2 signature with SM3 (GM/T 0006). */
  sm2WithSm3: SM2_WITH_SM3_OID,
} as const;

/** The curve of a certificate's key: P-256 (the `intl` suite) or SM2 (the `gm` suite). */
export type KeyCurve = 'P-256' | 'SM2';

const CURVE_OF_OID: Record<string, KeyCurve> = {
  [X509_OID.prime256v1]: 'P-256',
  [X509_OID.sm2p256v1]: 'SM2',
};

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

export interface Certificate {
  /** The DER bytes. */
  readonly der: Uint8Array;
  /** Lower-case hex SHA-256 of the DER bytes. */
  readonly fingerprint: string;
  /** `C=CN, O=beijing.ledger.gov.cn, OU=peer, CN=...` (in certificate order). */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The uncompressed (or compressed) SEC1 point of the public key. */
  readonly publicKey: Uint8Array;
  /** Which curve the key is on. */
  readonly keyCurve: KeyCurve;
  /** The DER SubjectPublicKeyInfo (what WebCrypto imports as `spki`). */
  readonly spki: Uint8Array;
  /** Organisational units of the subject (Fabric's NodeOU role: client, peer, orderer, admin). */
  readonly organisationalUnits: readonly string[];
  /** The to-be-signed part, its signature algorithm and the issuer's signature over it. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly issuerRaw: Uint8Array;
  readonly subjectRaw: Uint8Array;
}

/** The DER bytes of the first `CERTIFICATE` block of a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new DerError('not a PEM certificate');
  return base64ToBytes(match[1]);
}

/** Parses a PEM certificate with a P-256 or an SM2 key; throws DerError for anything else. */
export function parseCertificate(pem: string): Certificate {
  const der = pemToDer(pem);
  const [tbsElement, algorithm, signatureBits] = children(readWhole(der, DER_TAG.SEQUENCE));
  const tbs = expectTag(tbsElement, DER_TAG.SEQUENCE);
  const fields = children(tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const issuer = expectTag(fields[offset + 2], DER_TAG.SEQUENCE);
  const validity = children(expectTag(fields[offset + 3], DER_TAG.SEQUENCE));
  const subject = expectTag(fields[offset + 4], DER_TAG.SEQUENCE);
  const spki = expectTag(fields[offset + 5], DER_TAG.SEQUENCE);
  return {
    der,
    fingerprint: bytesToHex(sha256(der)),
    subject: nameText(subject),
    issuer: nameText(issuer),
    notBefore: timeValue(validity[0]),
    notAfter: timeValue(validity[1]),
    ...ecPublicKey(spki),
    spki: spki.raw,
    organisationalUnits: nameAttributes(subject, 'OU'),
    tbs: tbs.raw,
    signatureAlgorithm: oidText(
      expectTag(children(expectTag(algorithm, DER_TAG.SEQUENCE))[0], DER_TAG.OID).value,
    ),
    signature: bitStringBytes(expectTag(signatureBits, DER_TAG.BIT_STRING)),
    issuerRaw: issuer.raw,
    subjectRaw: subject.raw,
  };
}

/**
 * True when `ca` issued `certificate`: names chain and the CA's key verifies its signature, ECDSA P-256 with
 * SHA-256 for a P-256 CA, SM2 with SM3 and the default user ID (GM/T 0015) for an SM2 CA; a certificate whose
 * signature algorithm is not its CA's curve's is refused.
 */
export function isIssuedBy(certificate: Certificate, ca: Certificate): boolean {
  if (!sameBytes(certificate.issuerRaw, ca.subjectRaw)) return false;
  if (ca.keyCurve === 'SM2') {
    return (
      certificate.signatureAlgorithm === X509_OID.sm2WithSm3 &&
      sm2Verify(ca.publicKey, certificate.tbs, certificate.signature)
    );
  }
  if (certificate.signatureAlgorithm !== X509_OID.ecdsaWithSha256) return false;
  // CAs need not produce low-S signatures (only Fabric's transaction signatures must be low S)
  return verifyP256(ca.publicKey, certificate.tbs, certificate.signature, { lowS: false });
}

/** True when `at` lies within the certificate's validity period. */
export function isValidAt(certificate: Certificate, at: Date): boolean {
  return certificate.notBefore.getTime() <= at.getTime() && at.getTime() <= certificate.notAfter.getTime();
}

function ecPublicKey(spki: DerElement): { publicKey: Uint8Array; keyCurve: KeyCurve } {
  const [algorithm, key] = children(spki);
  const [keyType, curve] = children(expectTag(algorithm, DER_TAG.SEQUENCE));
  if (oidText(expectTag(keyType, DER_TAG.OID).value) !== X509_OID.ecPublicKey) {
    throw new DerError('certificate key is not an elliptic-curve key');
  }
  const keyCurve = CURVE_OF_OID[oidText(expectTag(curve, DER_TAG.OID).value)];
  if (!keyCurve) throw new DerError('certificate key is on neither P-256 nor SM2');
  return { publicKey: bitStringBytes(expectTag(key, DER_TAG.BIT_STRING)), keyCurve };
}

function nameEntries(name: DerElement): [string, string][] {
  const entries: [string, string][] = [];
  for (const rdn of children(name)) {
    for (const attribute of children(rdn)) {
      const [type, value] = children(attribute);
      const oid = oidText(expectTag(type, DER_TAG.OID).value);
      entries.push([NAME_ATTRIBUTES[oid] ?? oid, value ? new TextDecoder().decode(value.value) : '']);
    }
  }
  return entries;
}

function nameText(name: DerElement): string {
  return nameEntries(name)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function nameAttributes(name: DerElement, key: string): string[] {
  return nameEntries(name)
    .filter(([k]) => k === key)
    .map(([, v]) => v);
}

function timeValue(element: DerElement | undefined): Date {
  if (!element) throw new DerError('certificate validity is incomplete');
  const text = new TextDecoder().decode(element.value);
  const m = /^(\d{2,4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`certificate time ${JSON.stringify(text)} is not in UTC`);
  let year = Number(m[1]);
  if (element.tag === DER_TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
