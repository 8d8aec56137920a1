import './chaincode-logging';
import { contracts } from '@approval-ledger/chaincode';
import { type ContractClass } from './fabric-semantics';

/** A chaincode the embedded engine runs: its name on the channel and its contract classes. */
export interface EmbeddedChaincode {
  readonly name: string;
  readonly contracts: readonly ContractClass[];
  /**
   * Where endorsement worker threads load the same contracts from: a module (package name or absolute path)
   * and the name of its export holding the contract classes. Without it, endorsement stays in-process.
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
    source: { module: '@approval-ledger/chaincode', exportName: 'contracts' },
  };
}
