// @approval-ledger/fabric-engine: Hyperledger Fabric's peer and orderer rules in one process. The semantics
// (`./semantics`: fabric-shim's ChaincodeStub over versioned state, MVCC, endorsement policies, identities), the
// endorser (in-process or on worker threads), the ordering service, the committer, the SQLite block and state
// store, and the chain verifier. It runs any Fabric `ChaincodeInterface` it is given and imports no chaincode.
export * from './semantics';
export * as blockFormat from './block-format';
export { toBase64, fromBase64 } from './block-format';
export { BlockReadCache } from './block-read-cache';
export {
  type ChainVerification,
  type ChainVerifyOptions,
  type Progress,
  type RangeVerification,
  verifyChain,
  verifyBlockRange,
  chainResult,
} from './chain-verifier';
export { verifyChainInParallel, type ParallelOptions } from './parallel-chain-verifier';
export { channelConfigOf, configTransaction, ChannelTrust, type ChannelMembers } from './channel-config';
export { CommitSignal } from './commit-signal';
export { type TransactionOutcome, Committer, signedChaincodeName } from './committer';
export {
  type EndorsedSimulation,
  type EndorsedTransaction,
  type PeerIdentities,
  type EndorsementService,
  type EndorserConfig,
  NamespaceEndorsers,
  Endorser,
} from './endorser';
export { EndorserPool, fromWorkerFailure } from './endorser-pool';
export {
  type EndorserWorkerData,
  type EndorserRequest,
  type EndorserResponse,
  type WorkerFailure,
  toWorkerFailure,
} from './endorser-worker';
export {
  type Synchronous,
  type DatabaseOptions,
  type StoredBlock,
  type StoredTransaction,
  type StateWrite,
  type HistoryRow,
  type HistoryWrite,
  LedgerDatabase,
} from './ledger-database';
export { BlockFile, BlockFileError, blockFilePath, type EnvelopeLocation } from './block-file';
export { type BatchOptions, type DeliverBatch, OrderingService } from './ordering-service';
export { LedgerLockedError, ProcessLock } from './process-lock';
export { rwsetJson } from './rwset-json';
export { rwsetText } from './rwset-text';
export { Signer, verifySignature, issuedBy, nodeRoleOf } from './signing';
export { SqliteState } from './sqlite-state';
export { StageBudget, type StageTotals, threadCpuNs } from './stage-budget';
