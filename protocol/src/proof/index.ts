// Proof bundles (`approval-ledger/proof@1`) and their offline verification; pure and browser-safe.
export {
  AnyProofBundleSchema,
  FABRIC_BLOCK_FORMAT,
  FABRIC_PROOF_BUNDLE_FORMAT,
  FabricProofBundleSchema,
  FabricSignedHeaderSchema,
  FabricTransactionProofSchema,
  type AnyProofBundle,
  type FabricProofBundle,
  type FabricSignedHeader,
  type FabricTransactionProof,
  PROOF_BUNDLE_FORMAT,
  ProofBundleSchema,
  ProofRecordKindSchema,
  ProofStatusSchema,
  SignedHeaderSchema,
  TransactionProofSchema,
  type ProofBundle,
  type ProofRecordKind,
  type ProofStatus,
  type SignedHeader,
  type TransactionProof,
} from './proof-bundle.js';
export {
  buildFabricProofBundle,
  fabricSignedHeader,
  FabricBundleError,
  type FabricBundleParts,
} from './fabric-proof-bundle.js';
export {
  verifyProofBundle,
  verifyProofBundleAsync,
  type ProofCheck,
  type ProofIdentity,
  type ProofVerdict,
  type VerifyProofOptions,
} from '../verify/verify-proof-bundle.js';
export { base64ToBytes, bytesToBase64 } from './base64.js';
export {
  parseCertificate,
  pemToDer,
  isIssuedBy,
  isValidAt,
  X509_OID,
  type Certificate as X509CertificateInfo,
} from './x509.js';
export { DerError } from './der.js';
export { verifyP256 } from './ecdsa-p256.js';
