/**
 * `ledger verify-chain [--json] [--from <block>]`: re-computes every block hash, data hash, orderer signature
 * and endorsement signature of the ledger: the embedded ledger in the data directory, or with
 * LEDGER_BACKEND=fabric the Fabric channel read through the ledger port (`fabric-chain-verifier.ts`: orderer
 * signatures against the BlockValidation policy, configuration blocks applied as they come). Exit 0 intact,
 * 2 broken (the first bad block is printed), 1 when there is no ledger to verify. An embedded chain is verified
 * under the crypto suite LEDGER_CRYPTO names (default `intl`); a chain whose block 0 names another is refused.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type Command } from 'commander';
import { type ChainVerification, verifyChainInParallel } from '@approval-ledger/fabric-engine';
import { embeddedLedgerPaths } from '../../ledger/embedded/ledger-paths';
import { verifyFabricChain } from '../../ledger/fabric/fabric-chain-verifier';
import { type LedgerPort } from '../../ledger/ledger-port';
import { ledgerConfigOf } from '../../config';
import { openLedger } from '../../ledger/open-ledger';
import { type CliCommand } from '../cli-command';
import { cliConfig, dataDirectory } from '../data-dir';
import { ProgressBar } from '../progress-bar';
import { CliFailure, reportFailure } from '../cli-failure';

export const EXIT_INTACT = 0;
export const EXIT_NO_LEDGER = 1;
export const EXIT_BROKEN = 2;

interface Options {
  json?: boolean;
  /** Fabric only: verify from this block on (block 0 and the configuration in force are still checked). */
  from?: number;
}

export const verifyChainCommand: CliCommand = {
  name: 'verify-chain',
  register(program: Command): void {
    program
      .command('verify-chain')
      .description(
        're-compute every block hash, data hash and signature of the ledger, embedded or Fabric (exit 0 intact, 2 broken)',
      )
      .option('--json', 'print the result as JSON')
      .option('--from <block>', 'Fabric: verify from this block on', (v) => Number.parseInt(v, 10))
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
  if (process.env.LEDGER_BACKEND === 'fabric') return verifyFabricFromEnv(dataDir, options, out, err);
  const { database } = embeddedLedgerPaths(dataDir);
  if (!existsSync(database)) {
    const message = `no embedded ledger at ${database} (set LEDGER_DATA_DIR to the data directory)`;
    if (options.json) out.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return reportFailure(new CliFailure(message, EXIT_NO_LEDGER), err);
  }
  const suite = ledgerCryptoOf(dataDir, options, out, err);
  if (typeof suite === 'number') return suite;
  const bar = new ProgressBar('verifying blocks');
  const workers = Math.min(4, availableParallelism());
  const verified = await verifyChainInParallel(database, { workers, accepted: [suite] }, (done, total) =>
    bar.update(done, total),
  );
  const result = { ...verified, suite, ...withSuiteHint(verified, suite) };
  bar.finish();
  out.write(options.json ? `${JSON.stringify(result)}\n` : `${describe(result)}\n`);
  return result.ok ? EXIT_INTACT : EXIT_BROKEN;
}

/** LEDGER_BACKEND=fabric: opens the Fabric engine as the hub would (FABRIC_CONNECTION_PROFILE, FABRIC_WALLET). */
async function verifyFabricFromEnv(
  dataDir: string,
  options: Options,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  let ledger: LedgerPort;
  try {
    ledger = await openLedger(ledgerConfigOf(cliConfig(process.env, dataDir)));
  } catch (error) {
    const message = `the Fabric ledger could not be opened: ${error instanceof Error ? error.message : String(error)}`;
    if (options.json) out.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return reportFailure(new CliFailure(message, EXIT_NO_LEDGER), err);
  }
  try {
    return await runFabricVerifyChain(ledger, options, out);
  } finally {
    await ledger.close();
  }
}

/** verify-chain over a Fabric ledger port (what LEDGER_BACKEND=fabric opens). */
export async function runFabricVerifyChain(
  ledger: LedgerPort,
  options: Options,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const bar = new ProgressBar('verifying Fabric blocks');
  const from = options.from ?? 0;
  const result = await verifyFabricChain(ledger, { from }, (done, total) => bar.update(done, total));
  bar.finish();
  out.write(options.json ? `${JSON.stringify({ ...result, from })}\n` : `${describe(result, from)}\n`);
  return result.ok ? EXIT_INTACT : EXIT_BROKEN;
}

/** The suite LEDGER_CRYPTO names (the hub's config), or the exit code of a bad configuration, reported. */
function ledgerCryptoOf(
  dataDir: string,
  options: Options,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): 'intl' | 'gm' | number {
  try {
    return cliConfig(process.env, dataDir).ledgerCrypto;
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    if (options.json) out.write(`${JSON.stringify({ ok: false, error: error.message })}\n`);
    return reportFailure(error, err);
  }
}

/** A chain refused for its suite: say which variable accepts it. */
function withSuiteHint(r: ChainVerification, suite: string): Partial<ChainVerification> {
  const bad = r.firstBadBlock;
  if (!bad || bad.number !== 0 || !/suite .* is not accepted here/.test(bad.reason)) return {};
  const other = suite === 'gm' ? 'intl' : 'gm';
  return {
    firstBadBlock: {
      ...bad,
      reason: `${bad.reason}; verified under LEDGER_CRYPTO=${suite}, set LEDGER_CRYPTO=${other} to verify this chain`,
    },
  };
}

/** Named when not the default, so an intl chain's report reads as it always has. */
function suiteNote(suite: string | undefined): string {
  return suite && suite !== 'intl' ? ` under the ${suite} crypto suite` : '';
}

function describe(r: ChainVerification & { suite?: string }, from = 0): string {
  if (r.ok) {
    const range = from > 0 ? ` (blocks ${from}-${r.height - 1})` : '';
    return `chain intact: ${r.verifiedBlocks} blocks${range}, ${r.verifiedTransactions} transactions verified in ${r.elapsedMs} ms${suiteNote(r.suite)}`;
  }
  const bad = r.firstBadBlock;
  const verified =
    r.verifiedBlocks > 0 ? `blocks ${from}-${from + r.verifiedBlocks - 1} verified` : 'no block verified';
  return `chain BROKEN at block ${bad?.number ?? '?'}: ${bad?.reason ?? 'unknown'} (${verified})`;
}
