/**
 * `npm run bench -- anchor`: the cost of public anchoring on a real local EVM node (anvil from npm, automine):
 * gas per anchoring transaction (the CheckpointAnchor `anchor` call with the log's origin), milliseconds per
 * anchor (sign, pending.json fsync, send, mined, anchors.jsonl fsync), and anchors (and gas) per hour at the
 * default interval, LEDGER_ANCHOR_SECONDS = 30: one transaction per interval while checkpoints come.
 */
import { bytesToHex, sha256 } from '@approval-ledger/protocol';
import { startAnvil } from '@approval-ledger/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type PublishedCheckpoint } from '../tlog/checkpointer';
import { AnchorStore } from './anchor-store';
import { CheckpointAnchorer } from './checkpoint-anchorer';
import { EvmAnchorChain, loadAnchorWallet } from './evm-anchor-chain';

const ANCHORS = Number(process.env.ANCHOR_BENCH_ANCHORS ?? 50);
const DEFAULT_INTERVAL_S = 30;
const ORIGIN = 'bj.approval-ledger.example/log/0badc0de';
const context = { anchors: ANCHORS, cores: availableParallelism() };

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const rounded = Math.round(value * 1000) / 1000;
  const load1 = Math.round(loadavg()[0]! * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ bench: 'anchor', metric, value: rounded, unit, ...context, load1, ...extra })}\n`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function checkpointOf(size: number): PublishedCheckpoint {
  const root = bytesToHex(sha256(new TextEncoder().encode(`root ${size}`)));
  const note = `${ORIGIN}\n${size}\n${root}\n\n— sig\n— tj\n— he\n`;
  return {
    size,
    root,
    note,
    cosigned: note,
    cosignedBy: ['tj.approval-ledger.example/witness', 'he.approval-ledger.example/witness'],
    publishedAt: new Date().toISOString(),
    recordedInTx: null,
    witnessSizes: {},
  };
}

async function main(): Promise<void> {
  const anvil = await startAnvil();
  const dataDir = mkdtempSync(join(tmpdir(), 'anchor-bench-'));
  let current: PublishedCheckpoint | undefined;
  const source = { origin: ORIGIN, witnessCount: 2, latest: () => current };
  try {
    const store = new AnchorStore(dataDir);
    const chain = await EvmAnchorChain.connect(anvil.url, await loadAnchorWallet(store.dir, undefined));
    const anchorer = await CheckpointAnchorer.open(
      chain,
      store,
      source,
      { everyMs: 3_600_000 },
      pino({ level: 'silent' }),
    );
    const gas: number[] = [];
    const ms: number[] = [];
    for (let i = 1; i <= ANCHORS; i++) {
      current = checkpointOf(i * 100);
      const started = performance.now();
      const record = await anchorer.anchorNow();
      ms.push(performance.now() - started);
      gas.push(record!.gasUsed);
    }
    await anchorer.stop();
    const perHour = 3600 / DEFAULT_INTERVAL_S;
    emit('anchor.gas_per_anchor', median(gas), 'gas', { min: Math.min(...gas), max: Math.max(...gas) });
    emit('anchor.ms', median(ms), 'ms/anchor', { node: 'anvil automine, 127.0.0.1' });
    emit('anchor.per_hour', perHour, 'anchors/h', { intervalSeconds: DEFAULT_INTERVAL_S });
    emit('anchor.gas_per_hour', perHour * median(gas), 'gas/h', { intervalSeconds: DEFAULT_INTERVAL_S });
  } finally {
    await anvil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
