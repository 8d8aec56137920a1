/**
 * The ledger port over a Hyperledger Fabric network, through the Fabric Gateway client
 * (`@hyperledger/fabric-gateway`, the supported successor of `fabric-network`). The ONLY hub file that
 * imports a Fabric client library; identities come from the `fabric-network` file wallet through
 * `fabric-wallet.ts` (loaded lazily, see there), protobufs are decoded in `fabric-decoding.ts`.
 *
 * - submit: endorse (by the organisations `endorsing-organisations.ts` chooses: the record's region, never the
 *   gateway's organisation by default), submit, wait for the commit status; a read conflict is endorsed and
 *   submitted again (bounded); the chaincode event of the transaction is read from its own endorsed envelope.
 * - blocks and transactions: qscc GetChainInfo / GetBlockByNumber / GetTransactionByID / GetBlockByTxID.
 * - namespaces: each call goes to the chaincode namespace of its scope (`../namespace-mode.ts`), by the mode the
 *   profile says the network was deployed with (`x-approval-ledger.namespaces`; FABRIC_NAMESPACE_MODE overrides).
 * - events: the gateway's block-event stream, resuming from checkpoints; under the namespace plan chaincode events
 *   are read out of the blocks' valid transactions of every namespace of the plan (one ordered stream, one
 *   checkpoint: the gateway's chaincode-event stream follows one chaincode name only); in the legacy mode the
 *   gateway's chaincode-event stream of the single definition.
 */
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  type ChaincodeEvent,
  type Checkpoint,
  type CloseableAsyncIterable,
  connect,
  type Gateway,
  GatewayError,
  hash,
  type Network,
  signers,
  type Status,
} from '@hyperledger/fabric-gateway';
import { parseLedgerError } from '@approval-ledger/protocol';
import { DEFAULT_CONFLICT_RETRIES, withConflictRetries } from '../conflict-retry';
import {
  BlockNotFoundError,
  chaincodeErrorFrom,
  LedgerClosedError,
  LedgerUnavailableError,
  TransactionInvalidError,
  TransactionNotFoundError,
} from '../errors';
import { eventStream } from '../event-stream';
import { checkpointPath, FileCheckpointer } from '../file-checkpointer';
import { identityLabel } from '../identity-label';
import { chaincodeNameOf, chaincodeNamesOf, type NamespaceMode, regionScope } from '../namespace-mode';
import {
  type CommittedTransaction,
  type EventOptions,
  type EventStream,
  type LedgerBlock,
  type LedgerChaincodeEvent,
  type LedgerCheckpoint,
  type LedgerCheckpointer,
  type LedgerIdentity,
  type LedgerPort,
  type LedgerTransaction,
  type ScopeOptions,
  type SubmitOptions,
} from '../ledger-port';
import { validationCodeName } from '@approval-ledger/protocol';
import { type FabricConnection, loadConnectionProfile, readPem } from './connection-profile';
import { endorsingOrganisations } from './endorsing-organisations';
import type * as FabricWallet from './fabric-wallet';
import {
  decodeBlock,
  decodeChainHeight,
  decodeEnvelope,
  decodeProcessedTransaction,
  envelopeOfPreparedTransaction,
} from './fabric-decoding';

export interface FabricLedgerOptions {
  /** Path of the organisation's connection profile (FABRIC_CONNECTION_PROFILE). */
  readonly connectionProfile: string;
  /** Root of the fabric-network file wallet (FABRIC_WALLET). */
  readonly walletRoot: string;
  /** The data directory (event checkpoints are kept in `<dataDir>/ledger/checkpoints/`). */
  readonly dataDir: string;
  /** How the network was deployed (FABRIC_NAMESPACE_MODE); default: the profile's `namespaces` (see there). */
  readonly namespaceMode?: NamespaceMode;
  /** The identity that reads blocks and events; default: the profile region's `auditor`. */
  readonly readerIdentity?: LedgerIdentity;
  /** Deadline of endorse/submit/evaluate calls (default 30 s) and of the commit status wait (default 60 s). */
  readonly callTimeoutMs?: number;
  readonly commitTimeoutMs?: number;
}

/**
 * The largest gRPC message the client sends or accepts: Fabric's own limit (a peer's `peer.maxRecvMsgSize` and
 * `peer.maxSendMsgSize` default to 100 MiB). grpc-js alone accepts 4 MiB, less than a block may be (the channel's
 * `AbsoluteMaxBytes` is 10 MB): a real 5.15 MB block made qscc `GetBlockByNumber` fail with RESOURCE_EXHAUSTED,
 * which stopped the hub indexing its chain at that block and made `verify-chain` call an intact chain broken.
 */
export const FABRIC_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/** The gRPC channel options of the connection to the gateway peer. */
export function gatewayChannelOptions(hostnameOverride?: string): grpc.ChannelOptions {
  return {
    'grpc.max_receive_message_length': FABRIC_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': FABRIC_MAX_MESSAGE_BYTES,
    ...(hostnameOverride ? { 'grpc.ssl_target_name_override': hostnameOverride } : {}),
  };
}

const QSCC = 'qscc';
/** gRPC status codes that mean the network did not answer (the outcome may be unknown). */
const UNAVAILABLE_CODES = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.CANCELLED,
]);

/**
 * A Fabric client error as the typed error the port promises: a chaincode refusal (its `CODE: detail` is in
 * the error details or message) becomes the ChaincodeError subclass of its code; an unreachable network, a
 * failed submit or an unknown commit status becomes LedgerUnavailableError (the outcome may be unknown); any
 * other endorsement or evaluation failure is a ChaincodeError with code UNKNOWN.
 */
export function mapGatewayError(error: unknown): Error {
  if (!(error instanceof GatewayError)) return error instanceof Error ? error : new Error(String(error));
  const messages = [...error.details.map((d) => d.message), error.message];
  const txId = txIdOf(error);
  const context = { ...(txId ? { txId } : {}), cause: error };
  const coded = messages.find((m) => parseLedgerError(m) !== undefined);
  if (coded !== undefined) return chaincodeErrorFrom(coded, context);
  const afterEndorsement = error.name === 'SubmitError' || error.name === 'CommitStatusError';
  if (afterEndorsement || UNAVAILABLE_CODES.has(error.code)) {
    return new LedgerUnavailableError(error.message, txId, { cause: error });
  }
  return chaincodeErrorFrom(messages[0] ?? error.message, context);
}

function txIdOf(error: GatewayError): string | undefined {
  return 'transactionId' in error && typeof error.transactionId === 'string'
    ? error.transactionId
    : undefined;
}

/** The outcome of a commit status: the committed transaction's position, or the invalidation error. */
export function commitOutcome(status: Status): { txId: string; blockNumber: number } {
  const blockNumber = Number(status.blockNumber);
  if (!status.successful) {
    throw new TransactionInvalidError({
      txId: status.transactionId,
      blockNumber,
      validationCode: validationCodeName(status.code),
    });
  }
  return { txId: status.transactionId, blockNumber };
}

/**
 * The port's answer for a submitted transaction: its commit status decides (an invalid one throws
 * TransactionInvalidError), the chaincode event comes from the transaction's own signed envelope, taken out of
 * the `gateway.PreparedTransaction` bytes that `Transaction.getBytes()` returns after `submit()`.
 */
export function committedTransaction(
  signedPreparedTransaction: Uint8Array,
  result: Uint8Array,
  status: Status,
  chaincodeName: string,
): Omit<CommittedTransaction, 'retries'> {
  const { txId, blockNumber } = commitOutcome(status);
  const { txId: envelopeTxId, envelope } = envelopeOfPreparedTransaction(signedPreparedTransaction);
  if (envelopeTxId !== txId) {
    throw new Error(`PreparedTransaction.transaction_id: must be the committed ${txId}, is ${envelopeTxId}`);
  }
  const { event } = decodeEnvelope(envelope, { blockNumber, txIndex: -1, validationCode: 0 });
  return {
    txId,
    blockNumber,
    validationCode: 'VALID',
    result,
    ...(event ? { event: { blockNumber, txId, chaincodeName, ...event } } : {}),
  };
}

/** A port checkpoint in the shape Fabric Gateway reads. */
export function gatewayCheckpoint(checkpoint: LedgerCheckpoint): Checkpoint {
  return {
    getBlockNumber: () => (checkpoint.blockNumber === undefined ? undefined : BigInt(checkpoint.blockNumber)),
    getTransactionId: () => checkpoint.transactionId,
  };
}

export function toLedgerChaincodeEvent(event: ChaincodeEvent): LedgerChaincodeEvent {
  return {
    blockNumber: Number(event.blockNumber),
    txId: event.transactionId,
    chaincodeName: event.chaincodeName,
    eventName: event.eventName,
    payload: event.payload,
  };
}

/**
 * The chaincode events of a block's valid transactions in the given namespaces, in block order, skipping the
 * checkpoint's block up to and including its transaction (Fabric Gateway's checkpoint semantics).
 */
export function chaincodeEventsOfBlock(
  block: LedgerBlock,
  namespaces: ReadonlySet<string>,
  checkpoint?: LedgerCheckpoint,
): LedgerChaincodeEvent[] {
  let skipping = checkpoint?.blockNumber === block.number && checkpoint.transactionId !== undefined;
  const events: LedgerChaincodeEvent[] = [];
  for (const tx of block.transactions) {
    if (skipping) {
      skipping = tx.txId !== checkpoint?.transactionId;
      continue;
    }
    const { chaincodeName, event } = tx;
    if (tx.validationCode !== 'VALID' || !event || !chaincodeName || !namespaces.has(chaincodeName)) continue;
    events.push({ blockNumber: block.number, txId: tx.txId, chaincodeName, ...event });
  }
  return events;
}

function eventOptions(options: EventOptions): { startBlock?: bigint; checkpoint?: Checkpoint } {
  return {
    ...(options.startBlock !== undefined ? { startBlock: BigInt(options.startBlock) } : {}),
    ...(options.checkpoint ? { checkpoint: gatewayCheckpoint(options.checkpoint) } : {}),
  };
}

export class FabricLedger implements LedgerPort {
  readonly engine = 'fabric';
  readonly namespaceMode: NamespaceMode;
  readonly #gateways = new Map<string, Promise<Gateway>>();
  #closed = false;

  private constructor(
    readonly connection: FabricConnection,
    private readonly client: grpc.Client,
    private readonly options: FabricLedgerOptions,
  ) {
    this.namespaceMode = options.namespaceMode ?? connection.namespaceMode;
  }

  /** Connects to the gateway peer of the profile's organisation (waiting up to 10 s for it). */
  static async open(options: FabricLedgerOptions): Promise<FabricLedger> {
    const connection = loadConnectionProfile(options.connectionProfile);
    const { gateway } = connection;
    const credentials = gateway.tlsRootCert
      ? grpc.credentials.createSsl(Buffer.from(readPem(gateway.tlsRootCert, connection.profilePath)))
      : grpc.credentials.createInsecure();
    const client = new grpc.Client(
      gateway.endpoint,
      credentials,
      gatewayChannelOptions(gateway.hostnameOverride),
    );
    await new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + 10_000, (error) => {
        if (!error) return resolve();
        client.close();
        reject(
          new LedgerUnavailableError(
            `the gateway peer ${gateway.peer} (${gateway.endpoint}) is not reachable: ${error.message}`,
          ),
        );
      });
    });
    return new FabricLedger(connection, client, options);
  }

  submit(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options: SubmitOptions = {},
  ): Promise<CommittedTransaction> {
    return withConflictRetries(
      () => this.#submitOnce(identity, fn, args, options),
      options.conflictRetries ?? DEFAULT_CONFLICT_RETRIES,
    );
  }

  async evaluate(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options: ScopeOptions = {},
  ): Promise<Uint8Array> {
    const network = await this.#network(identity);
    try {
      const contract = network.getContract(this.#namespaceOf(identity, options));
      return await contract.evaluate(fn, { arguments: [...args] });
    } catch (error) {
      throw mapGatewayError(error);
    }
  }

  async height(): Promise<number> {
    return decodeChainHeight(await this.#qscc('GetChainInfo', this.connection.channel));
  }

  async getBlock(blockNumber: number): Promise<LedgerBlock> {
    const height = await this.height();
    if (!Number.isSafeInteger(blockNumber) || blockNumber < 0 || blockNumber >= height) {
      throw new BlockNotFoundError(blockNumber, height);
    }
    return decodeBlock(await this.#qscc('GetBlockByNumber', this.connection.channel, String(blockNumber)));
  }

  async getTransaction(txId: string): Promise<LedgerTransaction> {
    let processed: Uint8Array;
    let block: LedgerBlock;
    try {
      processed = await this.#qscc('GetTransactionByID', this.connection.channel, txId);
      block = decodeBlock(await this.#qscc('GetBlockByTxID', this.connection.channel, txId));
    } catch (error) {
      if (error instanceof LedgerUnavailableError) throw error;
      throw new TransactionNotFoundError(txId);
    }
    const txIndex = block.transactions.findIndex((t) => t.txId === txId);
    return decodeProcessedTransaction(processed, { blockNumber: block.number, txIndex });
  }

  async *blocks(from: number, to?: number): AsyncGenerator<LedgerBlock> {
    const last = to ?? (await this.height()) - 1;
    for (let n = from; n <= last; n++) yield await this.getBlock(n);
  }

  blockEvents(options: EventOptions = {}): EventStream<LedgerBlock> {
    return this.#stream(
      async (network) => network.getBlockEvents(eventOptions(options)),
      (raw) => [decodeBlock(raw)],
    );
  }

  chaincodeEvents(options: EventOptions = {}): EventStream<LedgerChaincodeEvent> {
    if (this.namespaceMode === 'legacy') {
      return this.#stream(
        async (network) => network.getChaincodeEvents(this.connection.chaincode, eventOptions(options)),
        (raw) => [toLedgerChaincodeEvent(raw)],
      );
    }
    const namespaces = new Set(chaincodeNamesOf('plan'));
    return this.#stream(
      async (network) => network.getBlockEvents(eventOptions(options)),
      (raw) => chaincodeEventsOfBlock(decodeBlock(raw), namespaces, options.checkpoint),
    );
  }

  checkpointer(name: string): Promise<LedgerCheckpointer> {
    return FileCheckpointer.open(checkpointPath(this.options.dataDir, this.engine, name));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#gateways.values()) {
      try {
        (await pending).close();
      } catch {
        // a gateway that never connected has nothing to close
      }
    }
    this.client.close();
  }

  async #submitOnce(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options: SubmitOptions,
  ): Promise<Omit<CommittedTransaction, 'retries'>> {
    const namespace = this.#namespaceOf(identity, options);
    const contract = (await this.#network(identity)).getContract(namespace);
    const organisations = endorsingOrganisations(namespace, identity, fn, options.endorsingOrganizations);
    const proposal = contract.newProposal(fn, {
      arguments: [...args],
      ...(organisations ? { endorsingOrganizations: organisations } : {}),
    });
    let status: Status;
    let prepared: Uint8Array;
    let result: Uint8Array;
    try {
      const transaction = await proposal.endorse();
      result = transaction.getResult();
      const submitted = await transaction.submit();
      prepared = transaction.getBytes(); // signed only now: submit() signs the envelope in place
      status = await submitted.getStatus();
    } catch (error) {
      throw mapGatewayError(error);
    }
    return committedTransaction(prepared, result, status, namespace);
  }

  /** The chaincode name a call goes to: its scope's namespace (default: the identity's region's), by the mode. */
  #namespaceOf(identity: LedgerIdentity, options: ScopeOptions): string {
    const scope = options.scope ?? regionScope(identity.region);
    return chaincodeNameOf(this.namespaceMode, scope, this.connection.chaincode);
  }

  async #qscc(fn: string, ...args: string[]): Promise<Uint8Array> {
    const network = await this.#network(this.#reader());
    try {
      return await network.getContract(QSCC).evaluateTransaction(fn, ...args);
    } catch (error) {
      throw mapGatewayError(error);
    }
  }

  #reader(): LedgerIdentity {
    return this.options.readerIdentity ?? { region: this.connection.region, role: 'auditor' };
  }

  async #network(identity: LedgerIdentity): Promise<Network> {
    if (this.#closed) throw new LedgerClosedError();
    const key = `${identity.region}/${identityLabel(identity)}`;
    let gateway = this.#gateways.get(key);
    if (!gateway) {
      gateway = this.#connect(identity);
      this.#gateways.set(key, gateway);
      gateway.catch(() => this.#gateways.delete(key));
    }
    return (await gateway).getNetwork(this.connection.channel);
  }

  async #connect(identity: LedgerIdentity): Promise<Gateway> {
    // loaded on first use: fabric-network is large (see fabric-wallet.ts)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadWalletIdentity } = require('./fabric-wallet') as typeof FabricWallet;
    const stored = await loadWalletIdentity(this.options.walletRoot, identity);
    const callTimeout = this.options.callTimeoutMs ?? 30_000;
    const deadline = (ms: number) => () => ({ deadline: Date.now() + ms });
    return connect({
      client: this.client,
      identity: { mspId: stored.mspId, credentials: Buffer.from(stored.certificate) },
      signer: signers.newPrivateKeySigner(createPrivateKey(stored.privateKey)),
      hash: hash.sha256,
      evaluateOptions: deadline(callTimeout),
      endorseOptions: deadline(callTimeout),
      submitOptions: deadline(callTimeout),
      commitStatusOptions: deadline(this.options.commitTimeoutMs ?? 60_000),
    });
  }

  #stream<R, T>(
    open: (network: Network) => Promise<CloseableAsyncIterable<R>>,
    map: (raw: R) => Iterable<T>,
  ): EventStream<T> {
    return eventStream<T>(
      async function* (
        this: FabricLedger,
        closed: Promise<void>,
        isClosed: () => boolean,
      ): AsyncGenerator<T> {
        const events = await open(await this.#network(this.#reader()));
        void closed.then(() => events.close());
        try {
          for await (const raw of events) {
            for (const item of map(raw)) {
              if (isClosed()) return;
              yield item;
            }
          }
        } catch (error) {
          if (!isClosed()) throw mapGatewayError(error);
        } finally {
          events.close();
        }
      }.bind(this),
    );
  }
}
