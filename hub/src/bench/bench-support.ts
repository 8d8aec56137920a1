/** Shared by the hub's benchmarks: a real hub in a temp data dir with its own nats-server, and JSON lines. */
import { type ChildProcess, fork } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '@approval-ledger/testkit';
import pino from 'pino';
import { loadConfig } from '../config';
import { startHub, type RunningHub } from '../hub';
import { type Anchorer } from '../ingest/anchorer';
import { type BudgetSnapshot } from '../ingest/stage-budget';

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

/** The median of `values` (the mean of the two middle ones when their number is even). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Bytes a process (or one of its threads) has written through write() and friends: `wchar` of its io file. */
export function bytesWrittenBy(pid: number, thread?: number): number {
  const file = thread === undefined ? `/proc/${pid}/io` : `/proc/${pid}/task/${thread}/io`;
  return Number(/^wchar:\s+(\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export interface HubProcess {
  readonly url: string;
  readonly pid: number;
  readonly natsUrl: string;
  /** The pid of the hub's nats-server (to measure what the broker costs). */
  readonly natsPid: number;
  readonly dataDir: string;
  /** Resident set size of the hub process, from /proc (MB). */
  readonly rssMb: () => number;
  /**
   * RSS split (MB): `anon` is the process's own memory (heaps, buffers); `file` is pages of files it maps
   * (SQLite's memory-mapped reads), which the OS drops under memory pressure.
   */
  readonly rssParts: () => { readonly rssAnonMb: number; readonly rssFileMb: number };
  /** The hub's ingest stage budget so far (main thread; ingest/stage-budget.ts) and its process.memoryUsage(). */
  readonly budget: () => Promise<{ budget: BudgetSnapshot; memory: NodeJS.MemoryUsage }>;
}

/** A hub in its own process (bench-hub.js) with its own nats-server and temp data dir. */
export async function withHubProcess<T>(
  options: {
    readonly anchorer?: 'ledger' | 'sql';
    /** An existing data dir (kept afterwards); default a fresh temp dir, removed afterwards. */
    readonly dataDir?: string;
    /** More environment for the hub process (e.g. LEDGER_CRYPTO=gm). */
    readonly env?: NodeJS.ProcessEnv;
  },
  work: (hub: HubProcess) => Promise<T>,
): Promise<T> {
  const nats = await startNatsServer();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const child = fork(join(__dirname, 'bench-hub.js'), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    // e.g. BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the hub alone
    execArgv: (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean),
    env: {
      ...process.env,
      LEDGER_DATA_DIR: dataDir,
      NATS_URL: nats.url,
      LOG_LEVEL: process.env.BENCH_LOG ?? 'warn',
      BENCH_ANCHORER: options.anchorer ?? 'ledger',
      ...options.env,
    },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const tee = process.env.BENCH_HUB_STDOUT;
      let ready = false;
      child.stdout?.on('data', (d: Buffer) => {
        // e.g. BENCH_HUB_STDOUT=/tmp/gc.log BENCH_HUB_NODE_ARGS=--trace-gc keeps what the hub prints
        if (tee) appendFileSync(tee, d);
        if (ready) return;
        out += d.toString();
        const m = /ready (\S+) /.exec(out);
        if (m) {
          ready = true;
          resolve(m[1] as string);
        }
      });
      child.once('exit', (code) => reject(new Error(`the hub exited ${code}`)));
    });
    const pid = child.pid as number;
    return await work({
      url,
      pid,
      natsUrl: nats.url,
      natsPid: nats.pid,
      dataDir,
      rssMb: () => rssOf(pid),
      rssParts: () => rssPartsOf(pid),
      budget: () => budgetOf(child),
    });
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    await nats.stop();
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Asks a bench-hub child for its stage budget. */
function budgetOf(child: ChildProcess): Promise<{ budget: BudgetSnapshot; memory: NodeJS.MemoryUsage }> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      const answer = message as { budget?: BudgetSnapshot; memory: NodeJS.MemoryUsage };
      if (answer.budget === undefined) return;
      child.off('message', onMessage);
      resolve({ budget: answer.budget, memory: answer.memory });
    };
    child.on('message', onMessage);
    child.send('budget');
  });
}

function rssOf(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

function rssPartsOf(pid: number): { rssAnonMb: number; rssFileMb: number } {
  return { rssAnonMb: statusMb(pid, 'RssAnon'), rssFileMb: statusMb(pid, 'RssFile') };
}

/** A kB field of /proc/<pid>/status, in MB. */
function statusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? '0');
  return Math.round(kb / 1024);
}

/** CPU time (user + system, µs) a process — or one of its threads — has used so far, from /proc. */
export function cpuUsOf(pid: number, thread?: number): number {
  const stat = readFileSync(
    thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
    'utf8',
  );
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks / CLOCK_TICKS_PER_S) * 1e6;
}

/** `getconf CLK_TCK`: 100 on Linux. */
const CLOCK_TICKS_PER_S = 100;

/** CPU time (µs) and bytes written (`wchar`) by one thread so far. */
export interface ThreadUse {
  readonly cpuUs: number;
  readonly bytes: number;
}

/** What each live thread of `pid` has used so far, by thread id (a thread that has exited is gone from /proc). */
export function threadUses(pid: number): Map<number, ThreadUse> {
  const uses = new Map<number, ThreadUse>();
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      uses.set(tid, { cpuUs: cpuUsOf(pid, tid), bytes: bytesWrittenBy(pid, tid) });
    } catch {
      // exited between the listing and the read: its use stays in the process's total only
    }
  }
  return uses;
}

/** The name of thread `tid` of `pid` (its `comm`), or undefined once it has exited. */
function threadName(pid: number, tid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The group of the threads nobody named: V8's GC and compiler helpers and libuv's pool. */
export const UNNAMED_THREADS = 'v8+libuv';

/**
 * Use between two snapshots of `threadUses`, summed by thread name: the main thread as `main`, a worker by the
 * name it gave itself (`nameThisThread` in the engine: endorser, chain-index, wal:<database>, ...), the threads
 * nobody named as {@link UNNAMED_THREADS}. A thread started after `before` counts from zero; one that exited
 * before `after` is missing here (the process's own total still has it), so the groups may sum to less.
 */
export function threadUseByName(
  pid: number,
  before: ReadonlyMap<number, ThreadUse>,
  after: ReadonlyMap<number, ThreadUse>,
): Map<string, ThreadUse> {
  const processName = threadName(pid, pid);
  const groups = new Map<string, ThreadUse>();
  for (const [tid, use] of after) {
    const name = tid === pid ? 'main' : threadName(pid, tid);
    if (name === undefined) continue;
    const group = name === processName && tid !== pid ? UNNAMED_THREADS : name;
    const start = before.get(tid) ?? { cpuUs: 0, bytes: 0 };
    const sum = groups.get(group) ?? { cpuUs: 0, bytes: 0 };
    groups.set(group, {
      cpuUs: sum.cpuUs + use.cpuUs - start.cpuUs,
      bytes: sum.bytes + use.bytes - start.bytes,
    });
  }
  return groups;
}
