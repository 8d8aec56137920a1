/**
 * Commit, as an orderer and a peer do it in turn: the ordered batch becomes a block (header chained to the
 * previous block, RFC 6962 data hash over the envelopes, orderer signature), then each transaction is
 * validated in order as a peer's validator does (duplicate id; creator signature, transaction id and
 * endorsement signatures by the verification core's rules, @approval-ledger/protocol `verify/`; endorsement
 * policy of every written key (its key-level policy, else the definition policy of the transaction's
 * namespace), failed as well when an earlier transaction of the block changed the key's validation parameter;
 * MVCC read set incl. phantoms (reads of chaincode-to-chaincode calls too) against
 * state as updated by the earlier valid transactions of the block); invalid transactions stay in the block
 * with their code and their writes are dropped. Block, transactions, state and history are then written in
 * one SQLite transaction.
 */
import {
  canonicalize,
  commitValidationCode,
  chaincodeDefinition,
  definitionPolicy,
  embeddedEndorserTransaction,
  policyEndorsers,
  runSync,
  utf8Encode,
  verifierOf,
} from '@approval-ledger/protocol';
import { type ValidationCode } from '@approval-ledger/protocol';
import {
  blockHash,
  type BlockHeaderJson,
  type BlockMetadataJson,
  commitHash,
  dataHash,
  headerText,
  type SignatureJson,
  type TimestampJson,
  toBase64,
  ZERO_HASH,
} from './block-format';
import { BlockReadCache } from './block-read-cache';
import { type ChannelTrust, configTransaction } from './channel-config';
import { type EndorsedTransaction } from './endorser';
import {
  BlockValidationParameters,
  type Endorser as PolicyEndorser,
  PendingUpdates,
  qualifyReadWriteSet,
  type ReadWriteSet,
  validateEndorsements,
  validateReadSet,
} from './semantics';
import {
  type HistoryWrite,
  type LedgerDatabase,
  type StateWrite,
  type StoredTransaction,
} from './ledger-database';
import { type SqliteState } from './sqlite-state';
import { type Signer } from './signing';
import { type StageBudget, threadCpuNs } from './stage-budget';

export interface TransactionOutcome {
  readonly txId: string;
  readonly blockNumber: number;
  readonly txIndex: number;
  readonly validationCode: ValidationCode;
}

interface ChainTip {
  readonly height: number;
  readonly hash: string;
  readonly commitHash: string;
}

export class Committer {
  #tip: ChainTip;

  constructor(
    private readonly db: LedgerDatabase,
    private readonly state: SqliteState,
    private readonly trust: ChannelTrust,
    private readonly orderer: Signer,
    /** Where the CPU of each stage is added up (`stage-budget.ts`), when measured. */
    private readonly budget?: StageBudget,
  ) {
    this.#tip = readTip(db);
  }

  get height(): number {
    return this.#tip.height;
  }

  /** Orders, validates and commits one batch as the next block; returns each transaction's outcome. */
  async commit(batch: readonly EndorsedTransaction[]): Promise<TransactionOutcome[]> {
    const number = this.#tip.height;
    const ordered = this.budget ? threadCpuNs() : 0;
    const header: BlockHeaderJson = {
      number,
      previousHash: this.#tip.hash,
      dataHash: dataHash(
        batch.map((tx) => tx.envelopeText),
        this.trust.suite,
      ),
    };
    const validating = this.budget ? threadCpuNs() : 0;
    this.budget?.add('order', validating - ordered);
    const rwsets = batch.map(committedReadWriteSet);
    const committed = new BlockReadCache(this.state);
    committed.prefetch(keysOf(rwsets));
    const pending = new PendingUpdates(committed, number);
    const seen = this.db.knownTransactions(batch.map((tx) => tx.txId));
    const parameters = new BlockValidationParameters();
    const codes: ValidationCode[] = [];
    for (const [txNum, tx] of batch.entries()) {
      const readWriteSet = rwsets[txNum]!;
      const code = await this.#validate(tx, readWriteSet, pending, seen, { parameters, txNum });
      seen.add(tx.txId);
      codes.push(code);
      if (code === 'VALID') {
        await pending.apply({ txId: tx.txId, txNum, timestamp: tx.simulation.timestamp, readWriteSet });
      }
    }
    const transactions = batch.map((tx, i) => storedTransaction(tx, number, i, codes[i] ?? 'NOT_VALIDATED'));
    const writes = { state: stateWrites(pending), history: historyWrites(pending) };
    if (this.budget) this.budget.add('validate', threadCpuNs() - validating);
    this.#write(header, codes, transactions, writes.state, writes.history);
    return transactions.map((t) => ({
      txId: t.txId,
      blockNumber: number,
      txIndex: t.txIndex,
      validationCode: t.validationCode as ValidationCode,
    }));
  }

  /** Writes block 0, the channel configuration, into an empty ledger. */
  commitGenesis(timestamp: TimestampJson): void {
    if (this.#tip.height !== 0) throw new Error('the ledger already has a genesis block');
    const config = configTransaction(this.trust.config, timestamp);
    const envelope = canonicalize(config);
    const header: BlockHeaderJson = {
      number: 0,
      previousHash: ZERO_HASH,
      dataHash: dataHash([envelope], this.trust.suite),
    };
    const tx: StoredTransaction = {
      blockNumber: 0,
      txIndex: 0,
      txId: config.txId,
      validationCode: 'VALID',
      envelope,
      eventName: null,
      eventPayload: null,
      chaincodeName: null,
    };
    this.#write(header, ['VALID'], [tx], [], []);
  }

  #write(
    header: BlockHeaderJson,
    codes: readonly ValidationCode[],
    transactions: readonly StoredTransaction[],
    state: readonly StateWrite[],
    history: readonly HistoryWrite[],
  ): void {
    const signing = this.budget ? threadCpuNs() : 0;
    const text = headerText(header);
    const hash = blockHash(header, this.trust.suite);
    const signature: SignatureJson = {
      mspId: this.orderer.mspId,
      certificate: this.orderer.certificate,
      signature: toBase64(this.orderer.sign(utf8Encode(text))),
    };
    const metadata: BlockMetadataJson = {
      signature,
      validationCodes: codes,
      commitHash: commitHash(this.#tip.commitHash, hash, codes, this.trust.suite),
    };
    const block = {
      number: header.number,
      hash,
      header: text,
      metadata: JSON.stringify(metadata),
      txCount: transactions.length,
    };
    if (this.budget) this.budget.add('order', threadCpuNs() - signing);
    this.db.commitBlock(block, transactions, state, history, this.budget);
    this.#tip = { height: header.number + 1, hash, commitHash: metadata.commitHash };
  }

  async #validate(
    tx: EndorsedTransaction,
    readWriteSet: ReadWriteSet,
    pending: PendingUpdates,
    seen: Set<string>,
    block: { parameters: BlockValidationParameters; txNum: number },
  ): Promise<ValidationCode> {
    if (seen.has(tx.txId)) return 'DUPLICATE_TXID';
    const verdict = runSync(
      embeddedEndorserTransaction(tx, tx.txId, this.trust.verification),
      verifierOf(this.trust.suite),
    );
    const signatureCode = commitValidationCode(verdict);
    if (signatureCode !== 'VALID') return signatureCode;
    const endorsers = policyEndorsers(verdict);
    const chaincodePolicy = namespacePolicy(tx);
    const policy = await validateEndorsements(readWriteSet, pending, endorsers, chaincodePolicy, block);
    if (!policy.valid) return 'ENDORSEMENT_POLICY_FAILURE';
    return (await validateReadSet(readWriteSet, pending)).code;
  }
}

/**
 * The transaction's read-write set with its keys as the state DB stores them: a namespace of the plan has its
 * own key space (see `namespaced-state.ts` of the chaincode's Fabric semantics); any other name keeps the
 * single key space of a one-chaincode ledger. Reads by chaincode-to-chaincode calls are validated too.
 */
function committedReadWriteSet(tx: EndorsedTransaction): ReadWriteSet {
  const chaincode = signedChaincodeName(tx.proposalText);
  const planned = chaincode !== undefined && chaincodeDefinition(chaincode) ? chaincode : undefined;
  return qualifyReadWriteSet(planned, tx.simulation.readWriteSet);
}

/**
 * The chaincode-definition policy of the namespace the creator's signed proposal invoked: a namespace of the
 * plan (@approval-ledger/protocol `registries/namespaces.ts`) needs its region's peer (a recognition pair:
 * both); a name outside the plan (a single-definition ledger, the unit tests' `kv`) keeps the embedded
 * engine's older rule, the creator's organisation's peer.
 */
function namespacePolicy(tx: EndorsedTransaction): (endorsers: readonly PolicyEndorser[]) => boolean {
  const chaincode = signedChaincodeName(tx.proposalText);
  const definition = chaincode === undefined ? undefined : definitionPolicy(chaincode);
  return definition ?? ((list) => list.some((e) => e.mspId === tx.creatorMspId && e.role === 'peer'));
}

/**
 * The `chaincode` member of the canonical proposal text the creator signed, read without parsing the (possibly
 * megabytes of) arguments: canonical JSON sorts members, only `args` precedes it, and inside a string every
 * quote is escaped, so the last `"chaincode":"` is the member.
 */
export function signedChaincodeName(proposalText: string): string | undefined {
  const marker = '"chaincode":';
  const at = proposalText.lastIndexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  const end = proposalText.indexOf('","', start);
  try {
    const name: unknown = JSON.parse(proposalText.slice(start, end < 0 ? undefined : end + 1));
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Every key the batch's transactions read or write: validation reads each of them from committed state. */
function* keysOf(rwsets: readonly ReadWriteSet[]): Generator<string> {
  for (const { reads, writes, metadataWrites } of rwsets) {
    for (const r of reads) yield r.key;
    for (const w of writes) yield w.key;
    for (const m of metadataWrites) yield m.key;
  }
}

function readTip(db: LedgerDatabase): ChainTip {
  const height = db.height();
  if (height === 0) return { height: 0, hash: ZERO_HASH, commitHash: ZERO_HASH };
  const last = db.block(height - 1);
  if (!last) throw new Error(`the ledger database lacks block ${height - 1}`);
  const metadata = JSON.parse(last.metadata) as BlockMetadataJson;
  return { height, hash: last.hash, commitHash: metadata.commitHash };
}

function storedTransaction(
  tx: EndorsedTransaction,
  blockNumber: number,
  txIndex: number,
  validationCode: ValidationCode,
): StoredTransaction {
  const event = tx.simulation.event;
  return {
    blockNumber,
    txIndex,
    txId: tx.txId,
    validationCode,
    envelope: tx.envelopeText,
    eventName: event ? event.eventName : null,
    eventPayload: event ? event.payload : null,
    chaincodeName: signedChaincodeName(tx.proposalText) ?? null,
  };
}

function stateWrites(pending: PendingUpdates): StateWrite[] {
  return pending.updates().map((u) => ({
    key: u.key,
    value: u.value,
    metadata: u.metadata,
    blockNum: u.version.blockNum,
    txNum: u.version.txNum,
  }));
}

function historyWrites(pending: PendingUpdates): HistoryWrite[] {
  return pending.historyEntries().map((h) => ({
    key: h.key,
    blockNum: h.blockNum,
    txNum: h.txNum,
    txId: h.txId,
    isDelete: h.isDelete,
    timestamp: h.timestamp,
  }));
}
