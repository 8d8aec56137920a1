/**
 * X.509 v3 certificates for SM2 keys (GM/T 0015-2012, RFC 5280 shapes): the `gm` suite's organisation CAs and
 * the identities they issue. The key is `id-ecPublicKey` on the curve `1.2.156.10197.1.301` (sm2p256v1) and the
 * signature `1.2.156.10197.1.501` (SM2 with SM3), made over the TBSCertificate with the signer's Z_A for GB/T
 * 35276's default user ID, which is what OpenSSL 3 uses to verify SM2 certificates (`sm2-certificate.test.ts`
 * checks every shape here with `openssl x509` and `openssl verify`). Key identifiers are SM3 of the public key
 * bits truncated to 160 bits (RFC 7093 method 1, with the suite's hash).
 *
 * Private keys are PKCS#8 (`-----BEGIN PRIVATE KEY-----`, RFC 5915 ECPrivateKey inside), the form OpenSSL and
 * node:crypto read. Pure JavaScript: no node:crypto, so the same code runs in a browser.
 */
import { bytesToBase64, base64ToBytes } from '../proof/base64.js';
import { children, DER_TAG, DerError, expectTag, oidText, readWhole } from '../proof/der.js';
import {
  derBitString,
  derBoolean,
  derExplicit,
  derImplicitPrimitive,
  derInteger,
  derNamedBits,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derTime,
  derUtf8String,
} from '../proof/der-writer.js';
import { parseCertificate, pemToDer, X509_OID } from '../proof/x509.js';
import { bytesToNumberBE } from '@noble/curves/utils';
import { randomBytes } from '@noble/hashes/utils';
import { SM2_CURVE_OID, SM2_WITH_SM3_OID, Sm2Point, sm2PublicKey, sm2Sign } from './sm2.js';
import { sm3 } from './sm3.js';

/** X.509 extension OIDs the builder writes. */
export const EXTENSION_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** Name attributes by their short names, as `x509.ts` prints them (`C=CN, O=…, OU=…, CN=…`). */
const NAME_OID = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
export type NameAttribute = keyof typeof NAME_OID;

/** A distinguished name in order, one attribute per RDN: `[['C', 'CN'], ['O', 'beijing.ledger.gov.cn'], …]`. */
export type DistinguishedName = readonly (readonly [NameAttribute, string])[];

/** RFC 5280 4.2.1.3 key usage bits. */
export const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;
export type KeyUsage = keyof typeof KEY_USAGE;

/** Any other extension, already encoded (e.g. Fabric CA's attribute extension). */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue contents (what goes inside the OCTET STRING). */
  readonly value: Uint8Array;
}

export interface Sm2CertificateRequest {
  readonly subject: DistinguishedName;
  /** The subject's uncompressed SM2 public key (65 bytes). */
  readonly publicKey: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA (basic constraints cA, critical) or an end entity (cA false, critical). */
  readonly ca: boolean;
  readonly keyUsage: readonly KeyUsage[];
  readonly extensions?: readonly CertificateExtension[];
  /** Default: 16 random bytes, positive. */
  readonly serialNumber?: bigint;
}

/** Who signs a certificate: a CA's PEM certificate and its SM2 private key (32 bytes). */
export interface Sm2Issuer {
  readonly certificate: string;
  readonly privateKey: Uint8Array;
}

/** A self-signed SM2-with-SM3 certificate (an organisation's root CA), PEM. */
export function sm2SelfSignedCertificate(request: Sm2CertificateRequest, privateKey: Uint8Array): string {
  if (!sameBytes(sm2PublicKey(privateKey), Sm2Point.fromBytes(request.publicKey).toBytes(false))) {
    throw new RangeError('sm2SelfSignedCertificate: publicKey is not the private key’s');
  }
  const keyId = sm2KeyIdentifier(request.publicKey);
  const name = distinguishedName(request.subject);
  return certificatePem(request, privateKey, name, keyId, keyId);
}

/** A certificate for `request.publicKey` signed by `issuer` with SM2-with-SM3, PEM. */
export function sm2IssuedCertificate(request: Sm2CertificateRequest, issuer: Sm2Issuer): string {
  const ca = parseCertificate(issuer.certificate);
  if (ca.keyCurve !== 'SM2') throw new RangeError('sm2IssuedCertificate: the issuer’s key is not an SM2 key');
  if (!sameBytes(sm2PublicKey(issuer.privateKey), Sm2Point.fromBytes(ca.publicKey).toBytes(false))) {
    throw new RangeError('sm2IssuedCertificate: the private key is not the issuer certificate’s');
  }
  const authorityKeyId = subjectKeyIdentifierOf(issuer.certificate) ?? sm2KeyIdentifier(ca.publicKey);
  return certificatePem(
    request,
    issuer.privateKey,
    ca.subjectRaw,
    sm2KeyIdentifier(request.publicKey),
    authorityKeyId,
  );
}

/** SM3 of the public key bits, truncated to 160 bits (RFC 7093 method 1 with SM3). */
export function sm2KeyIdentifier(publicKey: Uint8Array): Uint8Array {
  return sm3(Sm2Point.fromBytes(publicKey).toBytes(false)).subarray(0, 20);
}

function certificatePem(
  request: Sm2CertificateRequest,
  signingKey: Uint8Array,
  issuerName: Uint8Array,
  subjectKeyId: Uint8Array,
  authorityKeyId: Uint8Array,
): string {
  if (!(request.notBefore.getTime() < request.notAfter.getTime())) {
    throw new RangeError('SM2 certificate: notBefore must be before notAfter');
  }
  const algorithm = derSequence(derOid(SM2_WITH_SM3_OID));
  const tbs = derSequence(
    derExplicit(0, derInteger(2)), // v3
    derInteger(request.serialNumber ?? randomSerial()),
    algorithm,
    issuerName,
    derSequence(derTime(request.notBefore), derTime(request.notAfter)),
    distinguishedName(request.subject),
    sm2SubjectPublicKeyInfo(request.publicKey),
    derExplicit(3, derSequence(...extensionsOf(request, subjectKeyId, authorityKeyId))),
  );
  const signature = sm2Sign(signingKey, tbs); // Z_A with the default user ID, as GM/T 0015 and OpenSSL 3 expect
  return pem('CERTIFICATE', derSequence(tbs, algorithm, derBitString(signature)));
}

function extensionsOf(
  request: Sm2CertificateRequest,
  subjectKeyId: Uint8Array,
  authorityKeyId: Uint8Array,
): Uint8Array[] {
  const extension = (oid: string, critical: boolean, value: Uint8Array): Uint8Array =>
    derSequence(derOid(oid), ...(critical ? [derBoolean(true)] : []), derOctetString(value));
  return [
    extension(
      EXTENSION_OID.basicConstraints,
      true,
      request.ca ? derSequence(derBoolean(true)) : derSequence(),
    ),
    extension(EXTENSION_OID.keyUsage, true, derNamedBits(request.keyUsage.map((usage) => KEY_USAGE[usage]))),
    extension(EXTENSION_OID.subjectKeyIdentifier, false, derOctetString(subjectKeyId)),
    extension(
      EXTENSION_OID.authorityKeyIdentifier,
      false,
      derSequence(derImplicitPrimitive(0, authorityKeyId)),
    ),
    ...(request.extensions ?? []).map((e) => extension(e.oid, e.critical, e.value)),
  ];
}

/** The DER SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey on sm2p256v1, the uncompressed point. */
function sm2SubjectPublicKeyInfo(publicKey: Uint8Array): Uint8Array {
  return derSequence(
    derSequence(derOid(X509_OID.ecPublicKey), derOid(SM2_CURVE_OID)),
    derBitString(Sm2Point.fromBytes(publicKey).toBytes(false)),
  );
}

function distinguishedName(name: DistinguishedName): Uint8Array {
  return derSequence(
    ...name.map(([attribute, value]) => {
      const oid = NAME_OID[attribute];
      if (!oid) throw new RangeError(`SM2 certificate: unknown name attribute ${String(attribute)}`);
      // countryName is a PrintableString (RFC 5280 A.1), everything else UTF8String, as OpenSSL writes them
      const text = attribute === 'C' ? derPrintableString(value) : derUtf8String(value);
      return derSet(derSequence(derOid(oid), text));
    }),
  );
}

function randomSerial(): bigint {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40; // positive, 16 bytes, never a leading zero
  return bytesToNumberBE(bytes);
}

/** The SubjectKeyIdentifier of a PEM certificate, if it has one. */
export function subjectKeyIdentifierOf(certificatePem: string): Uint8Array | undefined {
  const value = extensionValue(pemToDer(certificatePem), EXTENSION_OID.subjectKeyIdentifier);
  return value && expectTag(readWhole(value, DER_TAG.OCTET_STRING), DER_TAG.OCTET_STRING).value;
}

/** The extnValue contents of the extension `oid` of a DER certificate. */
export function extensionValue(certificateDer: Uint8Array, oid: string): Uint8Array | undefined {
  const [tbs] = children(readWhole(certificateDer, DER_TAG.SEQUENCE));
  const explicit = children(expectTag(tbs, DER_TAG.SEQUENCE)).find((field) => field.tag === 0xa3);
  if (!explicit) return undefined;
  const [list] = children(explicit);
  for (const extension of children(expectTag(list, DER_TAG.SEQUENCE))) {
    const parts = children(extension);
    if (oidText(expectTag(parts[0], DER_TAG.OID).value) !== oid) continue;
    return expectTag(parts[parts.length - 1], DER_TAG.OCTET_STRING).value;
  }
  return undefined;
}

// --------------------------------------------------------------------------------------------- keys

/** PKCS#8 (RFC 5208) PEM of an SM2 private key, with its public key (RFC 5915), as OpenSSL writes it. */
export function sm2PrivateKeyPem(privateKey: Uint8Array): string {
  const publicKey = sm2PublicKey(privateKey); // also checks d ∈ [1, n−2]
  const ecPrivateKey = derSequence(
    derInteger(1),
    derOctetString(privateKey),
    derExplicit(1, derBitString(publicKey)),
  );
  return pem(
    'PRIVATE KEY',
    derSequence(
      derInteger(0),
      derSequence(derOid(X509_OID.ecPublicKey), derOid(SM2_CURVE_OID)),
      derOctetString(ecPrivateKey),
    ),
  );
}

/** The 32-byte private key d of a PKCS#8 PEM SM2 key (OpenSSL's or {@link sm2PrivateKeyPem}'s). */
export function sm2PrivateKeyOfPem(pemText: string): Uint8Array {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pemText);
  if (!match?.[1]) throw new DerError('SM2 private key: not a PEM PKCS#8 private key');
  const [version, algorithm, octets] = children(readWhole(base64ToBytes(match[1]), DER_TAG.SEQUENCE));
  expectTag(version, DER_TAG.INTEGER);
  const [keyType, curve] = children(expectTag(algorithm, DER_TAG.SEQUENCE));
  if (
    oidText(expectTag(keyType, DER_TAG.OID).value) !== X509_OID.ecPublicKey ||
    oidText(expectTag(curve, DER_TAG.OID).value) !== SM2_CURVE_OID
  ) {
    throw new DerError('SM2 private key: the key is not an EC key on sm2p256v1');
  }
  const inner = readWhole(expectTag(octets, DER_TAG.OCTET_STRING).value, DER_TAG.SEQUENCE);
  const d = expectTag(children(inner)[1], DER_TAG.OCTET_STRING).value;
  if (d.length !== 32) throw new DerError(`SM2 private key: 32 bytes expected, got ${d.length}`);
  sm2PublicKey(d); // d ∈ [1, n−2]
  return new Uint8Array(d);
}

function pem(label: string, der: Uint8Array): string {
  const lines = bytesToBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
