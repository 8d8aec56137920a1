/**
 * `npm run bench -- ledger` (node dist/ledger/ledger.bench.js): the embedded engine's commit throughput in
 * milestones/s through the real approval chaincode, with 1, 50 and 500 milestones per transaction, durable
 * (SQLite WAL, synchronous=NORMAL; FULL measured too), and `verify-chain` time per 10,000 blocks. Prints one
 * JSON line per metric (medians of several runs), with the process's CPU time per milestone and the load average,
 * since the rate alone depends on what else the machine runs. LEDGER_BENCH_QUICK=1 runs a short version.
 * Each metric is measured in both crypto suites side by side, the suite in its name and in a `suite` field:
 * `ledger.commit.intl.records_per_s` (SHA-256, P-256) and `ledger.commit.gm.records_per_s` (SM3, SM2; a chain made
 * with LEDGER_CRYPTO=gm), likewise `ledger.verify_chain.<suite>.…`. LEDGER_BENCH_SUITES=intl (or gm) runs one.
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CRYPTO_SUITE_NAMES,
  type CryptoSuiteName,
  sha256Hex,
  toMilestoneAnchor,
  type Milestone,
} from '@approval-ledger/protocol';
import { sampleIssuerGrant } from '@approval-ledger/protocol/testing';
import {
  type ChainVerification,
  type Synchronous,
  verifyChain,
  verifyChainInParallel,
} from '@approval-ledger/fabric-engine';
import { EmbeddedLedger } from './embedded/embedded-ledger';
import { embeddedLedgerPaths } from './embedded/ledger-paths';
import { type LedgerIdentity } from './ledger-port';

const QUICK = process.env.LEDGER_BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 3;
const CORES = availableParallelism();
/** The engine's default for compiled code (LEDGER_ENDORSEMENT_WORKERS overrides it). */
const WORKERS = Number(process.env.LEDGER_ENDORSEMENT_WORKERS ?? Math.min(2, Math.max(0, CORES - 1)));
const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_PNR: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'PNR' };
const SALT = 'c'.repeat(64);
const SUITES_MEASURED: readonly CryptoSuiteName[] = (
  process.env.LEDGER_BENCH_SUITES ?? CRYPTO_SUITE_NAMES.join(',')
)
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is CryptoSuiteName => (CRYPTO_SUITE_NAMES as readonly string[]).includes(s));

interface Scenario {
  readonly batch: 1 | 50 | 500;
  /** Milestones per run. */
  readonly records: number;
  /** Transactions in flight at once. */
  readonly concurrency: number;
}

const SCENARIOS: readonly Scenario[] = [
  { batch: 1, records: QUICK ? 1000 : 6000, concurrency: 256 },
  { batch: 50, records: QUICK ? 2000 : 20_000, concurrency: 16 },
  { batch: 500, records: QUICK ? 5000 : 40_000, concurrency: 6 },
];

function emit(metric: string, value: number, unit: string, context: Record<string, unknown>): void {
  process.stdout.write(
    `${JSON.stringify({ bench: 'ledger', metric, value, unit, ...context, cores: CORES })}\n`,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function anchors(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const m: Milestone = {
      id: `${prefix}-${i}`,
      projectCode: '2025-110105-47-03-000318',
      region: 'BJ',
      dept: 'PNR',
      stage: 'LAND_USE_PLANNING',
      decision: 'APPROVED',
      decidedAt: '2025-03-06T16:30:00+08:00',
      applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
      documents: [{ name: '用地规划许可证.pdf', sha256: sha256Hex(`${prefix}-doc-${i}`) }],
      source: { system: 'bench', recordId: `${prefix}-${i}`, version: 1 },
      dataClass: 'internal',
    };
    return JSON.stringify(toMilestoneAnchor(m, SALT));
  });
}

async function withLedger<T>(
  synchronous: Synchronous,
  suite: CryptoSuiteName,
  work: (ledger: EmbeddedLedger, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const ledger = await EmbeddedLedger.open({
    dataDir,
    synchronous,
    endorsementWorkers: WORKERS,
    cryptoSuite: suite,
  });
  try {
    await ledger.submit(BJ_ADMIN, 'issuers:Grant', [
      JSON.stringify(sampleIssuerGrant('BJ', 'PNR', ['LAND_USE_PLANNING'])),
    ]);
    return await work(ledger, dataDir);
  } finally {
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface RunResult {
  /** Milestones per second (wall clock). */
  readonly rate: number;
  /** CPU time of the whole process (every thread) per milestone, µs: steadier than the rate on a shared machine. */
  readonly cpuUs: number;
}

/** Milestones/s committing `records` milestones in transactions of `batch`, `concurrency` at a time. */
async function commitRun(
  scenario: Scenario,
  synchronous: Synchronous,
  suite: CryptoSuiteName,
  run: number,
): Promise<RunResult> {
  const all = anchors(`bench-${scenario.batch}-${run}`, scenario.records);
  const payloads: string[][] = [];
  for (let i = 0; i < all.length; i += scenario.batch) {
    const slice = all.slice(i, i + scenario.batch);
    payloads.push(scenario.batch === 1 ? slice : [`[${slice.join(',')}]`]);
  }
  const fn = scenario.batch === 1 ? 'milestones:Record' : 'milestones:RecordBatch';
  return withLedger(synchronous, suite, async (ledger) => {
    let next = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const worker = async (): Promise<void> => {
      for (let i = next++; i < payloads.length; i = next++)
        await ledger.submit(BJ_PNR, fn, payloads[i] ?? []);
    };
    await Promise.all(Array.from({ length: scenario.concurrency }, worker));
    const used = process.cpuUsage(cpu);
    return {
      rate: (scenario.records * 1000) / (performance.now() - started),
      cpuUs: (used.user + used.system) / scenario.records,
    };
  });
}

async function commitThroughput(suite: CryptoSuiteName): Promise<void> {
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    for (const scenario of SCENARIOS) {
      if (synchronous === 'FULL' && scenario.batch !== 500 && QUICK) continue;
      const results: RunResult[] = [];
      for (let run = 0; run < RUNS; run++) results.push(await commitRun(scenario, synchronous, suite, run));
      const rates = results.map((r) => r.rate);
      emit(`ledger.commit.${suite}.records_per_s`, Math.round(median(rates)), 'records/s', {
        suite,
        batch: scenario.batch,
        durability: `WAL synchronous=${synchronous}`,
        endorsement_workers: WORKERS,
        concurrency: scenario.concurrency,
        records: scenario.records,
        runs: rates.map(Math.round),
        cpu_us_per_record: Math.round(median(results.map((r) => r.cpuUs))),
        load_average: Number(loadavg()[0]?.toFixed(2)),
        backend: 'embedded',
      });
    }
  }
}

/** ms per 10,000 blocks of one single-milestone transaction each. */
async function verifyChainTime(suite: CryptoSuiteName): Promise<void> {
  const blocks = QUICK ? 500 : 5000;
  const payloads = anchors('verify', blocks);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-verify-'));
  try {
    const ledger = await EmbeddedLedger.open({ dataDir, batch: { maxTransactions: 1 }, cryptoSuite: suite });
    await ledger.submit(BJ_ADMIN, 'issuers:Grant', [
      JSON.stringify(sampleIssuerGrant('BJ', 'PNR', ['LAND_USE_PLANNING'])),
    ]);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < payloads.length; i = next++)
        await ledger.submit(BJ_PNR, 'milestones:Record', [payloads[i] ?? '']);
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await ledger.close();
    const database = embeddedLedgerPaths(dataDir).database;
    const workers = Math.min(4, CORES);
    const accepted = [suite];
    const parallel = await timedVerifications(() =>
      verifyChainInParallel(database, { workers, minBlocks: 0, accepted }),
    );
    emit(`ledger.verify_chain.${suite}.ms_per_10k_blocks`, Math.round(median(parallel.times)), 'ms', {
      suite,
      blocks: parallel.height,
      transactions_per_block: 1,
      workers,
      runs: parallel.times.map(Math.round),
      backend: 'embedded',
    });
    const single = await timedVerifications(() =>
      Promise.resolve(verifyChain(database, undefined, { accepted })),
    );
    emit(
      `ledger.verify_chain.${suite}.single_thread_ms_per_10k_blocks`,
      Math.round(median(single.times)),
      'ms',
      {
        suite,
        blocks: single.height,
        transactions_per_block: 1,
        workers: 1,
        runs: single.times.map(Math.round),
        backend: 'embedded',
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** ms per 10,000 blocks of each of RUNS verifications (from `ledger verify-chain`'s own clock). */
async function timedVerifications(
  verify: () => Promise<ChainVerification>,
): Promise<{ times: number[]; height: number }> {
  const times: number[] = [];
  let height = 0;
  for (let run = 0; run < RUNS; run++) {
    const result = await verify();
    if (!result.ok)
      throw new Error(`the bench chain does not verify: ${JSON.stringify(result.firstBadBlock)}`);
    height = result.height;
    times.push((result.elapsedMs * 10_000) / result.height);
  }
  return { times, height };
}

async function main(): Promise<void> {
  if (SUITES_MEASURED.length === 0)
    throw new Error('LEDGER_BENCH_SUITES: expected intl, gm or both (comma-separated)');
  // suite by suite for each measure, so the two stand side by side in the output
  for (const suite of SUITES_MEASURED) await commitThroughput(suite);
  for (const suite of SUITES_MEASURED) await verifyChainTime(suite);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
