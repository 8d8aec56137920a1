// The ledger layer's public surface: the port, its errors, both engines (the Fabric one loaded on demand
// through openLedger), checkpoints, and the embedded engine's chain verification.
export * from './ledger-port';
export * from './errors';
export {
  VALIDATION_CODES,
  isReadConflict,
  isResubmittable,
  isValidationCode,
  validationCodeName,
  type ValidationCode,
} from '@approval-ledger/protocol';
export { identityLabel } from './identity-label';
export * from './namespace-mode';
export { FileCheckpointer, InMemoryCheckpointer, checkpointPath } from './file-checkpointer';
export { DEFAULT_CONFLICT_RETRIES } from './conflict-retry';
export { openLedger, type LedgerConfig } from './open-ledger';
export {
  EmbeddedLedger,
  DEFAULT_CHANNEL,
  embeddedLedgerPaths,
  type EmbeddedLedgerOptions,
} from './embedded/embedded-ledger';
export {
  APPROVAL_CHAINCODE_NAME,
  approvalChaincode,
  type EmbeddedChaincode,
} from './embedded/embedded-chaincode';
export {
  verifyChain,
  type ChainVerification,
  verifyChainInParallel,
  LedgerLockedError,
  blockFormat,
} from '@approval-ledger/fabric-engine';
export { recomputeBlockHashes, fabricBlockHeaderBytes, type RecomputedHashes } from './block-hashes';
