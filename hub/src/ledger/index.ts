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
} from './validation-code';
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
export { verifyChain, type ChainVerification } from './embedded/chain-verifier';
export { verifyChainInParallel } from './embedded/parallel-chain-verifier';
export { LedgerLockedError } from './embedded/process-lock';
export * as blockFormat from './embedded/block-format';
export { recomputeBlockHashes, fabricBlockHeaderBytes, type RecomputedHashes } from './block-hashes';
