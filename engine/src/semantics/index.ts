// Fabric semantics in-process: fabric-shim's own ChaincodeStub over a versioned state reader, with a
// peer's simulation, validation and commit rules. Runs any Fabric `ChaincodeInterface` (Init/Invoke) it is
// given; it never imports a chaincode. Used by the engine's endorser and committer, by the chaincode
// package's tests and by the hub.
import './chaincode-logging';
import './shim-iterators';

export * from './state';
export * from './read-write-set';
export { PeerHandler, QUERY_BATCH_SIZE, TOTAL_QUERY_LIMIT, type PeerHandlerOptions } from './peer-handler';
// the batched calls a peer offers a chaincode (Fabric 3.1): defined once, in the protocol package
export {
  FABRIC_2_BATCHING,
  FABRIC_3_1_BATCHING,
  type BatchedWrite,
  type PeerBatching,
} from '@approval-ledger/protocol';
export * from './proposal';
export * from './simulate';
export * from './mvcc';
export * from './pending-updates';
export * from './namespaced-state';
export * from './endorsement-policy';
export * from './memory-ledger';
export * from './in-memory-network';
export * from './identity';
