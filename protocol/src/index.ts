// The public surface of @approval-ledger/protocol. Everything exported here works unchanged in Node and browsers.

// canonical JSON, hashing, bytes
export { canonicalize, CanonicalizationError } from './canonical-json.js';
export { sha256, sha256Hex, SHA256_HEX } from './sha256.js';
export { bytesToHex, hexToBytes, utf8Encode, equalBytes } from './bytes.js';

// RFC 6962 Merkle trees
export { merkleRoot, inclusionProof, verifyInclusion, leafHash, nodeHash } from './merkle.js';

// salted commitments
export { newSalt, commitment, verifyCommitment } from './commitment.js';

// validators and errors
export {
  ProtocolValidationError,
  formatIssue,
  type ValidationIssue,
  type RuleViolation,
  type RuleCheck,
} from './protocol-validation.error.js';
export { checkUscc, isValidUscc } from './uscc.js';
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
export { validate, validateOrThrow, toIssues, type ValidationResult } from './validate.js';

// registries
export {
  REGIONS,
  REGION_CODES,
  RegionSchema,
  regionByMspId,
  regionOfDivision,
  type RegionCode,
  type MspId,
} from './registries/regions.js';
export {
  DEPARTMENTS,
  DEPARTMENT_CODES,
  DepartmentSchema,
  type DepartmentCode,
} from './registries/departments.js';
export {
  ROLES,
  ROLE_NAMES,
  RoleSchema,
  ROLE_ATTRIBUTE,
  DEPT_ATTRIBUTE,
  type Role,
} from './registries/roles.js';
export {
  PHASES,
  PHASE_CODES,
  PhaseSchema,
  STAGES,
  STAGE_CODES,
  StageSchema,
  type PhaseCode,
  type StageCode,
} from './registries/stages.js';
export { DECISIONS, DECISION_CODES, DecisionSchema, type Decision } from './registries/decisions.js';
export {
  CERTIFICATE_TYPES,
  CERTIFICATE_TYPE_CODES,
  CertificateTypeSchema,
  type CertificateType,
} from './registries/certificate-types.js';
export {
  PROJECT_KINDS,
  PROJECT_KIND_CODES,
  ProjectKindSchema,
  PROJECT_TYPES,
  PROJECT_TYPE_CODES,
  ProjectTypeSchema,
  type ProjectKind,
  type ProjectType,
} from './registries/project-kinds.js';
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

// NATS
export {
  STREAMS,
  ADAPTER_CHECKPOINT_BUCKET,
  DLQ_HEADERS,
  MSG_ID_HEADER,
  envelopeSubject,
  legacySubject,
  subjectKindOf,
  natsMsgId,
  receiptSubject,
  dlqSubject,
  recognitionSubject,
  type LegacySubjectKind,
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
export { CHAINCODE_EVENTS, MAX_BATCH, type ChaincodeEventName } from './chaincode-events.js';

// proof bundles (approval-ledger/proof@1), checked offline in Node and browsers
export * from './proof/index.js';
