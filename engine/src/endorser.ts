/**
 * The endorsement step: a client's proposal is simulated once on the chaincode stub against committed state
 * (as every endorsing peer would simulate it), then each endorsing organisation's peer signs the response
 * hash. The organisations asked are the ones the namespace's chaincode definition names (the creator's outside the
 * namespace plan) plus every organisation named by a key-level endorsement policy of a key the transaction writes, unless the client names them (`endorsingOrganizations`), as Fabric
 * Gateway chooses them.
 */
import { type ChaincodeInterface } from 'fabric-shim';
import { randomBytes } from 'node:crypto';
import {
  canonicalize,
  chaincodeDefinition,
  type CryptoSuiteName,
  SUITES,
  utf8Encode,
} from '@approval-ledger/protocol';
import { chaincodeErrorFrom, LedgerUnavailableError } from '@approval-ledger/protocol';
import {
  type EventJson,
  endorsementMessage,
  endorserTransactionTextAt,
  proposalHash,
  type ProposalJson,
  proposalText,
  responseHash,
  type ResponseJson,
  type SignatureJson,
  toBase64,
} from './block-format';
import {
  NamespaceView,
  type PeerBatching,
  type ReadWriteSet,
  requiredOrganisations,
  type SimulationResult,
  simulateTransaction,
  type VersionedStateReader,
  type X509Identity,
} from './semantics';
import { rwsetText } from './rwset-text';
import { Signer } from './signing';
import { type StageBudget, threadCpuNs } from './stage-budget';

/** What ordering, commit and the submitter use of a simulation (the proposal bytes and args are in the envelope). */
export type EndorsedSimulation = Pick<
  SimulationResult,
  'txId' | 'timestamp' | 'response' | 'readWriteSet' | 'event'
>;

/**
 * An endorsed transaction, ready for ordering: its envelope text is final. Only what commit needs, so that
 * little crosses the thread boundary when endorsement runs in a worker.
 */
export interface EndorsedTransaction {
  readonly txId: string;
  readonly creatorMspId: string;
  readonly simulation: EndorsedSimulation;
  /** Canonical JSON of the envelope: the block's Merkle leaf. */
  readonly envelopeText: string;
  /** Parts re-checked at commit. The proposal's text is the slice of `envelopeText` at `proposalAt`. */
  readonly proposalText: string;
  readonly proposalAt: number;
  readonly proposal: Pick<ProposalJson, 'txId' | 'nonce' | 'creator'>;
  readonly creatorSignature: Uint8Array;
  readonly responseHash: string;
  readonly endorsements: readonly SignatureJson[];
}

/** The endorsing peer identity (with its key) of each organisation. */
export interface PeerIdentities {
  peerOf(mspId: string): X509Identity | undefined;
}

/**
 * What the engine asks of endorsement, in-process ({@link NamespaceEndorsers}) or in worker threads: as the
 * chaincode namespace `chaincodeName` (a namespace of the plan, or the legacy single name).
 */
export interface EndorsementService {
  simulate(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
  ): Promise<SimulationResult>;
  endorse(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
    endorsingOrganizations?: readonly string[],
  ): Promise<EndorsedTransaction>;
  close(): Promise<void>;
}

export interface EndorserConfig {
  readonly channel: string;
  readonly chaincodeName: string;
  readonly clock: () => Date;
  /** The chain's crypto suite (block 0's): what the transaction id, proposal and response hashes use. */
  readonly suite?: CryptoSuiteName;
  /**
   * Where the CPU of signing (`endorse.sign`: proposal text, hashes, signatures, envelope text) is added up, when
   * measured. Simulation awaits the stub, so other simulations run in between: its CPU is what the thread used
   * beside the measured stages (see `EndorserPool.stageBudget`).
   */
  readonly budget?: StageBudget;
  /**
   * The batched chaincode calls the in-process peer announces (default Fabric 3.1's, `FABRIC_3_1_BATCHING`);
   * `FABRIC_2_BATCHING` runs the chaincode as on a Fabric 2.x peer, one message per state call.
   */
  readonly batching?: PeerBatching;
}

/** One {@link Endorser} per chaincode namespace, made on first use: the same package serves every namespace. */
export class NamespaceEndorsers implements EndorsementService {
  readonly #endorsers = new Map<string, Endorser>();

  constructor(private readonly create: (chaincodeName: string) => Endorser) {}

  simulate(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
  ): Promise<SimulationResult> {
    return this.of(chaincodeName).simulate(client, fn, args);
  }

  endorse(
    chaincodeName: string,
    client: X509Identity,
    fn: string,
    args: readonly string[],
    endorsingOrganizations?: readonly string[],
  ): Promise<EndorsedTransaction> {
    return this.of(chaincodeName).endorse(client, fn, args, endorsingOrganizations);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The endorser running the chaincode as `chaincodeName`. */
  of(chaincodeName: string): Endorser {
    let endorser = this.#endorsers.get(chaincodeName);
    if (!endorser) {
      endorser = this.create(chaincodeName);
      this.#endorsers.set(chaincodeName, endorser);
    }
    return endorser;
  }
}

/** Simulates and endorses as one chaincode namespace (`config.chaincodeName`). */
export class Endorser {
  readonly #signers = new Map<string, Signer>();
  /** The state the chaincode sees: its namespace's own key space when it runs as a namespace of the plan. */
  private readonly state: VersionedStateReader;
  /** Chaincode-to-chaincode calls reach the other namespaces of the plan (the same package serves them all). */
  readonly #calledNamespace: (namespace: string) => VersionedStateReader | undefined;

  constructor(
    private readonly chaincode: ChaincodeInterface,
    state: VersionedStateReader,
    private readonly peers: PeerIdentities,
    private readonly config: EndorserConfig,
  ) {
    this.state = chaincodeDefinition(config.chaincodeName)
      ? new NamespaceView(state, config.chaincodeName)
      : state;
    this.#calledNamespace = (namespace) =>
      chaincodeDefinition(namespace) ? new NamespaceView(state, namespace) : undefined;
  }

  /** Simulates `fn(args)` as `client`; throws the typed chaincode error when the chaincode refuses. */
  async simulate(
    client: X509Identity,
    fn: string,
    args: readonly string[],
    nonce?: Uint8Array,
  ): Promise<SimulationResult> {
    const signer = this.#signer(client);
    const simulation = await simulateTransaction(
      this.chaincode,
      this.state,
      {
        channelId: this.config.channel,
        chaincodeName: this.config.chaincodeName,
        creator: { mspId: client.mspId, certificate: client.certificate },
        args: [fn, ...args],
        timestamp: this.config.clock(),
        ...(nonce ? { nonce } : {}),
        ...(this.config.suite === 'gm' ? { suite: 'gm' as const } : {}),
        sign: (bytes) => signer.sign(bytes),
      },
      {
        calledNamespace: this.#calledNamespace,
        ...(this.config.batching ? { batching: this.config.batching } : {}),
      },
    );
    if (!simulation.endorsable) {
      const { status, message } = simulation.response;
      throw chaincodeErrorFrom(message, { txId: simulation.txId, status });
    }
    return simulation;
  }

  /** Simulates, then has each endorsing organisation's peer sign the response. */
  async endorse(
    client: X509Identity,
    fn: string,
    args: readonly string[],
    endorsingOrganizations?: readonly string[],
  ): Promise<EndorsedTransaction> {
    const nonce = randomBytes(24);
    const simulation = await this.simulate(client, fn, args, nonce);
    const organisations =
      endorsingOrganizations ?? (await this.#requiredOrganisations(client.mspId, simulation.readWriteSet));
    // from here to the return nothing awaits: the time in between is this transaction's signing alone
    const budget = this.config.budget;
    const signing = budget ? threadCpuNs() : 0;
    const proposal: ProposalJson = {
      channel: this.config.channel,
      chaincode: this.config.chaincodeName,
      txId: simulation.txId,
      nonce: toBase64(nonce),
      timestamp: { seconds: simulation.timestamp.seconds, nanos: simulation.timestamp.nanos },
      creator: { mspId: client.mspId, certificate: client.certificate },
      function: fn,
      args: [...args],
    };
    const pText = proposalText(proposal);
    const creatorSignature = this.#signer(client).sign(utf8Encode(pText));
    const responseText = canonicalize(responseJson(simulation));
    const rwsetCanonical = rwsetText(simulation.readWriteSet);
    const eventText = canonicalize(eventJson(simulation));
    const suite = SUITES[this.config.suite ?? 'intl'];
    const rHash = responseHash(
      {
        proposalHash: proposalHash(pText, suite),
        responseText,
        rwsetText: rwsetCanonical,
        eventText,
      },
      suite,
    );
    const endorsements = [...new Set(organisations)].sort().map((mspId) => this.#endorsement(mspId, rHash));
    const { text: envelopeText, proposalAt } = endorserTransactionTextAt({
      proposalText: pText,
      creatorSignature: toBase64(creatorSignature),
      responseText,
      rwsetText: rwsetCanonical,
      eventText,
      endorsements,
    });
    const { txId, timestamp, response, readWriteSet, event } = simulation;
    budget?.add('endorse.sign', threadCpuNs() - signing);
    return {
      txId,
      creatorMspId: client.mspId,
      simulation: { txId, timestamp, response, readWriteSet, ...(event ? { event } : {}) },
      envelopeText,
      proposalText: pText,
      proposalAt,
      proposal: { txId: proposal.txId, nonce: proposal.nonce, creator: proposal.creator },
      creatorSignature,
      responseHash: rHash,
      endorsements,
    };
  }

  /**
   * The namespace's definition names its region's (or pair's) organisations; outside the namespace plan the
   * creator's organisation endorses. Plus every organisation a written key's key-level policy names.
   */
  async #requiredOrganisations(creatorMspId: string, rwset: ReadWriteSet): Promise<string[]> {
    const definition = chaincodeDefinition(this.config.chaincodeName);
    const namespaceOrganisations = definition ? definition.endorsingMspIds : [creatorMspId];
    return [...namespaceOrganisations, ...(await requiredOrganisations(rwset, this.state))];
  }

  #endorsement(mspId: string, rHash: string): SignatureJson {
    const peer = this.peers.peerOf(mspId);
    if (!peer) throw new LedgerUnavailableError(`no endorsing peer of organisation ${mspId} on this ledger`);
    const endorser = { mspId, certificate: peer.certificate };
    const signature = this.#signer(peer).sign(endorsementMessage(endorser, rHash));
    return { ...endorser, signature: toBase64(signature) };
  }

  #signer(identity: X509Identity): Signer {
    let signer = this.#signers.get(identity.certificate);
    if (!signer) {
      signer = new Signer(identity.mspId, identity.certificate, identity.privateKey);
      this.#signers.set(identity.certificate, signer);
    }
    return signer;
  }
}

function responseJson(simulation: SimulationResult): ResponseJson {
  const { status, message, payload } = simulation.response;
  return { status, message, payload: toBase64(payload) };
}

function eventJson(simulation: SimulationResult): EventJson | null {
  const event = simulation.event;
  return event ? { name: event.eventName, payload: toBase64(event.payload) } : null;
}
