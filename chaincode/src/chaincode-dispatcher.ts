// The contract dispatcher a peer runs: fabric-shim's `ChaincodeFromContract` (untyped in its
// package), wrapping the contract classes exactly as `fabric-chaincode-node start|server` does.
import { JSONSerializer, type Contract } from 'fabric-contract-api';
import type { ChaincodeInterface, ChaincodeResponse, ChaincodeStub } from 'fabric-shim';

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
 * Wraps contract classes in fabric-shim's own dispatcher, with the default JSON serializer, exactly as
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
  return new ChaincodeFromContract([...contracts], serializers, {}, info.title, info.version);
}
