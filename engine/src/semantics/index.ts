// Fabric semantics in-process: fabric-shim's own ChaincodeStub over a versioned state reader, with a
// peer's simulation, validation and commit rules. Runs any Fabric `ChaincodeInterface` (Init/Invoke) it is
// given; it never imports a chaincode. Used by the engine's endorser and committer, by the chaincode
// package's tests and by the hub.
import './chaincode-logging';
import './shim-iterators';

export * from './state';
export * from './read-write-set';
export {
  PeerHandler,
  QUERY_BATCH_SIZE,
  TOTAL_QUERY_LIMIT,
  FABRIC_3_1_BATCHING,
  FABRIC_2_BATCHING,
  type PeerHandlerOptions,
  type PeerBatching,
  type BatchedWrite,
} from './peer-handler';
export * from './proposal';
export * from './simulate';
export * from './mvcc';
export * from './pending-updates';
export * from './namespaced-state';
export * from './endorsement-policy';
export * from './memory-ledger';
export * from './in-memory-network';
export * from './identity';
