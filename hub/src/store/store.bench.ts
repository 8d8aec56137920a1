/**
 * `npm run bench -- store`: batched inserts into the off-chain store, SQLite and MariaDB (a real mariadbd from the
 * testkit), and indexed lookups by document digest. One JSON line per metric.
 */
import { startMariaDb } from '@approval-ledger/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Milestone } from '@approval-ledger/protocol';
import {
  numberedMilestone,
  sampleDocumentDigest,
  sampleProjectCode,
} from '@approval-ledger/protocol/testing';
import { newRecord, type NewRecord, openStore, type StoreOptions } from './index';

const BATCH = 500;
const RECORDS = Number(process.env['STORE_BENCH_RECORDS'] ?? 50_000);
const LOOKUPS = 5_000;
/** Lookups in flight at once in the concurrent run. */
const CONCURRENCY = 32;

/** The n-th milestone, each of its own project and with its own document. */
function milestoneAt(n: number): Milestone {
  return numberedMilestone(n, { projectCode: sampleProjectCode('BJ', n) });
}

function emit(metric: string, value: number, unit: string, context: Record<string, unknown>): void {
  const line = {
    bench: 'store',
    metric,
    value: Math.round(value),
    unit,
    ...context,
    cores: availableParallelism(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function run(backend: 'sqlite' | 'mysql', options: StoreOptions): Promise<void> {
  const store = await openStore(options);
  try {
    const batches: NewRecord[][] = [];
    for (let start = 0; start < RECORDS; start += BATCH) {
      batches.push(
        Array.from({ length: Math.min(BATCH, RECORDS - start) }, (_, i) =>
          newRecord({ kind: 'milestone', record: milestoneAt(start + i) }),
        ),
      );
    }
    const began = process.hrtime.bigint();
    for (const batch of batches) await store.records.insertPendingBatch(batch);
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    emit('store.insert.records_per_s', RECORDS / seconds, 'records/s', {
      backend,
      batch: BATCH,
      records: RECORDS,
    });

    const lookupsBegan = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i++) {
      const found = await store.records.findByDocumentSha256(sampleDocumentDigest((i * 7919) % RECORDS));
      if (found.length !== 1) throw new Error(`lookup ${i} found ${found.length} records`);
    }
    const lookupSeconds = Number(process.hrtime.bigint() - lookupsBegan) / 1e9;
    emit('store.lookup_by_sha256.ops_per_s', LOOKUPS / lookupSeconds, 'lookups/s', {
      backend,
      records: RECORDS,
      concurrency: 1,
    });

    // as the API sees them: many lookups in flight at once (e.g. /verify at 50 connections)
    let next = 0;
    const concurrentBegan = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LOOKUPS) {
          const i = next++;
          const found = await store.records.findByDocumentSha256(sampleDocumentDigest((i * 7919) % RECORDS));
          if (found.length !== 1) throw new Error(`lookup ${i} found ${found.length} records`);
        }
      }),
    );
    const concurrentSeconds = Number(process.hrtime.bigint() - concurrentBegan) / 1e9;
    emit('store.lookup_by_sha256.ops_per_s', LOOKUPS / concurrentSeconds, 'lookups/s', {
      backend,
      records: RECORDS,
      concurrency: CONCURRENCY,
    });
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'store-bench-'));
  try {
    await run('sqlite', { dataDir });
    const mariadb = await startMariaDb({ database: 'store_bench' });
    try {
      await run('mysql', { dataDir, databaseUrl: mariadb.url });
    } finally {
      await mariadb.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
