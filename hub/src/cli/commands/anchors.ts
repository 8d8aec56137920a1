/**
 * `ledger anchors verify [--rpc URL] [--min-confirmations n] [--json]`: checks every anchor the hub recorded
 * in `<dataDir>/anchor/anchors.jsonl` against the chain, with protocol's `verifyAnchorOnline`: the receipt
 * exists and succeeded, the block is the chain's, the log at the recorded index is the contract's Anchored
 * event of the recorded origin, size and root, and how many confirmations it has. The RPC is `--rpc`, else
 * LEDGER_ANCHOR_RPC, else the one the hub last used. Without any, only the offline checks run, and the
 * command says what they do not prove.
 *
 * Exit codes: 0 every anchor verified on chain; 2 an anchor failed (or bad usage); 4 some were left unchecked
 * (no RPC, the RPC did not answer, too few confirmations).
 */
import { type AnchorVerdict, checkAnchorOffline, verifyAnchorOnline } from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { existsSync } from 'node:fs';
import { AnchorStore, anchorDir } from '../../anchor/anchor-store';
import { type CliCommand } from '../cli-command';
import { CliFailure, runCommand } from '../cli-failure';
import { cliConfig, dataDirectory } from '../data-dir';

export const ANCHORS_EXIT = { verified: 0, failed: 2, unchecked: 4 } as const;

interface VerifyOptions {
  readonly rpc?: string;
  readonly minConfirmations?: string;
  readonly json?: boolean;
}

export const anchorsCommand: CliCommand = {
  name: 'anchors',
  register(program: Command): void {
    const anchors = program.command('anchors').description('public anchors of checkpoints on an EVM chain');
    anchors
      .command('verify')
      .description('check every recorded anchor against the chain (receipt, block, event, confirmations)')
      .option('--rpc <url>', 'EVM JSON-RPC URL (default: LEDGER_ANCHOR_RPC, else the one the hub last used)')
      .option('--min-confirmations <n>', 'confirmations an anchor needs', '1')
      .option('--json', 'print JSON')
      .action((options: VerifyOptions) =>
        runCommand(() => verifyAnchors(dataDirectory(), options), ANCHORS_EXIT.failed),
      );
  },
};

function confirmationsOf(value: string | undefined): number {
  const n = Number(value ?? '1');
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CliFailure(
      `--min-confirmations ${value}: expected a whole number of 0 or more`,
      ANCHORS_EXIT.failed,
    );
  }
  return n;
}

type AnchorResult = { txHash: string; size: number; verdict: AnchorVerdict };

/** The RPC to ask: --rpc, else LEDGER_ANCHOR_RPC, else the one the hub last used (undefined: offline only). */
function rpcOf(dataDir: string, store: AnchorStore, option: string | undefined): string | undefined {
  return option ?? cliConfig(process.env, dataDir).anchor?.rpcUrl ?? store.contract()?.rpcUrl;
}

function exitOf(results: readonly AnchorResult[]): number {
  if (results.some((r) => !r.verdict.valid)) return ANCHORS_EXIT.failed;
  return results.every((r) => r.verdict.onChain) ? ANCHORS_EXIT.verified : ANCHORS_EXIT.unchecked;
}

export async function verifyAnchors(dataDir: string, options: VerifyOptions): Promise<number> {
  const minConfirmations = confirmationsOf(options.minConfirmations);
  if (!existsSync(anchorDir(dataDir))) {
    throw new CliFailure(
      `no anchors in ${dataDir}: ${anchorDir(dataDir)} does not exist`,
      ANCHORS_EXIT.failed,
    );
  }
  const store = new AnchorStore(dataDir);
  const rpc = rpcOf(dataDir, store, options.rpc);
  const results: AnchorResult[] = [];
  for (const record of store.all()) {
    const verdict = rpc
      ? await verifyAnchorOnline(record.anchor, rpc, { minConfirmations })
      : checkAnchorOffline(record.anchor);
    results.push({ txHash: record.anchor.txHash, size: record.anchor.checkpoint.size, verdict });
  }
  const json = `${JSON.stringify({ rpc: rpc ?? null, results }, null, 2)}\n`;
  process.stdout.write(options.json ? json : text(rpc, results));
  return exitOf(results);
}

function text(
  rpc: string | undefined,
  results: { txHash: string; size: number; verdict: AnchorVerdict }[],
): string {
  const lines = [
    `${results.length} anchor(s), ${rpc ? `checked against ${rpc}` : 'checked offline only (no RPC)'}`,
  ];
  for (const { txHash, size, verdict } of results) {
    const status = !verdict.valid ? 'FAILED' : verdict.onChain ? 'ON CHAIN' : 'UNCHECKED';
    lines.push(`${status.padEnd(9)} size ${size} tx ${txHash}`);
    for (const c of verdict.checks.filter((x) => x.status !== 'verified')) {
      lines.push(`  ${c.name}: ${c.status}${c.detail ? ` - ${c.detail}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
