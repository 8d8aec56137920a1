/**
 * `npm run bench -- store`: batched inserts into the off-chain store, SQLite and MariaDB (a real mariadbd from the
 * testkit), and indexed lookups by document digest. One JSON line per metric.
 */
import { startMariaDb } from '@approval-ledger/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Milestone } from '@approval-ledger/protocol';
import { newRecord, type NewRecord, openStore, type StoreOptions } from './index';

const BATCH = 500;
const RECORDS = Number(process.env['STORE_BENCH_RECORDS'] ?? 50_000);
const LOOKUPS = 5_000;
/** Lookups in flight at once in the concurrent run. */
const CONCURRENCY = 32;

function milestoneAt(n: number): Milestone {
  const serial = String(n).padStart(8, '0');
  return {
    id: `BJ-EE-EIA-B-${serial}`,
    projectCode: `2025-110105-47-03-${String(n % 1_000_000).padStart(6, '0')}`,
    projectName: '朝阳区望京科技园三期研发楼',
    projectType: 'COMMERCIAL',
    region: 'BJ',
    dept: 'EE',
    stage: 'EIA',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    documentNo: `京环审〔2025〕${n}号`,
    documents: [{ name: '批复文件.pdf', sha256: digestOf(n), bytes: 482113 }],
    source: { system: 'bench', recordId: `EIA-${serial}`, version: 1 },
    dataClass: 'internal',
    details: { category: '报告书', floors: 12 },
  };
}

function digestOf(n: number): string {
  return n.toString(16).padStart(64, '0');
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
      const found = await store.records.findByDocumentSha256(digestOf((i * 7919) % RECORDS));
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
          const found = await store.records.findByDocumentSha256(digestOf((i * 7919) % RECORDS));
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
