/**
 * Just enough of X.509 (RFC 5280) to check ledger signatures in the browser: the signed TBS part, the subject
 * public key, the issuer and subject names, validity, and the CA's signature over the TBS part.
 */
import { base64ToBytes } from '@approval-ledger/protocol';
import {
  DER_TAG,
  DerError,
  type DerNode,
  decodeOid,
  derChildren,
  derContent,
  derElement,
  readDer,
} from './der';

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  commonName: '2.5.4.3',
  organisationalUnit: '2.5.4.11',
  organisation: '2.5.4.10',
  country: '2.5.4.6',
} as const;

const NAME_LABELS: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.organisationalUnit]: 'OU',
  [OID.organisation]: 'O',
  [OID.country]: 'C',
};

export interface X509Certificate {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** The TBSCertificate element, DER: what the issuer signed. */
  readonly tbs: Uint8Array;
  /** SubjectPublicKeyInfo, DER: importable as `spki` with WebCrypto. */
  readonly spki: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly namedCurve: string | undefined;
  readonly signatureAlgorithm: string;
  /** The issuer's signature, as carried in the BIT STRING (DER ECDSA for ecdsa-with-SHA256). */
  readonly signature: Uint8Array;
  /** Distinguished names as `C=CN, O=…, OU=…, CN=…`, in certificate order. */
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export class CertificateFormatError extends Error {
  constructor(message: string) {
    super(`certificate: ${message}`);
    this.name = 'CertificateFormatError';
  }
}

/** The DER bytes of the first `CERTIFICATE` block of a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new CertificateFormatError('no PEM CERTIFICATE block');
  return base64ToBytes(match[1].replace(/\s+/g, ''));
}

export function parseCertificate(pem: string): X509Certificate {
  try {
    return parseCertificateDer(pemToDer(pem));
  } catch (error) {
    if (error instanceof DerError) throw new CertificateFormatError(error.message);
    throw error;
  }
}

function child(children: readonly DerNode[], index: number, what: string): DerNode {
  const node = children[index];
  if (!node) throw new CertificateFormatError(`missing ${what}`);
  return node;
}

export function parseCertificateDer(der: Uint8Array): X509Certificate {
  const root = readDer(der);
  const [tbsNode, algNode, sigNode] = derChildren(der, root);
  if (!tbsNode || !algNode || !sigNode || sigNode.tag !== DER_TAG.BIT_STRING) {
    throw new CertificateFormatError('not a Certificate SEQUENCE');
  }
  const tbsChildren = derChildren(der, tbsNode);
  const first = child(tbsChildren, 0, 'serial number');
  const offset = first.tag === 0xa0 ? 1 : 0;
  const issuerNode = child(tbsChildren, offset + 2, 'issuer');
  const validityNode = child(tbsChildren, offset + 3, 'validity');
  const subjectNode = child(tbsChildren, offset + 4, 'subject');
  const spkiNode = child(tbsChildren, offset + 5, 'subject public key info');
  const [keyAlgNode] = derChildren(der, spkiNode);
  const [keyAlgOid, curveOid] = keyAlgNode ? derChildren(der, keyAlgNode) : [];
  const [notBefore, notAfter] = derChildren(der, validityNode);
  const signatureBits = derContent(der, sigNode);
  return {
    der,
    tbs: derElement(der, tbsNode),
    spki: derElement(der, spkiNode),
    publicKeyAlgorithm: keyAlgOid ? decodeOid(derContent(der, keyAlgOid)) : '',
    namedCurve: curveOid?.tag === DER_TAG.OID ? decodeOid(derContent(der, curveOid)) : undefined,
    signatureAlgorithm: algorithmOid(der, algNode),
    signature: signatureBits.subarray(1),
    issuer: nameText(der, issuerNode),
    subject: nameText(der, subjectNode),
    notBefore: timeOf(der, notBefore),
    notAfter: timeOf(der, notAfter),
  };
}

function algorithmOid(der: Uint8Array, node: DerNode): string {
  const [oid] = derChildren(der, node);
  return oid ? decodeOid(derContent(der, oid)) : '';
}

function nameText(der: Uint8Array, name: DerNode): string {
  const parts: string[] = [];
  for (const rdn of derChildren(der, name)) {
    for (const attribute of derChildren(der, rdn)) {
      const [type, value] = derChildren(der, attribute);
      if (!type || !value) continue;
      const oid = decodeOid(derContent(der, type));
      parts.push(`${NAME_LABELS[oid] ?? oid}=${new TextDecoder().decode(derContent(der, value))}`);
    }
  }
  return parts.join(', ');
}

function timeOf(der: Uint8Array, node: DerNode | undefined): Date {
  if (!node) return new Date(NaN);
  const text = new TextDecoder().decode(derContent(der, node));
  const match = /^(\d{2,4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return new Date(NaN);
  const [, y = '', mo, d, h, mi, s] = match;
  const year = y.length === 2 ? (Number(y) >= 50 ? 1900 : 2000) + Number(y) : Number(y);
  return new Date(Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}
