/**
 * `ledger verify-chain` on Fabric: every block read through the ledger port (qscc GetBlockByNumber, the
 * peer's own bytes) and checked by protocol's verification core, the same rules a Fabric proof bundle is
 * checked by (`FabricChainWalker`): header link, data hash, one validation code per envelope, orderer
 * signatures against the BlockValidation policy of the configuration in force (configuration blocks are
 * applied as the walk reaches them), creator and endorsement signatures and the endorsement policy of every
 * VALID transaction, and the recorded validation codes where the block decides them.
 *
 * A check that fails, or that cannot be made here (e.g. a signature by a BFT consenter id), stops the walk:
 * the chain is reported intact only when every check of every block verified.
 */
import {
  type Check,
  cryptoSuite,
  decodeFabricBlock,
  FabricChainWalker,
  type FabricBlockVerdict,
  runSync,
  transactionChecks,
} from '@approval-ledger/protocol';
import { type ChainVerification, type Progress } from '@approval-ledger/fabric-engine';
import { type LedgerBlock, type LedgerPort } from '../ledger-port';

export interface FabricChainOptions {
  /**
   * Verify blocks `from` on only (default 0): block 0 and the configuration blocks in force at `from` are
   * still read and checked, and the link of block `from` to the block before it is not.
   */
  readonly from?: number;
}

class BadBlock extends Error {
  constructor(
    readonly number: number,
    reason: string,
  ) {
    super(reason);
  }
}

function rawOf(block: LedgerBlock): Uint8Array {
  if (!block.raw) throw new BadBlock(block.number, 'the ledger gave the block without its Fabric bytes');
  return block.raw;
}

/** The first check of a block verdict that did not verify, as the reason the chain is broken. */
function problemOf(verdict: FabricBlockVerdict, linkMayBeUnchecked: boolean): string | undefined {
  const blockLevel = verdict.checks.filter(
    (c) => !(linkMayBeUnchecked && c.name === 'block.previousLink' && c.status === 'unchecked'),
  );
  const txLevel = verdict.transactions.flatMap((t) => {
    const rules: Check[] = [t.code];
    if (t.recorded === 'VALID') rules.push(...transactionRules(t));
    return rules.map((c) => ({
      ...c,
      detail: `transaction ${t.index} (${t.txId}): ${c.detail ?? c.status}`,
    }));
  });
  const bad = [...blockLevel, ...txLevel].find((c) => c.status === 'failed' || c.status === 'unchecked');
  if (!bad) return undefined;
  const prefix = bad.status === 'unchecked' ? 'not verifiable here: ' : '';
  return `${prefix}${bad.name}: ${bad.detail ?? bad.status}`;
}

/** The core's checks of the transaction (`transactionChecks`), and its endorsement policy where one applies. */
function transactionRules(t: FabricBlockVerdict['transactions'][number]): Check[] {
  return [...transactionChecks(t.verdict), ...(t.policy ? [t.policy] : [])];
}

async function readBlock(ledger: LedgerPort, number: number): Promise<LedgerBlock> {
  try {
    return await ledger.getBlock(number);
  } catch (error) {
    throw new BadBlock(
      number,
      `the block could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Walks block 0 and the configuration blocks up to the one in force at block `from`. */
async function configurationAt(ledger: LedgerPort, walker: FabricChainWalker, from: number): Promise<void> {
  const lastConfig = decodeFabricBlock(rawOf(await readBlock(ledger, from))).signatures.lastConfigIndex;
  const numbers: number[] = [];
  for (let n = lastConfig; n > 0;) {
    numbers.unshift(n);
    const before = decodeFabricBlock(rawOf(await readBlock(ledger, n - 1))).signatures.lastConfigIndex;
    if (before >= n) throw new BadBlock(n - 1, `it names configuration block ${before}, not an earlier one`);
    n = before;
  }
  for (const n of [0, ...numbers]) {
    if (walker.trust) walker.startWith(walker.trust);
    const verdict = runSync(walker.next(rawOf(await readBlock(ledger, n))), cryptoSuite());
    const problem = problemOf(verdict, n > 0) ?? (verdict.installs ? undefined : 'not a configuration block');
    if (problem) throw new BadBlock(n, problem);
  }
  if (walker.trust) walker.startWith(walker.trust);
}

/** Verifies the Fabric chain behind the port from block `from` (default 0) to the height seen at the start. */
export async function verifyFabricChain(
  ledger: LedgerPort,
  options: FabricChainOptions = {},
  progress?: Progress,
): Promise<ChainVerification> {
  const started = Date.now();
  const height = await ledger.height();
  const from = options.from ?? 0;
  const walker = new FabricChainWalker();
  let verifiedBlocks = 0;
  let verifiedTransactions = 0;
  try {
    if (from > 0) await configurationAt(ledger, walker, from);
    for (let n = from; n < height; n++) {
      const block = await readBlock(ledger, n);
      const verdict = runSync(walker.next(rawOf(block)), cryptoSuite());
      const problem = problemOf(verdict, verifiedBlocks === 0 && from > 0);
      if (problem) throw new BadBlock(block.number, problem);
      verifiedBlocks++;
      verifiedTransactions += verdict.transactions.length;
      progress?.(verifiedBlocks, height - from);
    }
  } catch (error) {
    if (!(error instanceof BadBlock)) throw error;
    return {
      ok: false,
      height,
      verifiedBlocks,
      verifiedTransactions,
      firstBadBlock: { number: error.number, reason: error.message },
      elapsedMs: Date.now() - started,
    };
  }
  return { ok: true, height, verifiedBlocks, verifiedTransactions, elapsedMs: Date.now() - started };
}
