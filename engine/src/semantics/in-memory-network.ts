// A one-process stand-in for a channel with one chaincode: simulate (endorse) a proposal against
// committed state, then order it in a block of its own and commit it with MVCC and endorsement-policy
// validation. Unit tests drive the contracts through it; it is the embedded engine minus durability.
// When it runs as a namespace of the plan, the plan's other namespaces exist and are empty: a
// chaincode-to-chaincode call into one reads nothing (the hub's embedded engine holds them all).
import { chaincodeDefinition } from '@approval-ledger/protocol';
import type { ChaincodeInterface } from 'fabric-shim';
import { requiredOrganisations, type ChaincodePolicy, type Endorser } from './endorsement-policy';
import { MemoryLedger, type CommittedTransaction, type TxValidationCode } from './memory-ledger';
import type { PeerBatching } from '@approval-ledger/protocol';
import { simulateTransaction, type ChaincodeEventRecord, type SimulationResult } from './simulate';
import type { X509Identity } from './identity';
import type { KeyModification, TxTimestamp, VersionedKV, VersionedStateReader } from './state';

/** A namespace with nothing in it. */
const EMPTY_STATE: VersionedStateReader = {
  get: () => undefined,
  range: (): VersionedKV[] => [],
  history: (): KeyModification[] => [],
};

export interface InvokeOptions {
  /** The proposal timestamp (what `getTxTimestamp()` returns). */
  readonly timestamp: Date | TxTimestamp;
  readonly transient?: Readonly<Record<string, Uint8Array | string>>;
  /** Endorsements the transaction carries; default: a peer of the creator's organisation plus a peer
   * of every organisation named by the key-level policies of the keys it writes. */
  readonly endorsers?: readonly Endorser[];
}

export interface InvokeResult {
  readonly txId: string;
  readonly status: number;
  readonly message: string;
  readonly payload: string;
  readonly event?: ChaincodeEventRecord;
  readonly simulation: SimulationResult;
}

export interface SubmitResult extends InvokeResult {
  /** Undefined when the proposal was not endorsable (status >= 400) and so was never ordered. */
  readonly validationCode?: TxValidationCode;
  readonly committed?: CommittedTransaction;
}

export interface InMemoryNetworkOptions {
  readonly channelId?: string;
  readonly chaincodeName?: string;
  readonly chaincodePolicy?: ChaincodePolicy;
  /** The batched calls the peer announces to the chaincode; default Fabric 3.1's. */
  readonly batching?: PeerBatching;
}

export class InMemoryNetwork {
  readonly ledger: MemoryLedger;
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly #chaincode: ChaincodeInterface;
  readonly #batching: PeerBatching | undefined;

  constructor(chaincode: ChaincodeInterface, options: InMemoryNetworkOptions = {}) {
    this.#chaincode = chaincode;
    this.#batching = options.batching;
    this.channelId = options.channelId ?? 'approval';
    this.chaincodeName = options.chaincodeName ?? 'approval-ledger';
    this.ledger = new MemoryLedger(
      options.chaincodePolicy ? { chaincodePolicy: options.chaincodePolicy } : {},
    );
  }

  /** Simulates only (a query): nothing is ordered or committed. */
  async evaluate(
    identity: X509Identity,
    fcn: string,
    args: readonly string[],
    options: InvokeOptions,
  ): Promise<InvokeResult> {
    const simulation = await simulateTransaction(
      this.#chaincode,
      this.ledger.state,
      {
        channelId: this.channelId,
        chaincodeName: this.chaincodeName,
        creator: { mspId: identity.mspId, certificate: identity.certificate },
        args: [fcn, ...args],
        timestamp: options.timestamp,
        ...(options.transient ? { transient: options.transient } : {}),
      },
      {
        calledNamespace: (namespace) =>
          namespace !== this.chaincodeName && chaincodeDefinition(namespace) ? EMPTY_STATE : undefined,
        ...(this.#batching ? { batching: this.#batching } : {}),
      },
    );
    return {
      txId: simulation.txId,
      status: simulation.response.status,
      message: simulation.response.message,
      payload: Buffer.from(simulation.response.payload).toString('utf8'),
      ...(simulation.event ? { event: simulation.event } : {}),
      simulation,
    };
  }

  /** Endorses, orders (one transaction per block) and commits. */
  async submit(
    identity: X509Identity,
    fcn: string,
    args: readonly string[],
    options: InvokeOptions,
  ): Promise<SubmitResult> {
    const result = await this.evaluate(identity, fcn, args, options);
    if (!result.simulation.endorsable) return result;
    const endorsers = options.endorsers ?? (await this.defaultEndorsers(result.simulation));
    const [committed] = await this.ledger.commitBlock([{ simulation: result.simulation, endorsers }]);
    return { ...result, validationCode: committed!.validationCode, committed: committed! };
  }

  /** Commits several already-simulated transactions in one block, in the given order. */
  async commitBlock(simulations: readonly SimulationResult[]): Promise<CommittedTransaction[]> {
    const txs = [];
    for (const simulation of simulations)
      txs.push({ simulation, endorsers: await this.defaultEndorsers(simulation) });
    return this.ledger.commitBlock(txs);
  }

  async defaultEndorsers(simulation: SimulationResult): Promise<Endorser[]> {
    const orgs = new Set([
      simulation.creator.mspId,
      ...(await requiredOrganisations(simulation.readWriteSet, this.ledger.state)),
    ]);
    return [...orgs].sort().map((mspId) => ({ mspId, role: 'peer' as const }));
  }
}
