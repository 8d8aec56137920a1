// Fabric semantics in-process: fabric-shim's own ChaincodeStub over a versioned state reader, with a
// peer's simulation, validation and commit rules. Shared by the chaincode's unit tests and the hub's
// embedded ledger engine (`@approval-ledger/chaincode/fabric-semantics`).
import './shim-iterators';

export * from './state';
export * from './read-write-set';
export { PeerHandler, QUERY_BATCH_SIZE, TOTAL_QUERY_LIMIT, type PeerHandlerOptions } from './peer-handler';
export * from './proposal';
export * from './simulate';
export * from './mvcc';
export * from './pending-updates';
export * from './namespaced-state';
export * from './endorsement-policy';
export * from './memory-ledger';
export * from './in-memory-network';
export * from './identity';
export { createContractChaincode, type ContractChaincode, type ContractClass } from '../chaincode-dispatcher';
