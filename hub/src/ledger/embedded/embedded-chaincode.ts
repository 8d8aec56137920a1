// The engine package is loaded first: it quietens fabric-shim's loggers before the chaincode package loads them.
import '@approval-ledger/fabric-engine';
import { contracts, type ContractClass } from '@approval-ledger/chaincode';

/** A chaincode the embedded engine runs: its name on the channel and its contract classes. */
export interface EmbeddedChaincode {
  readonly name: string;
  readonly contracts: readonly ContractClass[];
  /**
   * Where endorsement worker threads load the same chaincode from: a module (an absolute path, so the engine
   * package can load it) and the name of its export, a function that returns the chaincode (fabric-shim's
   * dispatcher over the same contracts). Without it, endorsement stays in-process.
   */
  readonly source?: { readonly module: string; readonly exportName: string };
}

/**
 * The approval chaincode's own name: the legacy single definition's. A ledger in the namespace plan runs the same
 * contracts as each namespace of the plan instead (see `../namespace-mode.ts`).
 */
export const APPROVAL_CHAINCODE_NAME = 'approval-ledger';

/** The approval chaincode: every contract of @approval-ledger/chaincode. */
export function approvalChaincode(): EmbeddedChaincode {
  return {
    name: APPROVAL_CHAINCODE_NAME,
    contracts,
    source: { module: require.resolve('@approval-ledger/chaincode'), exportName: 'createChaincode' },
  };
}
