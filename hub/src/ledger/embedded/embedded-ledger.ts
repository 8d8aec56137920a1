/**
 * The embedded ledger engine: the approval chaincode's contract classes run in-process on the chaincode
 * package's Fabric-semantics stub, with three regional organisations' peers endorsing, an ordering service
 * cutting blocks, a committer validating as a peer does, and SQLite (WAL) keeping blocks, state and history.
 * See `../README.md` for the formats and guarantees.
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  certificateOf,
  type CryptoSuiteName,
  REGION_CODES,
  SUITES,
  type BlockJson,
  type ConfigTransactionJson,
} from '@approval-ledger/protocol';
import {
  BlockNotFoundError,
  LedgerClosedError,
  TransactionInvalidError,
  TransactionNotFoundError,
} from '../errors';
import { WalCheckpointer, writerAutoCheckpointPragma } from '../../sqlite/wal-checkpointer';
import { eventStream } from '../event-stream';
import { checkpointPath, FileCheckpointer } from '../file-checkpointer';
import { DEFAULT_CONFLICT_RETRIES, withConflictRetries } from '../conflict-retry';
import {
  chaincodeNameOf,
  genesisChaincodeName,
  modeOfGenesisChaincode,
  type NamespaceMode,
  regionScope,
} from '../namespace-mode';
import {
  type CommittedTransaction,
  type EventOptions,
  type EventStream,
  type LedgerBlock,
  type LedgerChaincodeEvent,
  type LedgerCheckpointer,
  type LedgerIdentity,
  type LedgerPort,
  type LedgerTransaction,
  type ScopeOptions,
  type SubmitOptions,
} from '../ledger-port';
import {
  channelConfigOf,
  ChannelTrust,
  CommitSignal,
  Committer,
  type TransactionOutcome,
  type EndorsedTransaction,
  type EndorsementService,
  Endorser,
  NamespaceEndorsers,
  EndorserPool,
  toTxTimestamp,
  LedgerDatabase,
  type Synchronous,
  type BatchOptions,
  OrderingService,
  ProcessLock,
  Signer,
  SqliteState,
  StageBudget,
  type StageTotals,
  type PeerBatching,
} from '@approval-ledger/fabric-engine';
import { toBlockJson, toLedgerBlock, toLedgerTransaction } from './block-reader';
import { type EmbeddedChaincode, approvalChaincode } from './embedded-chaincode';
import { createContractChaincode } from '@approval-ledger/chaincode';
import { embeddedLedgerPaths } from './ledger-paths';
import { MspDirectory } from './organisation-material';

export { embeddedLedgerPaths };

export const DEFAULT_CHANNEL = 'approval';

export interface EmbeddedLedgerOptions {
  /** The data directory; the ledger lives in `<dataDir>/ledger/`. */
  readonly dataDir: string;
  /** The chaincode to run; default: the approval chaincode's contracts from @approval-ledger/chaincode. */
  readonly chaincode?: EmbeddedChaincode;
  readonly channel?: string;
  /**
   * The batched chaincode calls the in-process peer announces to the chaincode: default Fabric 3.1's
   * (GET_STATE_MULTIPLE, WRITE_BATCH_STATE); `FABRIC_2_BATCHING` for one message per state call, as on 2.x.
   */
  readonly peerBatching?: PeerBatching;
  readonly batch?: BatchOptions;
  /** SQLite `synchronous` (WAL): NORMAL (default) or FULL. */
  readonly synchronous?: Synchronous;
  /** The clock proposals are timestamped with (default: the system clock; a custom clock keeps endorsement in-process). */
  readonly clock?: () => Date;
  /**
   * Worker threads that simulate and endorse (the committer stays on the calling thread). Default (the hub's
   * LEDGER_ENDORSEMENT_WORKERS unset): min(cores - 1, 2) when running compiled JavaScript and 0 under ts-node (each
   * worker would compile the TypeScript sources again). 0 endorses in-process.
   */
  readonly endorsementWorkers?: number;
  /**
   * The namespace mode of a NEW ledger (see `../namespace-mode.ts`), written into block 0: default `plan` for
   * the approval chaincode, `legacy` (the chaincode's own name) for another chaincode. An existing ledger keeps
   * the mode of its block 0; naming the other mode for it is an error, never a silent mix.
   */
  readonly namespaceMode?: NamespaceMode;
  /**
   * The crypto suite (the hub's LEDGER_CRYPTO) of a NEW ledger, written into block 0 and fixed for the whole chain:
   * `intl` (SHA-256, ECDSA P-256; the default) or `gm` (SM3, SM2 with SM3 and the default user ID: organisation
   * CAs and identities with SM2 keys). Naming another suite than block 0's for an existing ledger is an error;
   * unset, an existing ledger keeps its own.
   */
  readonly cryptoSuite?: CryptoSuiteName;
  /**
   * Add up the CPU of each stage of endorsement, ordering, validation and commit (the engine's
   * `stage-budget.ts`), read with {@link EmbeddedLedger.stageBudget}: for the benchmarks; off by default.
   */
  readonly measureStages?: boolean;
}

interface Parts {
  readonly lock: ProcessLock;
  readonly msp: MspDirectory;
  readonly db: LedgerDatabase;
  /** WAL checkpoints of `db` in a worker thread, off the committing thread. */
  readonly walCheckpointer: WalCheckpointer;
  readonly committer: Committer;
  readonly endorser: EndorsementService;
  /** The committing thread's stage budget, with `measureStages`. */
  readonly budget: StageBudget | undefined;
  readonly namespaceMode: NamespaceMode;
  /** The single chaincode name of the legacy mode (block 0's). */
  readonly legacyName: string;
  readonly dataDir: string;
}

/** Blocks {@link EmbeddedLedger.getBlock} keeps as read (the followers of new blocks read the same few). */
const READ_BLOCKS = 8;

export class EmbeddedLedger implements LedgerPort {
  readonly engine = 'embedded';
  readonly namespaceMode: NamespaceMode;
  readonly #parts: Parts;
  readonly #ordering: OrderingService;
  readonly #signal = new CommitSignal();
  readonly #streams = new Set<EventStream<unknown>>();
  /**
   * The last blocks read, as read: the chain indexer and the transparency log each follow every block as it is
   * committed, and reading one means parsing each transaction's envelope (measured in ingest: the largest
   * allocation of the block read, about 2.7 KB and 3.5 µs per record, paid once per follower without it).
   * A committed block never changes, and a LedgerBlock is read-only.
   */
  readonly #readBlocks = new Map<number, LedgerBlock>();
  #closed = false;

  private constructor(parts: Parts, batch: BatchOptions | undefined) {
    this.#parts = parts;
    this.namespaceMode = parts.namespaceMode;
    this.#ordering = new OrderingService((txs) => this.#commit(txs), batch);
  }

  /** Opens the ledger in `options.dataDir`, creating organisations and block 0 on first start. */
  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    const paths = embeddedLedgerPaths(options.dataDir);
    mkdirSync(paths.dir, { recursive: true });
    const lock = ProcessLock.acquire(paths.lock);
    let db: LedgerDatabase | undefined;
    let walCheckpointer: WalCheckpointer | undefined;
    try {
      const chaincode = options.chaincode ?? approvalChaincode();
      const channel = options.channel ?? DEFAULT_CHANNEL;
      const clock = options.clock ?? (() => new Date());
      const msp = await MspDirectory.open(paths.dir, options.cryptoSuite);
      db = LedgerDatabase.open(
        paths.database,
        options.synchronous ? { synchronous: options.synchronous } : {},
      );
      walCheckpointer = WalCheckpointer.start(paths.database, {
        synchronous: options.synchronous ?? 'NORMAL',
      });
      db.pragma(writerAutoCheckpointPragma(db.pageSize()));
      const trust = channelTrust(db, msp, channel, genesisNameOf(options, chaincode), options.cryptoSuite);
      const namespaceMode = namespaceModeOf(trust, options);
      const state = new SqliteState(db);
      const orderer = msp.orderer.orderer;
      const budget = stageBudgetOf(options);
      const committer = new Committer(
        db,
        state,
        trust,
        new Signer(orderer.mspId, orderer.certificate, orderer.privateKey),
        budget,
      );
      if (committer.height === 0) committer.commitGenesis(toTxTimestamp(clock()));
      const endorser = await endorsementService(options, {
        chaincode,
        channel,
        clock,
        msp,
        state,
        database: paths.database,
        suite: trust.suite.name,
        budget,
      });
      return new EmbeddedLedger(
        {
          lock,
          msp,
          db,
          walCheckpointer,
          committer,
          endorser,
          budget,
          namespaceMode,
          legacyName: trust.config.chaincode,
          dataDir: options.dataDir,
        },
        options.batch,
      );
    } catch (error) {
      await walCheckpointer?.close();
      db?.close();
      lock.release();
      throw error;
    }
  }

  submit(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options: SubmitOptions = {},
  ): Promise<CommittedTransaction> {
    return withConflictRetries(async () => {
      this.#assertOpen();
      const client = await this.#parts.msp.clientIdentity(identity);
      const tx = await this.#parts.endorser.endorse(
        this.#namespaceOf(identity, options),
        client,
        fn,
        args,
        options.endorsingOrganizations,
      );
      const outcome = await this.#ordering.order(tx);
      return this.#committed(tx, outcome, this.#namespaceOf(identity, options));
    }, options.conflictRetries ?? DEFAULT_CONFLICT_RETRIES);
  }

  async evaluate(
    identity: LedgerIdentity,
    fn: string,
    args: readonly string[],
    options: ScopeOptions = {},
  ): Promise<Uint8Array> {
    this.#assertOpen();
    const client = await this.#parts.msp.clientIdentity(identity);
    const namespace = this.#namespaceOf(identity, options);
    return (await this.#parts.endorser.simulate(namespace, client, fn, args)).response.payload;
  }

  /** The chaincode name a call goes to: its scope's namespace (default: the identity's region's), by the mode. */
  #namespaceOf(identity: LedgerIdentity, options: ScopeOptions): string {
    const scope = options.scope ?? regionScope(identity.region);
    return chaincodeNameOf(this.#parts.namespaceMode, scope, this.#parts.legacyName);
  }

  /**
   * CPU ns per stage since the ledger opened or the last reset (with `measureStages`; empty without): the
   * endorsement stages of `EndorserPool.stageBudget` (or `endorse.sign` in-process), the committing thread's
   * `order`, `validate` and `commit.*` (see the engine's `stage-budget.ts`), and `main.other`, the rest of the
   * committing thread's CPU (submissions, the endorsed transactions' arrival from the workers, in-process
   * simulation). `reset` starts every total afresh.
   */
  async stageBudget(reset = false): Promise<StageTotals> {
    const { budget, endorser } = this.#parts;
    if (!budget) return {};
    const endorsement = endorser instanceof EndorserPool ? await endorser.stageBudget(reset) : {};
    const { thread = 0, ...stages } = budget.totals();
    if (reset) budget.reset();
    const measured = Object.values(stages).reduce((a, b) => a + b, 0);
    return { ...endorsement, ...stages, 'main.other': thread - measured };
  }

  height(): Promise<number> {
    return Promise.resolve(this.#parts.committer.height);
  }

  getBlock(blockNumber: number): Promise<LedgerBlock> {
    const read = this.#readBlocks.get(blockNumber);
    if (read) return Promise.resolve(read);
    const { db } = this.#parts;
    const stored = db.block(blockNumber);
    if (!stored) return Promise.reject(new BlockNotFoundError(blockNumber, db.height()));
    const block = toLedgerBlock(stored, db.transactionsOfBlock(blockNumber));
    this.#readBlocks.set(blockNumber, block);
    if (this.#readBlocks.size > READ_BLOCKS) {
      this.#readBlocks.delete(this.#readBlocks.keys().next().value as number);
    }
    return Promise.resolve(block);
  }

  /** The block in its stored JSON form: what the hashes and signatures cover (see README). */
  getBlockJson(blockNumber: number): BlockJson {
    const { db } = this.#parts;
    const stored = db.block(blockNumber);
    if (!stored) throw new BlockNotFoundError(blockNumber, db.height());
    return toBlockJson(stored, db.transactionsOfBlock(blockNumber));
  }

  getTransaction(txId: string): Promise<LedgerTransaction> {
    const stored = this.#parts.db.transactionById(txId);
    if (!stored) return Promise.reject(new TransactionNotFoundError(txId));
    return Promise.resolve(toLedgerTransaction(stored));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the port is asynchronous; SQLite reads here are not
  async *blocks(from: number, to?: number): AsyncGenerator<LedgerBlock> {
    const { db } = this.#parts;
    const last = to ?? db.height() - 1;
    for (let next = from; next <= last;) {
      const page = db.blocksFrom(next, Math.min(100, last - next + 1));
      if (page.length === 0) return;
      const txs = db.transactionsOfBlocks(next, next + page.length - 1);
      for (const block of page) {
        yield toLedgerBlock(
          block,
          txs.filter((t) => t.blockNumber === block.number),
        );
      }
      next += page.length;
    }
  }

  blockEvents(options: EventOptions = {}): EventStream<LedgerBlock> {
    const start = options.checkpoint?.blockNumber ?? options.startBlock ?? this.#parts.committer.height;
    return this.#track(eventStream((closed, isClosed) => this.#blockEvents(start, closed, isClosed)));
  }

  chaincodeEvents(options: EventOptions = {}): EventStream<LedgerChaincodeEvent> {
    const checkpointBlock = options.checkpoint?.blockNumber;
    const start = checkpointBlock ?? options.startBlock ?? this.#parts.committer.height;
    const after = { blockNumber: checkpointBlock ?? -1, txIndex: this.#checkpointIndex(options) };
    return this.#track(
      eventStream((closed, isClosed) => this.#chaincodeEvents(start, after, closed, isClosed)),
    );
  }

  checkpointer(name: string): Promise<LedgerCheckpointer> {
    return FileCheckpointer.open(checkpointPath(this.#parts.dataDir, this.engine, name));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ordering.close();
    await this.#parts.endorser.close();
    for (const stream of this.#streams) stream.close();
    await this.#parts.walCheckpointer.close();
    this.#parts.db.close();
    this.#parts.lock.release();
  }

  async #commit(batch: readonly EndorsedTransaction[]): Promise<TransactionOutcome[]> {
    const outcomes = await this.#parts.committer.commit(batch);
    this.#signal.notify();
    return outcomes;
  }

  #committed(
    tx: EndorsedTransaction,
    outcome: TransactionOutcome,
    chaincodeName: string,
  ): Omit<CommittedTransaction, 'retries'> {
    const { txId, blockNumber, validationCode } = outcome;
    if (validationCode !== 'VALID') throw new TransactionInvalidError({ txId, blockNumber, validationCode });
    const event = tx.simulation.event;
    return {
      txId,
      blockNumber,
      validationCode,
      result: tx.simulation.response.payload,
      ...(event
        ? { event: chaincodeEvent(blockNumber, txId, chaincodeName, event.eventName, event.payload) }
        : {}),
    };
  }

  async *#blockEvents(
    start: number,
    closed: Promise<void>,
    isClosed: () => boolean,
  ): AsyncGenerator<LedgerBlock> {
    for (let next = start; !isClosed();) {
      if (next < this.#parts.committer.height) yield await this.getBlock(next++);
      else await this.#signal.next(closed);
    }
  }

  async *#chaincodeEvents(
    start: number,
    after: { blockNumber: number; txIndex: number },
    closed: Promise<void>,
    isClosed: () => boolean,
  ): AsyncGenerator<LedgerChaincodeEvent> {
    for (let next = start; !isClosed();) {
      const height = this.#parts.committer.height;
      if (next >= height) {
        await this.#signal.next(closed);
        continue;
      }
      const to = Math.min(height - 1, next + 99);
      for (const e of this.#parts.db.eventsOfBlocks(next, to)) {
        if (isClosed()) return;
        if (e.blockNumber === after.blockNumber && e.txIndex <= after.txIndex) continue;
        const name = e.chaincodeName ?? this.#parts.legacyName;
        yield chaincodeEvent(e.blockNumber, e.txId, name, e.eventName, e.eventPayload);
      }
      next = to + 1;
    }
  }

  /** Index of the checkpointed transaction in the checkpoint's block (events up to it were delivered), or -1. */
  #checkpointIndex(options: EventOptions): number {
    const { blockNumber, transactionId } = options.checkpoint ?? {};
    if (blockNumber === undefined || transactionId === undefined) return -1;
    const tx = this.#parts.db.transactionById(transactionId);
    return tx && tx.blockNumber === blockNumber ? tx.txIndex : -1;
  }

  #track<T>(stream: EventStream<T>): EventStream<T> {
    this.#streams.add(stream);
    return {
      [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
      close: () => {
        this.#streams.delete(stream);
        stream.close();
      },
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new LedgerClosedError();
  }
}

function chaincodeEvent(
  blockNumber: number,
  txId: string,
  chaincodeName: string,
  eventName: string | null,
  payload: Uint8Array | null,
): LedgerChaincodeEvent {
  return {
    blockNumber,
    txId,
    chaincodeName,
    eventName: eventName ?? '',
    payload: payload ?? new Uint8Array(0),
  };
}

interface EndorsementSetup {
  readonly chaincode: EmbeddedChaincode;
  readonly channel: string;
  readonly clock: () => Date;
  readonly msp: MspDirectory;
  readonly state: SqliteState;
  readonly database: string;
  /** The chain's crypto suite (block 0's). */
  readonly suite: CryptoSuiteName;
  /** The stage budget in-process endorsement adds to; the workers keep their own. */
  readonly budget: StageBudget | undefined;
}

function defaultWorkerCount(): number {
  return __filename.endsWith('.ts') ? 0 : Math.min(2, Math.max(0, availableParallelism() - 1));
}

/** In-process endorsement, or a pool of worker threads when configured and the chaincode says where it lives. */
async function endorsementService(
  options: EmbeddedLedgerOptions,
  setup: EndorsementSetup,
): Promise<EndorsementService> {
  const { chaincode, channel, clock, msp, state, suite, budget } = setup;
  const workers = options.endorsementWorkers ?? defaultWorkerCount();
  if (workers <= 0 || !chaincode.source || options.clock) {
    const contracts = createContractChaincode(chaincode.contracts);
    return new NamespaceEndorsers(
      (chaincodeName) =>
        new Endorser(contracts, state, msp, {
          channel,
          chaincodeName,
          clock,
          suite,
          ...(budget ? { budget } : {}),
          ...(options.peerBatching ? { batching: options.peerBatching } : {}),
        }),
    );
  }
  const peers = REGION_CODES.map((region) => msp.organisation(region).peer);
  const pool = new EndorserPool(
    {
      databaseFile: setup.database,
      chaincode: chaincode.source,
      channel,
      peers,
      suite,
      ...(budget ? { measureStages: true } : {}),
      ...(options.peerBatching ? { batching: options.peerBatching } : {}),
    },
    workers,
  );
  try {
    await pool.ready();
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}

/** The committing thread's stage budget, when the stages are measured. */
function stageBudgetOf(options: EmbeddedLedgerOptions): StageBudget | undefined {
  return options.measureStages ? new StageBudget() : undefined;
}

/** What block 0 of a NEW ledger names as its chaincode: the plan's base name, or the legacy chaincode's own. */
function genesisNameOf(options: EmbeddedLedgerOptions, chaincode: EmbeddedChaincode): string {
  const mode = options.namespaceMode ?? (options.chaincode ? 'legacy' : 'plan');
  return mode === 'plan' ? genesisChaincodeName('plan') : chaincode.name;
}

/** The mode block 0 fixed; asking an existing ledger for the other mode is an error, never a silent mix. */
function namespaceModeOf(trust: ChannelTrust, options: EmbeddedLedgerOptions): NamespaceMode {
  const mode = modeOfGenesisChaincode(trust.config.chaincode);
  if (options.namespaceMode !== undefined && options.namespaceMode !== mode) {
    throw new Error(
      `this ledger was created in the ${mode} namespace mode (block 0 names '${trust.config.chaincode}'), not ${options.namespaceMode}`,
    );
  }
  return mode;
}

/**
 * The channel's trust anchors: from block 0 when the ledger exists (its suite must be the one asked for, and the
 * MSP files must match it); for a new ledger, the MSP files' organisations under `suite` (default `intl`).
 */
function channelTrust(
  db: LedgerDatabase,
  msp: MspDirectory,
  channel: string,
  chaincodeName: string,
  suite: CryptoSuiteName | undefined,
): ChannelTrust {
  const genesis = db.transactionsOfBlock(0)[0];
  if (!genesis) {
    const name = suite ?? 'intl';
    const keyCurve = certificateOf(msp.orderer.ca.certificate).keyCurve;
    if (keyCurve !== SUITES[name].keyCurve) {
      throw new Error(
        `LEDGER_CRYPTO=${name} needs ${SUITES[name].keyCurve} organisation keys, but the organisations in ${msp.path} have ${keyCurve} keys (made for another suite)`,
      );
    }
    return new ChannelTrust(channelConfigOf(msp, channel, chaincodeName, name));
  }
  const trust = new ChannelTrust((JSON.parse(genesis.envelope) as ConfigTransactionJson).config);
  if (suite !== undefined && trust.suite.name !== suite) {
    const { name, hash, signature } = trust.suite;
    throw new Error(
      `LEDGER_CRYPTO=${suite}, but this ledger was created with LEDGER_CRYPTO=${name} (block 0 fixes the crypto suite for the whole chain: ${hash}, ${signature}); start it with LEDGER_CRYPTO=${name}`,
    );
  }
  if (!trust.matches(msp)) {
    throw new Error(`the organisations in ${msp.path} are not the ones block 0 of this ledger names`);
  }
  return trust;
}
