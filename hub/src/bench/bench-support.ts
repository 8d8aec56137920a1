/** Shared by the hub's benchmarks: a real hub in a temp data dir with its own nats-server, and JSON lines. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '@approval-ledger/testkit';
import pino from 'pino';
import { loadConfig } from '../config';
import { startHub, type RunningHub } from '../hub';
import { type Anchorer } from '../ingest/anchorer';

export interface BenchHub {
  readonly hub: RunningHub;
  readonly natsUrl: string;
  readonly dataDir: string;
}

export interface BenchHubOptions {
  readonly anchorer?: (dataDir: string) => Anchorer;
  /** Keep an existing data dir (and do not delete it afterwards). */
  readonly dataDir?: string;
  readonly verifyRateLimit?: number;
}

export async function withHub<T>(
  options: BenchHubOptions,
  work: (bench: BenchHub) => Promise<T>,
): Promise<T> {
  const nats = await startNatsServer();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const hub = await startHub({
    config: loadConfig({ LEDGER_DATA_DIR: dataDir, PORT: '0', NATS_URL: nats.url, LOG_LEVEL: 'warn' }),
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
    natsUrl: nats.url,
    reconciliation: { enabled: false },
    server: {
      requestLog: false,
      verifyRateLimit: { windowMs: 60_000, limit: options.verifyRateLimit ?? 10_000_000 },
    },
    ...(options.anchorer ? { anchorer: () => (options.anchorer as (d: string) => Anchorer)(dataDir) } : {}),
  });
  try {
    return await work({ hub, natsUrl: nats.url, dataDir });
  } finally {
    await hub.stop();
    await nats.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One result line: `{"bench", "metric", "value", "unit", ...context}`. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
