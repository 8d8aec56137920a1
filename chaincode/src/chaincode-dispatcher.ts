// The contract dispatcher a peer runs: fabric-shim's `ChaincodeFromContract` (untyped in its
// package), wrapping the contract classes exactly as `fabric-chaincode-node start|server` does.
import { JSONSerializer, type Contract } from 'fabric-contract-api';
import type { ChaincodeInterface, ChaincodeResponse, ChaincodeStub } from 'fabric-shim';
import { withBatchedWrites } from './shim/peer-batching';

export type ContractClass = new () => Contract;

interface Serializers {
  transaction: string;
  serializers: Record<string, typeof JSONSerializer>;
}

interface ChaincodeFromContractConstructor {
  new (
    contracts: ContractClass[],
    serializers: Serializers,
    metadata: object,
    title?: string,
    version?: string,
  ): ChaincodeInterface & { metadata: unknown };
}

const ChaincodeFromContract =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('fabric-shim/lib/contract-spi/chaincodefromcontract') as ChaincodeFromContractConstructor;

export interface ContractChaincode extends ChaincodeInterface {
  Init(stub: ChaincodeStub): Promise<ChaincodeResponse>;
  Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse>;
}

/**
 * Wraps contract classes in fabric-shim's own dispatcher (its writes batched when the peer offers it,
 * `shim/peer-batching.ts`), with the default JSON serializer, exactly as
 * `fabric-chaincode-node start` / `server` does (Bootstrap.register): routing `contract:Transaction`,
 * parameter marshalling, `org.hyperledger.fabric:GetMetadata`, error responses.
 */
export function createContractChaincode(
  contracts: readonly ContractClass[],
  info: { title?: string; version?: string } = {},
): ContractChaincode {
  const serializers: Serializers = {
    transaction: 'jsonSerializer',
    serializers: { jsonSerializer: JSONSerializer },
  };
  // the dispatcher appends its system contract to the array it is given: hand it a copy
  const chaincode = new ChaincodeFromContract([...contracts], serializers, {}, info.title, info.version);
  // a Fabric 3.1 peer (or an engine) that offers WRITE_BATCH_STATE gets each transaction's writes in one message
  const invoke = chaincode.Invoke.bind(chaincode);
  const init = chaincode.Init.bind(chaincode);
  chaincode.Invoke = (stub: ChaincodeStub) => withBatchedWrites(stub, invoke);
  chaincode.Init = (stub: ChaincodeStub) => withBatchedWrites(stub, init);
  return chaincode;
}
