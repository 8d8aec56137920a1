/**
 * The one import path of the chaincode package's Fabric-semantics stub (fabric-shim's ChaincodeStub over a
 * versioned state reader, MVCC, endorsement policies, identities), which the embedded engine runs on.
 */
import './chaincode-logging';

export * from '@approval-ledger/chaincode/fabric-semantics';
