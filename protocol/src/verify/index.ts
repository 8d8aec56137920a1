// The verification core: what makes a transaction, a block and a proof bundle valid, for both engines, with
// signature algorithms behind one crypto seam. Browser-safe (no Node API).
export {
  type Check,
  type CheckStatus,
  checkOf,
  combineChecks,
  failed,
  notApplicable,
  passed,
  renamed,
  unchecked,
  verified,
} from './check.js';
export {
  type AsyncCryptoSuite,
  type CryptoSuite,
  type CryptoSuiteName,
  type SignatureRequest,
  type SuiteAlgorithms,
  type SyncCryptoSuite,
  CRYPTO_SUITE_NAMES,
  SUITES,
  SuiteNotAcceptedError,
  cryptoSuite,
  jsGmSuite,
  jsIntlSuite,
  requireSuite,
  useCryptoSuite,
  verifierOf,
} from './crypto-suite.js';
export { type Rule, type SignatureAnswer, allOf, runAsync, runSync, signatureValid } from './rule.js';
export {
  type ChannelTrust,
  type OrdererPolicy,
  type OrganisationCas,
  trustOfConfig,
  trustOfFabricConfig,
} from './channel-trust.js';
export {
  type Signer as SigningMember,
  certificateIssuedBy,
  certificateOf,
  issuedByOrganisation,
  nodeRoleOf,
  signatureBy,
  signedByMember,
} from './identity-rules.js';
export {
  TRANSACTION_CHECKS,
  type RecordedTransaction,
  recordedValidationCodes,
  type EmbeddedSignedParts,
  type EmbeddedTransactionOptions,
  type EndorsementCheck,
  type EndorserRole,
  type SignatureValidationCode,
  type TransactionVerdict,
  commitValidationCode,
  embeddedEndorserTransaction,
  embeddedSignedParts,
  fabricTransaction,
  policyEndorsers,
  transactionChecks,
  transactionEnvelope,
  unreadableTransaction,
} from './transaction-rules.js';
export {
  BLOCK_CHECKS,
  type FabricBlockValidation,
  blockValidationCheck,
  fabricBlockValidation,
  type BlockSignature,
  type DataHashScheme,
  commitHashCheck,
  dataHashCheck,
  embeddedOrdererSignature,
  fabricOrdererSignatures,
  headerHashCheck,
  headerHashOf,
  headerSignedBy,
  ordererSignatures,
  previousHashLinkCheck,
  previousLinkCheck,
} from './block-rules.js';
export { RECORD_CHECKS, openingCheck, recordOpeningCheck } from './record-rules.js';
export {
  NAMESPACE_CHECKS,
  type RecordOrigin,
  type RecordTransaction,
  definitionPolicy,
  recordNamespaceChecks,
} from './namespace-rules.js';
export {
  type ApplicablePolicies,
  type ChaincodePolicy,
  type DecodedPolicy,
  type EndorsementPolicyVerdict,
  type MspRole,
  type PolicyEndorser,
  type SignaturePolicyRule,
  decodeEndorsementPolicy,
  endorsementPolicyVerdict,
  evaluatePolicy,
  policyOrganisations,
} from './endorsement-policy.js';
export {
  FABRIC_BLOCK_CHECKS,
  FabricChainWalker,
  type FabricBlockContext,
  type FabricBlockVerdict,
  type FabricTransactionResult,
  type TransactionPolicy,
  anyApplicationPeer,
  decodedFabricBlockRule,
  fabricBlockRule,
  fabricGenesisHash,
} from './fabric-block-rules.js';
export {
  type FabricVerifyOptions,
  type RecordEndorsementPolicy,
  fabricProofBundleRule,
  regionPeerEndorsed,
} from './verify-fabric-proof-bundle.js';
