import { type BlockHeaderJson, type BlockJson } from '@approval-ledger/protocol/api';
import { transactionChecks } from '@approval-ledger/protocol';
import {
  type BlockCheck,
  type ChainVerifier,
  type ChannelTrust,
  type Check,
  type TransactionCheck,
  combineChecks,
} from '../core/chain-verifier';

export interface ChainCheckProgress {
  readonly done: number;
  readonly total: number;
}

/** `intact`: every block verified; `broken`: a check failed; `incomplete`: some checks could not be made here. */
export interface ChainCheckResult {
  readonly status: 'intact' | 'broken' | 'incomplete' | 'stopped';
  readonly checked: number;
  readonly total: number;
  /** The first block that failed (broken) or could not be fully checked (incomplete). */
  readonly block?: number;
  readonly detail?: string;
  /** The crypto suite block 0 names (`intl`: SHA-256, P-256; `gm`: SM3, SM2), once block 0 was read. */
  readonly suite?: 'intl' | 'gm';
}

export interface ChainCheckOptions {
  readonly height: number;
  readonly fetchBlock: (blockNumber: number) => Promise<BlockJson>;
  readonly verifier: ChainVerifier;
  readonly onProgress?: (progress: ChainCheckProgress) => void;
  readonly signal?: AbortSignal;
  /** Blocks fetched ahead of the one being checked. */
  readonly prefetch?: number;
}

/** A transaction check reduced to one verdict (the core's `transaction.endorsements` fails one without any). */
export function transactionVerdict(t: TransactionCheck): Check {
  return combineChecks('transaction', transactionChecks(t));
}

/** Everything a block check found, reduced to one verdict (the first failure, else the first gap). */
export function blockVerdict(check: BlockCheck): Check {
  return combineChecks('block', [
    check.headerHash,
    check.dataHash,
    check.previousLink,
    check.ordererSignature,
    ...check.transactions.map((t) => withTx(t.txId, transactionVerdict(t))),
  ]);
}

function withTx(txId: string, check: Check): Check {
  return check.detail ? { ...check, detail: `transaction ${txId.slice(0, 12)}…: ${check.detail}` } : check;
}

function headerOf(block: BlockJson): BlockHeaderJson {
  return { number: block.number, previousHash: block.previousHash, dataHash: block.dataHash };
}

/**
 * Re-checks the whole chain in this browser, block 0 first: its channel configuration gives the trust anchors
 * every later signature is checked against; each block's header hash, data hash, link to the block before
 * and orderer signature, and each transaction's signatures. Stops at the first block that fails.
 */
export async function checkChain(options: ChainCheckOptions): Promise<ChainCheckResult> {
  const { height, verifier, signal } = options;
  const blocks = new BlockPrefetcher(options.fetchBlock, height, options.prefetch ?? 4);
  const walk: Walk = { named: {} };
  let firstGap: { block: number; detail?: string } | undefined;
  for (let n = 0; n < height; n++) {
    if (signal?.aborted) return { status: 'stopped', checked: n, total: height, ...walk.named };
    const verdict = await checkBlock(n, await blocks.take(n), verifier, walk);
    if (verdict.status === 'failed')
      return { status: 'broken', checked: n, total: height, block: n, detail: verdict.detail, ...walk.named };
    if (verdict.status === 'unchecked') firstGap ??= { block: n, detail: verdict.detail };
    options.onProgress?.({ done: n + 1, total: height });
  }
  return { ...completed(height, firstGap), ...walk.named };
}

/** What the walk carries from block to block: block 0's trust anchors and suite, the previous header. */
interface Walk {
  trust?: ChannelTrust;
  previous?: BlockHeaderJson;
  named: Pick<ChainCheckResult, 'suite'>;
}

async function checkBlock(n: number, block: BlockJson, verifier: ChainVerifier, walk: Walk) {
  if (n === 0) {
    walk.trust = verifier.channelTrust(block);
    walk.named = { suite: walk.trust?.suite?.name ?? 'intl' };
  }
  const verdict = blockVerdict(
    await verifier.verifyBlock(block, { trust: walk.trust, previous: walk.previous }),
  );
  walk.previous = headerOf(block);
  return verdict;
}

function completed(
  height: number,
  firstGap: { block: number; detail?: string } | undefined,
): ChainCheckResult {
  return firstGap
    ? { status: 'incomplete', checked: height, total: height, ...firstGap }
    : { status: 'intact', checked: height, total: height };
}

/** Keeps a few block requests in flight ahead of the block being checked. */
class BlockPrefetcher {
  readonly #pending = new Map<number, Promise<BlockJson>>();

  constructor(
    private readonly fetchBlock: (blockNumber: number) => Promise<BlockJson>,
    private readonly height: number,
    private readonly ahead: number,
  ) {}

  take(blockNumber: number): Promise<BlockJson> {
    for (let n = blockNumber; n < Math.min(this.height, blockNumber + this.ahead + 1); n++) {
      if (!this.#pending.has(n)) this.#pending.set(n, this.fetchBlock(n));
    }
    const block = this.#pending.get(blockNumber) as Promise<BlockJson>;
    this.#pending.delete(blockNumber);
    return block;
  }
}
