/**
 * The hub as its own process for the benchmarks (as in production: adapters and clients are other
 * processes): `node dist/bench/bench-hub.js` with LEDGER_DATA_DIR, NATS_URL and `BENCH_ANCHORER=ledger|sql`.
 * Prints `ready <url> <pid>` once listening; SIGTERM stops it cleanly. Answers the IPC message `budget` with
 * `{ budget }`: the main thread's ingest stage budget so far (ingest/stage-budget.ts).
 */
import '@approval-ledger/fabric-engine/native-hash';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config';
import { startHub } from '../hub';
import { StageBudget } from '../ingest/stage-budget';
import { SqlAnchorer } from './sql-anchorer';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: process.env.PORT ?? '0' });
  const sql = process.env.BENCH_ANCHORER === 'sql';
  // the main thread's CPU and bytes per ingest stage; the parent asks for it over IPC ('budget')
  const budget = StageBudget.onThisThread();
  process.on('message', (message) => {
    if (message === 'budget') process.send?.({ budget: budget.snapshot(), memory: process.memoryUsage() });
  });
  const hub = await startHub({
    config,
    logger: pino({ level: config.logLevel }),
    natsUrl: config.natsUrl ?? 'nats://127.0.0.1:4222',
    // reconciliation passes would compete with the load measured; production runs them every 30 s
    reconciliation: { enabled: false },
    budget,
    server: { requestLog: false, verifyRateLimit: { windowMs: 60_000, limit: 1_000_000_000 } },
    ...(sql ? { anchorer: () => new SqlAnchorer(join(config.dataDir, 'hub', 'baseline.sqlite')) } : {}),
  });
  process.stdout.write(`ready ${hub.url} ${process.pid}\n`);
  process.on('SIGTERM', () => {
    void hub.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
