/**
 * `ledger verify-chain [--json]`: re-computes every block hash, data hash, orderer signature and endorsement
 * signature of the embedded ledger in the data directory. Exit 0 intact, 2 broken (the first bad block is
 * printed), 1 when there is no ledger to verify.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type Command } from 'commander';
import { type ChainVerification } from '../../ledger/embedded/chain-verifier';
import { verifyChainInParallel } from '../../ledger/embedded/parallel-chain-verifier';
import { embeddedLedgerPaths } from '../../ledger/embedded/ledger-paths';
import { type CliCommand } from '../cli-command';
import { dataDirectory } from '../data-dir';
import { ProgressBar } from '../progress-bar';
import { CliFailure, reportFailure } from '../cli-failure';

export const EXIT_INTACT = 0;
export const EXIT_NO_LEDGER = 1;
export const EXIT_BROKEN = 2;

interface Options {
  json?: boolean;
}

export const verifyChainCommand: CliCommand = {
  name: 'verify-chain',
  register(program: Command): void {
    program
      .command('verify-chain')
      .description(
        're-compute every block hash, data hash and signature of the embedded ledger (exit 0 intact, 2 broken)',
      )
      .option('--json', 'print the result as JSON')
      .action(async (options: Options) => {
        process.exitCode = await runVerifyChain(dataDirectory(), options);
      });
  },
};

/** Verifies with one worker thread per core (up to 4) from 2,000 blocks on, on this thread below. */
export async function runVerifyChain(
  dataDir: string,
  options: Options,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const { database } = embeddedLedgerPaths(dataDir);
  if (!existsSync(database)) {
    const message = `no embedded ledger at ${database} (set LEDGER_DATA_DIR to the data directory)`;
    if (options.json) out.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return reportFailure(new CliFailure(message, EXIT_NO_LEDGER), err);
  }
  const bar = new ProgressBar('verifying blocks');
  const workers = Math.min(4, availableParallelism());
  const result = await verifyChainInParallel(database, { workers }, (done, total) => bar.update(done, total));
  bar.finish();
  out.write(options.json ? `${JSON.stringify(result)}\n` : `${describe(result)}\n`);
  return result.ok ? EXIT_INTACT : EXIT_BROKEN;
}

function describe(r: ChainVerification): string {
  if (r.ok) {
    return `chain intact: ${r.verifiedBlocks} blocks, ${r.verifiedTransactions} transactions verified in ${r.elapsedMs} ms`;
  }
  const bad = r.firstBadBlock;
  const verified = r.verifiedBlocks > 0 ? `blocks 0-${r.verifiedBlocks - 1} verified` : 'no block verified';
  return `chain BROKEN at block ${bad?.number ?? '?'}: ${bad?.reason ?? 'unknown'} (${verified})`;
}
