// 国密: SM3 digests and SM2 signatures (the `gm` crypto suite). Browser-safe.
export { SM3_HEX, jsSm3, sm3, sm3Hex, sm3Implementation, sm3OfParts, useSm3 } from './sm3.js';
export {
  SM2_CURVE_OID,
  SM2_DEFAULT_USER_ID,
  SM2_WITH_SM3_OID,
  Sm2Point,
  type Sm2Options,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2Sign,
  sm2Signer,
  sm2Spki,
  sm2Verify,
  sm2Za,
} from './sm2.js';
export {
  type CertificateExtension,
  type DistinguishedName,
  EXTENSION_OID,
  KEY_USAGE,
  type KeyUsage,
  type NameAttribute,
  type Sm2CertificateRequest,
  type Sm2Issuer,
  extensionValue,
  sm2IssuedCertificate,
  sm2KeyIdentifier,
  sm2PrivateKeyOfPem,
  sm2PrivateKeyPem,
  sm2SelfSignedCertificate,
  subjectKeyIdentifierOf,
} from './sm2-certificate.js';
