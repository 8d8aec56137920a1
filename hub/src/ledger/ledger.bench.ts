/**
 * `npm run bench -- ledger` (node dist/ledger/ledger.bench.js): the embedded engine's commit throughput in
 * milestones/s through the real approval chaincode, with 1, 50 and 500 milestones per transaction, durable
 * (SQLite WAL, synchronous=NORMAL; FULL measured too), and `verify-chain` time per 10,000 blocks. Prints one
 * JSON line per metric (medians of several runs), with the process's CPU time per milestone and the load average,
 * since the rate alone depends on what else the machine runs. LEDGER_BENCH_QUICK=1 runs a short version.
 * Each metric is measured in both crypto suites side by side, the suite in its name and in a `suite` field:
 * `ledger.commit.intl.records_per_s` (SHA-256, P-256) and `ledger.commit.gm.records_per_s` (SM3, SM2; a chain made
 * with LEDGER_CRYPTO=gm), likewise `ledger.verify_chain.<suite>.…`. LEDGER_BENCH_SUITES=intl (or gm) runs one.
 *
 * The ledger is opened as the hub opens it: blocks cut at 500 transactions or 20 ms after the first (the hub's
 * block timeout), or with LEDGER_BENCH_CUT=idle by group commit (cut when the committer is idle; the engine's
 * `cutWhenIdle`). Each run commits one warm-up transaction first, then measures; beside the rate each line has the
 * CPU per record of the whole process and of the committing thread, the bytes the process wrote per record
 * (`/proc/self/io` wchar: SQLite's WAL and checkpoints) and `ledger.commit.<suite>.budget_us_per_record`, the
 * per-stage CPU budget (the engine's `stage-budget.ts`: endorse.simulate / endorse.sign / endorse.ipc on the
 * worker threads; order, validate, commit.block / commit.state / commit.history / commit.sqlite and main.other
 * on the committing thread), medians over the runs. `ledger.scale.<suite>.*` (LEDGER_BENCH_SCALE records, default
 * 1,000,000; 0 skips it) fills one ledger in windows of 100,000 milestones (500 per transaction) and reports the
 * first and the last window's rate and CPU per record, and their ratio. LEDGER_BENCH_BATCHES=500 (or 1,50,…) runs
 * only those transaction sizes; LEDGER_BENCH_VERIFY=0 skips `verify-chain`.
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  type BatchOptions,
  type ChainVerification,
  FABRIC_2_BATCHING,
  FABRIC_3_1_BATCHING,
  type PeerBatching,
  type StageTotals,
  type Synchronous,
  threadCpuNs,
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
/** How blocks are cut: as the hub does (20 ms block timeout, `hub.ts`), or by group commit. */
const CUT = process.env.LEDGER_BENCH_CUT === 'idle' ? 'idle' : 'timeout';
const BATCH: BatchOptions = CUT === 'idle' ? { cutWhenIdle: true } : { timeoutMs: 20 };
type PeerKind = 'fabric-3.1' | 'fabric-2';
const PEER_BATCHING: Record<PeerKind, PeerBatching> = {
  'fabric-3.1': FABRIC_3_1_BATCHING,
  'fabric-2': FABRIC_2_BATCHING,
};
const SCALE_RECORDS = Number(process.env.LEDGER_BENCH_SCALE ?? (QUICK ? 0 : 1_000_000));
const SCALE_WINDOW = 100_000;

/**
 * What the in-process peer announces to the chaincode (LEDGER_BENCH_PEERS, comma-separated): `fabric-3.1` (the
 * engine's default: GET_STATE_MULTIPLE and WRITE_BATCH_STATE) and/or `fabric-2` (one message per state call).
 * With both, each run of one is followed by a run of the other.
 */
const PEERS = (process.env.LEDGER_BENCH_PEERS ?? 'fabric-3.1')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is PeerKind => s in PEER_BATCHING);

interface Scenario {
  readonly batch: 1 | 50 | 500;
  /** Milestones per run. */
  readonly records: number;
  /** Transactions in flight at once. */
  readonly concurrency: number;
}

/** LEDGER_BENCH_BATCHES=500 (or 1,50,…) measures only those transaction sizes. */
const BATCHES = (process.env.LEDGER_BENCH_BATCHES ?? '1,50,500').split(',').map(Number);

const SCENARIOS: readonly Scenario[] = (
  [
    { batch: 1, records: QUICK ? 1000 : 6000, concurrency: 256 },
    { batch: 50, records: QUICK ? 2000 : 20_000, concurrency: 16 },
    { batch: 500, records: QUICK ? 5000 : 40_000, concurrency: 6 },
  ] as const
).filter((s) => BATCHES.includes(s.batch));

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
  peer: PeerKind = 'fabric-3.1',
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const ledger = await EmbeddedLedger.open({
    dataDir,
    peerBatching: PEER_BATCHING[peer],
    synchronous,
    endorsementWorkers: WORKERS,
    cryptoSuite: suite,
    batch: BATCH,
    measureStages: true,
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
  /** CPU time of the committing (main) thread per milestone, µs. */
  readonly mainUs: number;
  /** Bytes the process wrote per milestone (write calls: SQLite's WAL and checkpoints). */
  readonly bytes: number;
  /** CPU µs per milestone by stage. */
  readonly stages: Record<string, number>;
}

/** Bytes this process has passed to write(2) and friends so far (`/proc/self/io` wchar; 0 where absent). */
function bytesWritten(): number {
  try {
    return Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'latin1'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Measures `work` (which commits `records` milestones) on `ledger`, its stage budget reset first. */
async function measured(
  ledger: EmbeddedLedger,
  records: number,
  work: () => Promise<void>,
): Promise<RunResult> {
  await ledger.stageBudget(true);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const main = threadCpuNs();
  const bytes = bytesWritten();
  await work();
  const used = process.cpuUsage(cpu);
  const mainNs = threadCpuNs() - main;
  const written = bytesWritten() - bytes;
  const elapsed = performance.now() - started;
  const stages = perRecord(await ledger.stageBudget(), records);
  return {
    rate: (records * 1000) / elapsed,
    cpuUs: (used.user + used.system) / records,
    mainUs: mainNs / 1000 / records,
    bytes: written / records,
    stages,
  };
}

function perRecord(totals: StageTotals, records: number): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).map(([stage, ns]) => [stage, ns / 1000 / records]));
}

/** `count` milestones as the payloads of transactions of `batch` (one anchor, or a JSON array of them). */
function payloadsOf(prefix: string, count: number, batch: number): string[][] {
  const all = anchors(prefix, count);
  const payloads: string[][] = [];
  for (let i = 0; i < all.length; i += batch) {
    const slice = all.slice(i, i + batch);
    payloads.push(batch === 1 ? slice : [`[${slice.join(',')}]`]);
  }
  return payloads;
}

/** Submits every payload, `concurrency` transactions at a time. */
async function submitAll(
  ledger: EmbeddedLedger,
  fn: string,
  payloads: readonly string[][],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < payloads.length; i = next++) await ledger.submit(BJ_PNR, fn, payloads[i] ?? []);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Milestones/s committing `records` milestones in transactions of `batch`, `concurrency` at a time. */
async function commitRun(
  scenario: Scenario,
  synchronous: Synchronous,
  suite: CryptoSuiteName,
  run: number,
  peer: PeerKind,
): Promise<RunResult> {
  const payloads = payloadsOf(`bench-${scenario.batch}-${run}`, scenario.records, scenario.batch);
  const warmUp = payloadsOf(`warm-${scenario.batch}-${run}`, scenario.batch, scenario.batch);
  const fn = scenario.batch === 1 ? 'milestones:Record' : 'milestones:RecordBatch';
  return withLedger(
    synchronous,
    suite,
    async (ledger) => {
      await submitAll(ledger, fn, warmUp, 1);
      return measured(ledger, scenario.records, () => submitAll(ledger, fn, payloads, scenario.concurrency));
    },
    peer,
  );
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The median of each stage over the runs, µs per record. */
function medianStages(results: readonly RunResult[]): Record<string, number> {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.stages)))].sort();
  return Object.fromEntries(names.map((n) => [n, round1(median(results.map((r) => r.stages[n] ?? 0)))]));
}

async function commitThroughput(suite: CryptoSuiteName): Promise<void> {
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    for (const scenario of SCENARIOS) {
      if (synchronous === 'FULL' && scenario.batch !== 500) continue;
      const byPeer = new Map<PeerKind, RunResult[]>(PEERS.map((p) => [p, []]));
      for (let run = 0; run < RUNS; run++) {
        for (const peer of PEERS)
          byPeer.get(peer)?.push(await commitRun(scenario, synchronous, suite, run, peer));
      }
      for (const [peer, results] of byPeer) emitCommit(suite, synchronous, scenario, peer, results);
    }
  }
}

function emitCommit(
  suite: CryptoSuiteName,
  synchronous: Synchronous,
  scenario: Scenario,
  peer: PeerKind,
  results: readonly RunResult[],
): void {
  const rates = results.map((r) => r.rate);
  const context = {
    suite,
    peer,
    batch: scenario.batch,
    durability: `WAL synchronous=${synchronous}`,
    block_cut: CUT === 'idle' ? 'group commit (cutWhenIdle)' : 'timeout 20 ms (the hub)',
    endorsement_workers: WORKERS,
    concurrency: scenario.concurrency,
    records: scenario.records,
    load_average: Number(loadavg()[0]?.toFixed(2)),
    backend: 'embedded',
  };
  emit(`ledger.commit.${suite}.records_per_s`, Math.round(median(rates)), 'records/s', {
    ...context,
    runs: rates.map(Math.round),
    cpu_us_per_record: Math.round(median(results.map((r) => r.cpuUs))),
    main_thread_cpu_us_per_record: round1(median(results.map((r) => r.mainUs))),
    bytes_written_per_record: Math.round(median(results.map((r) => r.bytes))),
  });
  const stages = medianStages(results);
  const total = Object.values(stages).reduce((a, b) => a + b, 0);
  emit(`ledger.commit.${suite}.budget_us_per_record`, round1(total), 'µs', { ...context, stages });
}

/**
 * Fills one ledger with SCALE_RECORDS milestones (500 per transaction, 6 in flight) in windows of 100,000 and
 * compares the last window with the first: rate and CPU per record as the state, history and block tables grow.
 */
async function scale(suite: CryptoSuiteName): Promise<void> {
  if (SCALE_RECORDS < 2 * SCALE_WINDOW) return;
  await withLedger('NORMAL', suite, async (ledger) => {
    await submitAll(ledger, 'milestones:RecordBatch', payloadsOf('scale-warm', 500, 500), 1);
    const windows: (RunResult & { onLedger: number })[] = [];
    for (let onLedger = SCALE_WINDOW; onLedger <= SCALE_RECORDS; onLedger += SCALE_WINDOW) {
      const payloads = payloadsOf(`scale-${onLedger}`, SCALE_WINDOW, 500);
      const result = await measured(ledger, SCALE_WINDOW, () =>
        submitAll(ledger, 'milestones:RecordBatch', payloads, 6),
      );
      windows.push({ ...result, onLedger });
    }
    const first = windows[0]!;
    const last = windows[windows.length - 1]!;
    const context = {
      suite,
      batch: 500,
      window: SCALE_WINDOW,
      block_cut: CUT === 'idle' ? 'group commit (cutWhenIdle)' : 'timeout 20 ms (the hub)',
      endorsement_workers: WORKERS,
      windows: windows.map((w) => ({
        on_ledger: w.onLedger,
        records_per_s: Math.round(w.rate),
        cpu_us_per_record: Math.round(w.cpuUs),
        main_thread_cpu_us_per_record: round1(w.mainUs),
        commit_us_per_record: round1(
          (w.stages['commit.envelopes'] ?? 0) +
            (w.stages['commit.block'] ?? 0) +
            (w.stages['commit.state'] ?? 0) +
            (w.stages['commit.history'] ?? 0) +
            (w.stages['commit.sqlite'] ?? 0),
        ),
      })),
      load_average: Number(loadavg()[0]?.toFixed(2)),
      backend: 'embedded',
    };
    emit(
      `ledger.scale.${suite}.records_per_s_ratio`,
      Math.round((last.rate / first.rate) * 100) / 100,
      'ratio',
      {
        ...context,
        first: Math.round(first.rate),
        last: Math.round(last.rate),
        records: SCALE_RECORDS,
      },
    );
    emit(
      `ledger.scale.${suite}.cpu_us_per_record_ratio`,
      Math.round((last.cpuUs / first.cpuUs) * 100) / 100,
      'ratio',
      {
        suite,
        first: Math.round(first.cpuUs),
        last: Math.round(last.cpuUs),
        records: SCALE_RECORDS,
        load_average: context.load_average,
        backend: 'embedded',
      },
    );
  });
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
  if (process.env.LEDGER_BENCH_VERIFY !== '0')
    for (const suite of SUITES_MEASURED) await verifyChainTime(suite);
  // the store's growth is the suites' alike: one suite is enough
  const first = SUITES_MEASURED[0];
  if (first) await scale(first);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
