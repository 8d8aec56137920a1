// The public surface of @approval-ledger/protocol. Everything exported here works unchanged in Node and browsers.

// canonical JSON, hashing, bytes
export { canonicalize, CanonicalizationError } from './canonical-json.js';
export {
  sha256,
  sha256Hex,
  sha256OfParts,
  SHA256_HEX,
  useSha256,
  sha256Implementation,
  jsSha256,
  type Sha256Implementation,
  type Sha256Part,
} from './sha256.js';
export { bytesToHex, hexToBytes, utf8Encode, equalBytes, concatBytes } from './bytes.js';
export { type DigestImplementation, type DigestPart } from './pluggable-digest.js';

// RFC 6962 Merkle trees
export { merkleRoot, inclusionProof, verifyInclusion, leafHash, nodeHash } from './merkle.js';

// salted commitments
export {
  newSalt,
  commitment,
  commitmentOfCanonical,
  verifyCommitment,
  type CommitmentSuite,
} from './commitment.js';

// validators and errors
export {
  ProtocolValidationError,
  formatIssue,
  type ValidationIssue,
  type RuleViolation,
  type RuleCheck,
} from './protocol-validation.error.js';
export { checkUscc, isValidUscc, generateUscc, USCC_SEQUENCE_SIZE, type UsccOptions } from './uscc.js';
export {
  checkProjectCode,
  parseProjectCode,
  isValidProjectCode,
  type ProjectCode,
  type ProjectCodeCheck,
} from './project-code.js';
export {
  checkTimestamp,
  parseTimestamp,
  isValidTimestamp,
  legacyLocalToIso,
  parseLegacyDate,
  SHANGHAI_OFFSET,
  type Timestamp,
  type TimestampCheck,
} from './timestamp.js';
export {
  I_JSON_RULE,
  iJsonIssue,
  validate,
  validateOrThrow,
  toIssues,
  type ValidationResult,
} from './validate.js';

// registries
export {
  REGIONS,
  REGION_CODES,
  regionByMspId,
  regionOfDivision,
  type RegionCode,
  type MspId,
} from './registries/regions.js';
export { RegionSchema } from './registries/registry-schemas.js';
export {
  CHAINCODE_BASE_NAME,
  CHAINCODE_DEFINITIONS,
  chaincodeDefinition,
  namespaceOfRecord,
  recognitionNamespace,
  regionNamespace,
  type ChaincodeDefinition,
  type NamespaceScope,
} from './registries/namespaces.js';
export { DEPARTMENTS, DEPARTMENT_CODES, type DepartmentCode } from './registries/departments.js';
export { DepartmentSchema } from './registries/registry-schemas.js';
export { ROLES, ROLE_NAMES, ROLE_ATTRIBUTE, DEPT_ATTRIBUTE, type Role } from './registries/roles.js';
export { RoleSchema } from './registries/registry-schemas.js';
export {
  PHASES,
  PHASE_CODES,
  STAGES,
  STAGE_CODES,
  type PhaseCode,
  type StageCode,
} from './registries/stages.js';
export { PhaseSchema, StageSchema } from './registries/registry-schemas.js';
export { DECISIONS, DECISION_CODES, type Decision } from './registries/decisions.js';
export { DecisionSchema } from './registries/registry-schemas.js';
export {
  CERTIFICATE_TYPES,
  CERTIFICATE_TYPE_CODES,
  type CertificateType,
} from './registries/certificate-types.js';
export { CertificateTypeSchema } from './registries/registry-schemas.js';
export {
  PROJECT_KINDS,
  PROJECT_KIND_CODES,
  PROJECT_TYPES,
  PROJECT_TYPE_CODES,
  type ProjectKind,
  type ProjectType,
} from './registries/project-kinds.js';
export { ProjectKindSchema, ProjectTypeSchema } from './registries/registry-schemas.js';
export {
  approvalPlan,
  topologicalOrder,
  planProgress,
  type ApprovalPlan,
  type PlanStage,
  type StageProgress,
  type StageStatus,
} from './registries/approval-plans.js';

// record schemas
export {
  RecordIdSchema,
  SourceSystemSchema,
  SourceKeySchema,
  Sha256HexSchema,
  TimestampSchema,
  UsccSchema,
  ProjectCodeSchema,
  NameSchema,
  CertificateNumberSchema,
  EthAddressSchema,
  SignatureSchema,
  EvmTxHashSchema,
  DataClassSchema,
  SourceRefSchema,
  DocumentRefSchema,
  PartySchema,
  recordIdOf,
  type DataClass,
  type SourceRef,
  type DocumentRef,
  type Party,
} from './schemas/fields.js';
export { MilestoneSchema, DetailsSchema, type Milestone } from './schemas/milestone.js';
export { anchorCorrectionOf, isCorrection, versionOf, type CorrectionFields } from './schemas/correction.js';
export {
  CertificateSchema,
  CertificateRevocationSchema,
  type Certificate,
  type CertificateRevocation,
} from './schemas/certificate.js';
export {
  CreditEventSchema,
  CreditLevelSchema,
  type CreditEvent,
  type CreditLevel,
} from './schemas/credit-event.js';
export {
  RecognitionRequestSchema,
  RecognitionDecisionSchema,
  RecognitionSubjectTypeSchema,
  RecognitionOutcomeSchema,
  RecognitionStatusSchema,
  type RecognitionRequest,
  type RecognitionDecision,
  type RecognitionSubjectType,
  type RecognitionOutcome,
  type RecognitionStatus,
} from './schemas/recognition.js';
export { CheckpointSchema, AnchorRefSchema, type Checkpoint, type AnchorRef } from './schemas/checkpoint.js';
export {
  IssuerGrantSchema,
  SignerRegistrationSchema,
  type IssuerGrant,
  type SignerRegistration,
} from './schemas/issuer-registry.js';
export {
  MilestoneAnchorSchema,
  CertificateAnchorSchema,
  CreditAnchorSchema,
  toMilestoneAnchor,
  toCertificateAnchor,
  toCreditAnchor,
  milestoneAnchorOf,
  certificateAnchorOf,
  creditAnchorOf,
  type MilestoneAnchor,
  type CertificateAnchor,
  type CreditAnchor,
} from './schemas/anchors.js';
export {
  ENVELOPE_SCHEMA,
  EnvelopeSchema,
  EnvelopeKindSchema,
  type Envelope,
  type EnvelopeKind,
} from './schemas/envelope.js';
export { ReceiptSchema, ReceiptStatusSchema, type Receipt, type ReceiptStatus } from './schemas/receipt.js';

// milestone revocations
export { revokesMilestone, type MilestoneRevocationFacts } from './milestone-revocation.js';

// NATS
export {
  STREAMS,
  STREAM_NAMES,
  streamConfig,
  ADAPTER_CHECKPOINT_BUCKET,
  DLQ_HEADERS,
  DLQ_CODES,
  MSG_ID_HEADER,
  REPLAY_MSG_ID_PREFIX,
  envelopeSubject,
  legacySubject,
  subjectKindOf,
  natsMsgId,
  receiptSubject,
  dlqSubject,
  recognitionSubject,
  type LegacySubjectKind,
  type StreamDefinition,
  type StreamName,
  type StreamStorage,
  type DlqCode,
} from './nats-subjects.js';

// EIP-712
export {
  EIP712_DOMAIN,
  RECOGNITION_DECISION_TYPES,
  CHECKPOINT_TYPES,
  recognitionDecisionMessage,
  checkpointMessage,
  recognitionDecisionDigest,
  recoverRecognitionSigner,
  checkpointDigest,
  recoverCheckpointSigner,
  type RecognitionDecisionMessage,
  type CheckpointMessage,
} from './eip712.js';

// chaincode contract
export {
  LEDGER_ERROR_CODES,
  LedgerError,
  ledgerErrorMessage,
  parseLedgerError,
  type LedgerErrorCode,
} from './ledger-error.js';
export * from './ledger-errors/index.js';
export {
  FABRIC_2_BATCHING,
  FABRIC_3_1_BATCHING,
  type BatchedWrite,
  type PeerBatching,
} from './peer-batching.js';
export {
  CHAINCODE_EVENTS,
  MAX_BATCH,
  parseMilestoneBatchResult,
  type ChaincodeEventName,
  type MilestoneBatchResult,
} from './chaincode-events.js';

// block formats: exactly what the ledger hashes and signs (embedded and Fabric blocks)
export * from './block-format/index.js';

// proof bundles (approval-ledger/proof@1), checked offline in Node and browsers
export * from './proof/index.js';

// the verification core: one home for what makes a transaction, a block and a proof valid
export * from './verify/index.js';

// 国密 (the gm suite): SM3, SM2
export * from './gm/index.js';

// transparency log: checkpoints (C2SP signed notes), RFC 6962 inclusion and consistency proofs, witnesses
export * from './tlog/index.js';

// public anchoring: the anchor reference of a checkpoint on an EVM chain, checked offline and against an RPC
export * from './anchor/index.js';
