// @approval-ledger/chaincode: the contracts (what `fabric-chaincode-node start|server` loads through
// `contracts`), the shapes they keep in world state, and fabric-shim's contract dispatcher over them
// (`createChaincode`, a Fabric ChaincodeInterface), which a peer runs and which in-process engines
// (@approval-ledger/fabric-engine, wired by the hub) are given.
import './quiet-loggers';
import { installShimBatching } from './shim/peer-batching';
import {
  CertificatesContract,
  CheckpointsContract,
  CreditContract,
  IssuersContract,
  MilestonesContract,
  RecognitionContract,
  StateContract,
} from './contracts/index';
import { createContractChaincode, type ContractChaincode, type ContractClass } from './chaincode-dispatcher';

export * from './contracts/index';

/** Contract classes in registration order; `milestones` is the default contract. */
export const contracts: ContractClass[] = [
  MilestonesContract,
  CertificatesContract,
  IssuersContract,
  CreditContract,
  RecognitionContract,
  CheckpointsContract,
  StateContract,
];

// fabric-shim's handler learns Fabric 3.1's batched calls (used only when the peer announces them at READY)
installShimBatching();

export const CHAINCODE_TITLE = '@approval-ledger/chaincode';
export const CHAINCODE_VERSION = '0.1.0';

/** The chaincode as a peer runs it: fabric-shim's contract dispatcher over `contracts`. */
export function createChaincode(): ContractChaincode {
  return createContractChaincode(contracts, { title: CHAINCODE_TITLE, version: CHAINCODE_VERSION });
}

export { KEY, type KeyType } from './ledger/keys';
export type * from './ledger/entries';
export type { MilestoneReceipt } from './services/milestone-writer';
export type { AffectedRecognition } from './services/certificate-service';
export type { CreditStanding } from './rules/credit-standing';
export { createContractChaincode, type ContractChaincode, type ContractClass };
export { getStates, peerBatchingOf, writeBatchPayload, type BatchingHandler } from './shim/peer-batching';
