/**
 * `npm run bench -- store`: batched inserts into the off-chain store, SQLite and MariaDB (a real mariadbd from the
 * testkit), and verification's indexed read, a ledger key's openings (`findOpeningsByLedgerKey`), one at a time
 * and 32 in flight. (Lookups by document digest are the chain index's: `store.lookup_by_sha256` was the store's
 * own index on them until migration OneHomeForLookups1796601600000 dropped it.) One JSON line per metric;
 * each lookup line has the CPU time per lookup of this process (`clientCpuUsPerLookup`) and, on MariaDB, of the
 * mariadbd process (`serverCpuUsPerLookup`), with the load average: rates alone say little on a shared machine.
 */
import { startMariaDb } from '@approval-ledger/testkit';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Milestone } from '@approval-ledger/protocol';
import { numberedMilestone, sampleProjectCode } from '@approval-ledger/protocol/testing';
import { newRecord, type NewRecord, openStore, type StoreOptions } from './index';

const BATCH = 500;
const RECORDS = Number(process.env['STORE_BENCH_RECORDS'] ?? 50_000);
const LOOKUPS = Number(process.env['STORE_BENCH_LOOKUPS'] ?? 20_000);
/** Lookups in flight at once in the concurrent run. */
const CONCURRENCY = 32;

/** The n-th milestone, each of its own project and with its own document. */
function milestoneAt(n: number): Milestone {
  return numberedMilestone(n, { projectCode: sampleProjectCode('BJ', n) });
}

/** The ledger key (milestone id) of the n-th milestone. */
function keyAt(n: number): string {
  return milestoneAt(n).id;
}

function emit(metric: string, value: number, unit: string, context: Record<string, unknown>): void {
  const line = {
    bench: 'store',
    metric,
    value: Math.round(value),
    unit,
    ...context,
    cores: availableParallelism(),
    load1: Number(loadavg()[0]?.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** CPU time (user + system) of a process so far, in µs, from /proc (clock ticks of 10 ms). */
function processCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** CPU µs per lookup of this process and of the database server (if it is another process) over `work`. */
async function measured(
  serverPid: number | undefined,
  work: () => Promise<void>,
): Promise<Record<string, number>> {
  const ownBefore = process.cpuUsage();
  const serverBefore = serverPid === undefined ? 0 : processCpuUs(serverPid);
  const began = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const own = process.cpuUsage(ownBefore);
  return {
    seconds,
    clientCpuUsPerLookup: Math.round((own.user + own.system) / LOOKUPS),
    ...(serverPid === undefined
      ? {}
      : { serverCpuUsPerLookup: Math.round((processCpuUs(serverPid) - serverBefore) / LOOKUPS) }),
  };
}

async function run(backend: 'sqlite' | 'mysql', options: StoreOptions, serverPid?: number): Promise<void> {
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

    const { seconds: lookupSeconds, ...sequentialCpu } = await measured(serverPid, async () => {
      for (let i = 0; i < LOOKUPS; i++) {
        const found = await store.records.findOpeningsByLedgerKey('milestone', keyAt((i * 7919) % RECORDS));
        if (found.length !== 1) throw new Error(`lookup ${i} found ${found.length} records`);
      }
    });
    emit('store.lookup_by_ledger_key.ops_per_s', LOOKUPS / (lookupSeconds ?? 0), 'lookups/s', {
      backend,
      records: RECORDS,
      concurrency: 1,
      ...sequentialCpu,
    });

    // as the API sees them: many lookups in flight at once (e.g. /verify at 50 connections)
    let next = 0;
    const { seconds: concurrentSeconds, ...concurrentCpu } = await measured(serverPid, async () => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < LOOKUPS) {
            const i = next++;
            const found = await store.records.findOpeningsByLedgerKey(
              'milestone',
              keyAt((i * 7919) % RECORDS),
            );
            if (found.length !== 1) throw new Error(`lookup ${i} found ${found.length} records`);
          }
        }),
      );
    });
    emit('store.lookup_by_ledger_key.ops_per_s', LOOKUPS / (concurrentSeconds ?? 0), 'lookups/s', {
      backend,
      records: RECORDS,
      concurrency: CONCURRENCY,
      ...concurrentCpu,
    });
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'store-bench-'));
  try {
    await run('sqlite', { dataDir });
    // The testkit's servers have a 64 MB InnoDB buffer pool (enough for tests); 50,000 records took about 90 MB of
    // pages with the store's former document index, and a server too small for its data pays a page read through
    // InnoDB's LRU on most lookups (measured: 40-60 µs more server CPU per lookup). A server sized for its
    // data, as a deployment would be: 256 MB (STORE_BENCH_BUFFER_POOL changes it).
    const bufferPool = process.env['STORE_BENCH_BUFFER_POOL'] ?? '256M';
    const mariadb = await startMariaDb({
      database: 'store_bench',
      args: [`--innodb-buffer-pool-size=${bufferPool}`],
    });
    try {
      await run('mysql', { dataDir, databaseUrl: mariadb.url }, mariadb.pid);
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
