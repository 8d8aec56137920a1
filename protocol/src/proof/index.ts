// Proof bundles (`approval-ledger/proof@1`, `proof@2`) and their offline verification; pure and browser-safe.
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
  PROOF_BUNDLE_V2_FORMAT,
  ProofBundleSchema,
  ProofBundleV2Schema,
  PublicAnchorSchema,
  VerifiableProofBundleSchema,
  type VerifiableProofBundle,
  type ProofBundleV2,
  type PublicAnchor,
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
  type Assurance,
  type AssuranceLevel,
  type TlogTrust,
} from '../verify/verify-proof-bundle.js';
export {
  type OnlineAnchorCheckOptions,
  type PublicAnchorState,
  verifyPublicAnchorOnline,
} from '../verify/anchor-layer.js';
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
