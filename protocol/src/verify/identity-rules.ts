/**
 * Who signed: a certificate chains to a CA of its organisation in the channel configuration (a root CA, or an
 * intermediate CA a root CA issued; names chain and the CA's key made the certificate's signature, RFC 5280
 * 6.1.3 signature and name only), and a signature over given bytes is that certificate key's, low S as Fabric
 * requires. Parsed certificates and issuance verdicts are remembered (bounded), as a peer's MSP cache does.
 */
import { DerError } from '../proof/der.js';
import { type Certificate, parseCertificate, X509_OID } from '../proof/x509.js';
import { isLowSSignature } from '../block-format/ecdsa-signature.js';
import { type ChannelTrust, type OrganisationCas } from './channel-trust.js';
import { type Check, failed, passed, renamed, unchecked, verified } from './check.js';
import { type Rule, signatureValid } from './rule.js';

const CACHE_LIMIT = 10_000;
const certificates = new Map<string, Certificate | Error>();
/** Issuance verdicts by CA certificate, then certificate (no concatenated keys on the hot path). */
const issuance = new Map<string, Map<string, Check>>();
let issuanceSize = 0;

function remembered<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= CACHE_LIMIT) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The parsed certificate of a PEM text (remembered); throws DerError for what is not a P-256 certificate. */
export function certificateOf(pem: string): Certificate {
  const parsed = remembered(certificates, pem, () => {
    try {
      return parseCertificate(pem);
    } catch (error) {
      return error instanceof Error ? error : new DerError(String(error));
    }
  });
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

const NODE_ROLES = new Set<string>(['client', 'peer', 'admin', 'orderer']);

/** The certificate signature a CA key makes: ECDSA with SHA-256 (P-256), SM2 with SM3 (SM2, GM/T 0015). */
const CERTIFICATE_SIGNATURE_OF_CURVE: Readonly<Record<Certificate['keyCurve'], string>> = {
  'P-256': X509_OID.ecdsaWithSha256,
  SM2: X509_OID.sm2WithSm3,
};

/**
 * The NodeOU role of a certificate, as Fabric's MSP classifies identities: the first of its `OU`s that names a
 * role; `member` otherwise. Fabric CA certificates carry several OUs in one multi-valued RDN
 * (`OU=hc + OU=client + OU=beijing`), so every OU is looked at, not only the first.
 */
export function nodeRoleOf(certificate: Certificate): 'client' | 'peer' | 'admin' | 'orderer' | 'member' {
  const role = certificate.organisationalUnits.find((ou) => NODE_ROLES.has(ou));
  return (role as 'client' | 'peer' | 'admin' | 'orderer' | undefined) ?? 'member';
}

/** Verified when the CA certificate `caPem` names the certificate's issuer and its key signed the certificate. */
export function* certificateIssuedBy(name: string, certificatePem: string, caPem: string): Rule<Check> {
  const known = issuance.get(caPem)?.get(certificatePem);
  if (known) return known.name === name ? known : renamed(known, name);
  let cert: Certificate;
  let ca: Certificate;
  try {
    cert = certificateOf(certificatePem);
    ca = certificateOf(caPem);
  } catch (error) {
    return failed(name, `the certificate could not be read: ${errorText(error)}`);
  }
  let verdict: Check;
  if (cert.issuer !== ca.subject || !sameBytes(cert.issuerRaw, ca.subjectRaw)) {
    verdict = failed(name, `certificate issued by ${cert.issuer}, not by ${ca.subject}`);
  } else if (cert.signatureAlgorithm !== CERTIFICATE_SIGNATURE_OF_CURVE[ca.keyCurve]) {
    verdict = unchecked(
      name,
      `certificate signature algorithm ${cert.signatureAlgorithm} is not checked here with a ${ca.keyCurve} CA key`,
    );
  } else {
    // CAs need not make low-S signatures (only Fabric's transaction and block signatures must be low S)
    const ok = yield* signatureValid({ signer: ca, message: cert.tbs, signature: cert.signature });
    if (typeof ok === 'string') return unchecked(name, ok);
    verdict = ok
      ? verified(name)
      : failed(name, `the certificate ${cert.subject} was not signed by its organisation’s CA`);
  }
  rememberIssuance(caPem, certificatePem, verdict);
  return verdict;
}

function rememberIssuance(caPem: string, certificatePem: string, verdict: Check): void {
  if (issuanceSize >= CACHE_LIMIT) {
    issuance.clear();
    issuanceSize = 0;
  }
  let byCa = issuance.get(caPem);
  if (!byCa) {
    byCa = new Map<string, Check>();
    issuance.set(caPem, byCa);
  }
  byCa.set(certificatePem, verdict);
  issuanceSize++;
}

function subjectIs(pem: string, subject: string): boolean {
  try {
    return certificateOf(pem).subject === subject;
  } catch {
    return false;
  }
}

/**
 * Verified when a CA of the organisation `mspId` issued the certificate: one of its root CAs directly, or one of
 * its intermediate CAs that a root CA issued.
 */
export function* issuedByOrganisation(
  name: string,
  certificatePem: string,
  mspId: string,
  trust: ChannelTrust,
): Rule<Check> {
  const firstCa = trust.caByMspId.get(mspId);
  const cas = trust.casByMspId?.get(mspId) ?? { roots: firstCa ? [firstCa] : [], intermediates: [] };
  const [onlyRoot, ...otherRoots] = cas.roots;
  if (onlyRoot === undefined) return failed(name, `${mspId} is not an organisation of the channel`);
  if (otherRoots.length === 0 && cas.intermediates.length === 0) {
    return yield* certificateIssuedBy(name, certificatePem, onlyRoot);
  }
  let issuer: string;
  try {
    issuer = certificateOf(certificatePem).issuer;
  } catch (error) {
    return failed(name, `the certificate could not be read: ${errorText(error)}`);
  }
  const root = cas.roots.find((pem) => subjectIs(pem, issuer));
  if (root !== undefined) return yield* certificateIssuedBy(name, certificatePem, root);
  return yield* issuedByIntermediate(name, certificatePem, issuer, cas, mspId);
}

function* issuedByIntermediate(
  name: string,
  certificatePem: string,
  issuer: string,
  cas: OrganisationCas,
  mspId: string,
): Rule<Check> {
  const intermediate = cas.intermediates.find((pem) => subjectIs(pem, issuer));
  if (intermediate === undefined)
    return failed(name, `certificate issued by ${issuer}, not by a CA of ${mspId}`);
  const byIntermediate = yield* certificateIssuedBy(name, certificatePem, intermediate);
  if (!passed(byIntermediate)) return byIntermediate;
  const rootName = certificateOf(intermediate).issuer;
  const root = cas.roots.find((pem) => subjectIs(pem, rootName));
  if (root === undefined) {
    return failed(name, `the intermediate CA ${issuer} was not issued by a root CA of ${mspId}`);
  }
  return yield* certificateIssuedBy(name, intermediate, root);
}

/**
 * Verified when `signature` (DER) over `message` is by the certificate's key: an ECDSA P-256 signature must be
 * low S, as Fabric requires; an SM2 one has no such rule (SM2 is not malleable that way: with s' = n − s,
 * t = r + s' changes and the signature no longer verifies).
 */
export function* signatureBy(
  name: string,
  certificatePem: string,
  message: Uint8Array,
  signature: Uint8Array,
): Rule<Check> {
  let signer: Certificate;
  try {
    signer = certificateOf(certificatePem);
  } catch (error) {
    if (!isLowSSignature(signature)) return failed(name, LOW_S);
    return failed(name, `the signature could not be checked: ${errorText(error)}`);
  }
  if (signer.keyCurve === 'P-256' && !isLowSSignature(signature)) return failed(name, LOW_S);
  const ok = yield* signatureValid({ signer, message, signature });
  if (typeof ok === 'string') return unchecked(name, ok);
  return ok ? verified(name) : failed(name, 'the signature does not match the signed bytes');
}

const LOW_S = 'not a low-S DER ECDSA signature (Fabric refuses it)';

export interface Signer {
  readonly mspId: string;
  readonly certificate: string;
  /** DER. */
  readonly signature: Uint8Array;
}

/**
 * Verified when a CA of the signer's organisation in `trust` issued its certificate and the low-S signature
 * over `message` is by its key. Without trust anchors: unchecked.
 */
export function* signedByMember(
  name: string,
  trust: ChannelTrust | undefined,
  signer: Signer,
  message: Uint8Array,
): Rule<Check> {
  if (!trust)
    return unchecked(name, 'no trust anchors: block 0 (the channel configuration) could not be read');
  const issued = yield* issuedByOrganisation(name, signer.certificate, signer.mspId, trust);
  if (!passed(issued)) return issued;
  return yield* signatureBy(name, signer.certificate, message, signer.signature);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
