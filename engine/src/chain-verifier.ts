/**
 * `ledger verify-chain`: re-computes, for every block of the embedded ledger, what its header, data hash,
 * orderer signature, transactions' creator and endorsement signatures and commit hash must be, trusting only
 * block 0's channel configuration (the organisations' CA certificates). Reads the database read-only, so it
 * can run beside a running hub. Stops at the first bad block and says why. The rules are the verification
 * core's (@approval-ledger/protocol `verify/`: block and transaction rules); this file walks the stored chain,
 * checks what is particular to the store (canonical texts, contiguous numbers, validation codes) and words the
 * first failure.
 *
 * Block 0 names the chain's crypto suite (`intl`: SHA-256 / P-256; `gm`: SM3 / SM2); every hash is re-computed
 * and every signature checked under it, and a chain whose suite the caller did not accept is refused at block 0
 * (`accepted`, default `intl` only), so one process verifies chains of both suites and never mixes them.
 */
import {
  canonicalize,
  type Check,
  certificateIssuedBy,
  commitHashCheck,
  type CryptoSuiteName,
  dataHashCheck,
  embeddedEndorserTransaction,
  embeddedOrdererSignature,
  headerHashOf,
  passed,
  previousHashLinkCheck,
  type Rule,
  runSync,
  suiteOfConfig,
  TRANSACTION_CHECKS,
  type TransactionVerdict,
  verifierOf,
} from '@approval-ledger/protocol';
import { isValidationCode } from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockMetadataJson,
  BLOCK_FORMAT,
  configTransactionId,
  type ConfigTransactionJson,
  endorserTransactionText,
  type EndorserTransactionJson,
  fromBase64,
  headerText,
  proposalHash,
  proposalText,
  responseHash,
  type TransactionJson,
  ZERO_HASH,
} from './block-format';
import { ChannelTrust } from './channel-config';
import { LedgerDatabase, type StoredBlock, type StoredTransaction } from './ledger-database';

export interface ChainVerification {
  readonly ok: boolean;
  /** Blocks in the ledger when verification started. */
  readonly height: number;
  readonly verifiedBlocks: number;
  readonly verifiedTransactions: number;
  readonly firstBadBlock?: { readonly number: number; readonly reason: string };
  readonly elapsedMs: number;
}

export type Progress = (verifiedBlocks: number, height: number) => void;

export interface ChainVerifyOptions {
  /** The crypto suites this verification accepts; a chain whose block 0 names another is bad. Default `intl`. */
  readonly accepted?: readonly CryptoSuiteName[];
}

/** The outcome of verifying blocks `from`..`to` (one worker's share of a parallel verification). */
export interface RangeVerification {
  readonly from: number;
  readonly to: number;
  readonly verifiedBlocks: number;
  readonly verifiedTransactions: number;
  readonly firstBadBlock?: { readonly number: number; readonly reason: string };
}

/** Thrown inside verification with the reason a block is bad. */
class BadBlock extends Error {}

function check(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new BadBlock(reason);
}

/** A core check that must pass; `reason` words its failure (the check's detail follows, when it adds one). */
function expectPassed(verdict: Check, reason: string, withDetail = true): void {
  if (!passed(verdict))
    throw new BadBlock(withDetail && verdict.detail ? `${reason}: ${verdict.detail}` : reason);
}

/** Runs a rule with the verifier of the chain's suite. */
function run<T>(rule: Rule<T>, trust: ChannelTrust): T {
  return runSync(rule, verifierOf(trust.suite));
}

interface Tip {
  hash: string;
  commitHash: string;
}

const PAGE = 200;

/** Verifies the whole chain on this thread. */
export function verifyChain(
  databaseFile: string,
  onProgress?: Progress,
  options: ChainVerifyOptions = {},
): ChainVerification {
  const started = performance.now();
  const db = LedgerDatabase.open(databaseFile, { readonly: true });
  try {
    const height = db.height();
    const range = new ChainWalk(db, (done) => onProgress?.(done, height), options).run(0, height - 1);
    return chainResult(height, [range], started);
  } finally {
    db.close();
  }
}

/**
 * Verifies blocks `from`..`to`. A range that does not start at block 0 takes its trust anchors from block 0 and
 * its starting point (previous hash and commit hash) from block `from - 1` as stored: the range before it
 * verifies those stored values, so the ranges together verify the whole chain.
 */
export function verifyBlockRange(
  databaseFile: string,
  from: number,
  to: number,
  onProgress?: (done: number) => void,
  options: ChainVerifyOptions = {},
): RangeVerification {
  const db = LedgerDatabase.open(databaseFile, { readonly: true });
  try {
    return new ChainWalk(db, onProgress, options).run(from, to);
  } finally {
    db.close();
  }
}

/** The chain's verdict from its ranges' (in block order): the first bad block of the earliest bad range. */
export function chainResult(
  height: number,
  ranges: readonly RangeVerification[],
  started: number,
): ChainVerification {
  let verifiedBlocks = 0;
  let verifiedTransactions = 0;
  for (const range of ranges) {
    verifiedBlocks += range.verifiedBlocks;
    verifiedTransactions += range.verifiedTransactions;
    if (range.firstBadBlock) {
      const elapsedMs = Math.round(performance.now() - started);
      return {
        ok: false,
        height,
        verifiedBlocks,
        verifiedTransactions,
        firstBadBlock: range.firstBadBlock,
        elapsedMs,
      };
    }
  }
  return {
    ok: true,
    height,
    verifiedBlocks,
    verifiedTransactions,
    elapsedMs: Math.round(performance.now() - started),
  };
}

class ChainWalk {
  #trust: ChannelTrust | undefined;
  #tip: Tip = { hash: ZERO_HASH, commitHash: ZERO_HASH };
  #blocks = 0;
  #transactions = 0;

  constructor(
    private readonly db: LedgerDatabase,
    private readonly onProgress: ((done: number) => void) | undefined,
    private readonly options: ChainVerifyOptions,
  ) {}

  run(from: number, to: number): RangeVerification {
    let current = from;
    try {
      if (from > 0) this.#startAfter(from);
      for (let next = from; next <= to;) {
        const page = this.db.blocksFrom(next, Math.min(PAGE, to - next + 1));
        check(page.length > 0, `block ${next} is missing`);
        const txs = groupByBlock(this.db.transactionsOfBlocks(next, next + page.length - 1));
        for (const block of page) {
          current = next;
          check(block.number === next, `block ${next} is missing (found ${block.number} next)`);
          this.#verifyBlock(block, txs.get(block.number) ?? []);
          next++;
          this.#blocks++;
        }
        this.onProgress?.(next);
      }
      return this.#result(from, to);
    } catch (error) {
      if (!(error instanceof BadBlock)) throw error;
      return this.#result(from, to, { number: current, reason: error.message });
    }
  }

  /** Trust from block 0, starting point from the stored block before the range. */
  #startAfter(from: number): void {
    this.#trust = genesisTrust(this.db.transactionsOfBlock(0), this.#accepted);
    const previous = this.db.block(from - 1);
    check(previous !== undefined, `block ${from - 1} is missing`);
    const metadata = parseJson<BlockMetadataJson>(previous.metadata, `metadata of block ${from - 1}`);
    this.#tip = { hash: previous.hash, commitHash: metadata.commitHash };
  }

  get #accepted(): readonly CryptoSuiteName[] {
    return this.options.accepted ?? ['intl'];
  }

  #result(from: number, to: number, firstBadBlock?: { number: number; reason: string }): RangeVerification {
    return {
      from,
      to,
      verifiedBlocks: this.#blocks,
      verifiedTransactions: this.#transactions,
      ...(firstBadBlock ? { firstBadBlock } : {}),
    };
  }

  #verifyBlock(block: StoredBlock, txs: readonly StoredTransaction[]): void {
    const header = parseJson<BlockHeaderJson>(block.header, 'header');
    // block 0 names the suite its own hashes are made with: read its trust anchors first
    if (block.number === 0) this.#trust = genesisTrust(txs, this.#accepted);
    const trust = this.#trust;
    check(trust !== undefined, 'no channel configuration');
    const suite = trust.suite;
    check(headerText(header) === block.header, 'the stored header is not canonical JSON');
    check(header.number === block.number, `the header says block ${header.number}`);
    expectPassed(
      previousHashLinkCheck(header, { number: header.number - 1, hash: this.#tip.hash }),
      'previousHash is not the hash of the previous block header',
      false,
    );
    const hash = headerHashOf(header, 'embedded', suite);
    check(hash === block.hash, `the block hash is ${hash}, stored ${block.hash}`);
    check(txs.length === block.txCount && txs.length > 0, `the block holds ${txs.length} transactions`);
    txs.forEach((tx, i) => check(tx.txIndex === i, `transaction ${i} is missing`));
    expectPassed(
      dataHashCheck(
        txs.map((t) => t.envelope),
        header.dataHash,
        'embedded',
        suite,
      ),
      'the data hash does not match the transactions',
      false,
    );
    const metadata = parseJson<BlockMetadataJson>(block.metadata, 'metadata');
    expectPassed(
      run(embeddedOrdererSignature(header, [metadata.signature], trust.verification, block.header), trust),
      "the orderer's signature over the header does not verify",
    );
    const codes = metadata.validationCodes;
    check(codes.length === txs.length, 'the validation codes do not match the transactions');
    txs.forEach((tx, i) =>
      check(
        codes[i] === tx.validationCode && isValidationCode(tx.validationCode),
        `transaction ${i} has an unknown or mismatched validation code`,
      ),
    );
    expectPassed(
      commitHashCheck(this.#tip.commitHash, hash, codes, metadata.commitHash, suite),
      'the commit hash does not match',
      false,
    );
    if (block.number > 0) for (const tx of txs) this.#verifyTransaction(tx, trust);
    this.#tip = { hash, commitHash: metadata.commitHash };
  }

  #verifyTransaction(stored: StoredTransaction, trust: ChannelTrust): void {
    const where = `transaction ${stored.txIndex} (${stored.txId})`;
    const tx = parseJson<TransactionJson>(stored.envelope, where);
    check(tx.type === 'endorser', `${where} is not an endorser transaction`);
    const texts = partTexts(tx);
    check(envelopeText(tx, texts) === stored.envelope, `${where} is not stored as canonical JSON`);
    this.#transactions++;
    if (stored.validationCode !== 'VALID') return;
    verifyEndorserTransaction(tx, texts, stored.txId, trust, where);
  }
}

/** The canonical texts of a transaction's parts, computed once for the canonical-form check and the hashes. */
interface PartTexts {
  readonly proposal: string;
  readonly response: string;
  readonly rwset: string;
  readonly event: string;
}

function partTexts(tx: EndorserTransactionJson): PartTexts {
  return {
    proposal: proposalText(tx.proposal),
    response: canonicalize(tx.response),
    rwset: canonicalize(tx.rwset),
    event: canonicalize(tx.event),
  };
}

function envelopeText(tx: EndorserTransactionJson, texts: PartTexts): string {
  return endorserTransactionText({
    proposalText: texts.proposal,
    creatorSignature: tx.creatorSignature,
    responseText: texts.response,
    rwsetText: texts.rwset,
    eventText: texts.event,
    endorsements: tx.endorsements,
  });
}

function groupByBlock(txs: readonly StoredTransaction[]): Map<number, StoredTransaction[]> {
  const out = new Map<number, StoredTransaction[]>();
  for (const tx of txs) {
    const list = out.get(tx.blockNumber) ?? [];
    list.push(tx);
    out.set(tx.blockNumber, list);
  }
  return out;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BadBlock(`${what} is not JSON`);
  }
}

function genesisTrust(txs: readonly StoredTransaction[], accepted: readonly CryptoSuiteName[]): ChannelTrust {
  const genesis = txs[0];
  check(txs.length === 1 && genesis !== undefined, 'block 0 must hold exactly the channel configuration');
  const tx = parseJson<ConfigTransactionJson>(genesis.envelope, 'the configuration transaction');
  check(
    tx.type === 'config' && tx.config.format === BLOCK_FORMAT,
    `block 0 is not a ${BLOCK_FORMAT} configuration`,
  );
  try {
    suiteOfConfig(tx.config, accepted);
  } catch (error) {
    throw new BadBlock(error instanceof Error ? error.message : String(error));
  }
  check(
    tx.txId === configTransactionId(tx.config) && tx.txId === genesis.txId,
    'the configuration id does not match',
  );
  const trust = new ChannelTrust(tx.config);
  expectPassed(
    run(
      certificateIssuedBy('genesis.orderer', trust.ordererCertificate, tx.config.orderer.caCertificate),
      trust,
    ),
    "the orderer's CA did not issue its certificate",
  );
  return trust;
}

function verifyEndorserTransaction(
  tx: EndorserTransactionJson,
  texts: PartTexts,
  txId: string,
  trust: ChannelTrust,
  where: string,
): void {
  const parts = {
    proposal: tx.proposal,
    proposalText: texts.proposal,
    creatorSignature: fromBase64(tx.creatorSignature),
    responseHash: responseHash(
      {
        proposalHash: proposalHash(texts.proposal, trust.suite),
        responseText: texts.response,
        rwsetText: texts.rwset,
        eventText: texts.event,
      },
      trust.suite,
    ),
    endorsements: tx.endorsements,
  };
  const verdict = run(embeddedEndorserTransaction(parts, txId, trust.verification), trust);
  expectPassed(verdict.envelope, `${where}: the proposal names transaction ${tx.proposal.txId}`, false);
  expectPassed(
    verdict.txIdCheck,
    `${where}: the transaction id is not derived from its nonce and creator`,
    false,
  );
  expectPassed(verdict.creatorSignature, `${where}: the creator's certificate or signature does not verify`);
  check(tx.endorsements.length > 0, `${where}: a valid transaction without endorsements`);
  for (const e of verdict.endorsements) {
    expectPassed(e.check, `${where}: the endorsement signature of ${e.mspId} does not verify`);
  }
  requireAll(verdict, where);
}

/** Nothing the core checked may have failed (every rule is named above; this keeps a new one from slipping by). */
function requireAll(verdict: TransactionVerdict, where: string): void {
  expectPassed(verdict.endorsementSet, `${where}: ${TRANSACTION_CHECKS.endorsements}`);
  check(verdict.ok, `${where}: the transaction does not verify`);
}
