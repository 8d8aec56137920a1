/**
 * `verify.rps`, `verify.p50_ms`, `verify.p99_ms` (POST /verify by document hash, 50 connections, autocannon)
 * with 100,000 and then 1,000,000 anchored records, `http.baseline.rps` of a bare Express JSON route in the
 * same run, and `hub.rss_mb` of the hub process. The hub runs in its own process, the load generator and the
 * bare route in two others.
 *
 * Seeding (`--seed`): `direct` (default) anchors the records through the store and the embedded ledger without
 * NATS (seed-anchored.ts: real blocks, endorsements and off-chain rows, at the speed of the ledger), then starts
 * the hub on that data dir, which indexes the chain itself; the hub is stopped while the next size is seeded.
 * `ingest` publishes every record on NATS to one running hub instead (the whole ingest path, much slower).
 *
 * `--data-dir DIR` (direct seeding only) keeps the seeded data dir, and reuses it on the next run: only the
 * records missing from it (its `verify-bench-seeded` file counts them) are seeded, so a run after the first
 * measures at once.
 *
 *   node dist/bench/verify.bench.js [--sizes 100000,1000000] [--duration 10] [--rounds 3] [--connections 50]
 *     [--seed direct|ingest]
 *     [--data-dir DIR]
 */
import '@approval-ledger/fabric-engine/native-hash';
import { type ChildProcess, fork } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeSubject, natsMsgId } from '@approval-ledger/protocol';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { benchDocumentHash, benchEnvelope } from './bench-records';
import { argValue, cpuUsOf, emit, type HubProcess, median, withHubProcess } from './bench-support';
import { seedAnchored, type SeedProgress, streamOf } from './seed-anchored';

const TAG = 'verify';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

interface Run {
  readonly size: number;
  readonly duration: number;
  readonly connections: number;
  readonly seed: 'direct' | 'ingest';
  readonly seedSeconds: number;
  readonly rounds: number;
}

/** The command line's settings. */
function settings(): { sizes: number[]; duration: number; rounds: number; connections: number } {
  return {
    sizes: (argValue('--sizes') ?? '100000,1000000')
      .split(',')
      .map(Number)
      .sort((a, b) => a - b),
    duration: Number(argValue('--duration') ?? '10'),
    rounds: Number(argValue('--rounds') ?? '3'),
    connections: Number(argValue('--connections') ?? '50'),
  };
}

async function main(): Promise<void> {
  const { sizes, duration, rounds, connections } = settings();
  const seed = argValue('--seed') === 'ingest' ? 'ingest' : 'direct';
  if (seed === 'ingest') {
    await withHubProcess({}, async (hub) => {
      let ingested = 0;
      for (const size of sizes) {
        const started = performance.now();
        await ingest(hub.natsUrl, ingested, size);
        ingested = size;
        const seedSeconds = Math.round((performance.now() - started) / 1000);
        await measure(hub, { size, duration, connections, seed, seedSeconds, rounds });
      }
    });
    return;
  }
  const kept = argValue('--data-dir');
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), 'hub-bench-verify-'));
  try {
    let seeded = seededIn(dataDir);
    for (const size of sizes) {
      const started = performance.now();
      if (size > seeded) {
        await seedAnchored(dataDir, TAG, seeded, size, seedReporter(dataDir, seeded, size));
        seeded = size;
        writeFileSync(join(dataDir, SEEDED_FILE), String(seeded));
      }
      const seedSeconds = Math.round((performance.now() - started) / 1000);
      await withHubProcess({ dataDir }, async (hub) => {
        await waitIndexed(hub.url, size);
        await measure(hub, { size, duration, connections, seed, seedSeconds, rounds });
      });
    }
  } finally {
    if (kept === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

const SEEDED_FILE = 'verify-bench-seeded';
/** Records per `verify.seed` line. */
const SEED_REPORT_EVERY = 100_000;

/**
 * A `verify.seed` line per 100,000 records seeded: the rate, this process's CPU and bytes written per record
 * (seeding runs here: store, ledger, their worker threads), the share of each step (seed-anchored.ts) and the
 * size of the files. Whether seeding stays flat as the files grow, and if not, which step and which file.
 */
function seedReporter(
  dataDir: string,
  seeded: number,
  size: number,
): (done: number, budget: SeedProgress) => void {
  let last = {
    done: 0,
    at: performance.now(),
    cpu: process.cpuUsage(),
    written: bytesWritten(),
    budget: NO_BUDGET,
  };
  return (done, budget) => {
    if (
      Math.floor(done / SEED_REPORT_EVERY) === Math.floor(last.done / SEED_REPORT_EVERY) &&
      done < size - seeded
    )
      return;
    const now = { done, at: performance.now(), cpu: process.cpuUsage(), written: bytesWritten(), budget };
    const records = now.done - last.done;
    const cpu = process.cpuUsage(last.cpu);
    const steps = {
      storeInsertMs: budget.storeInsertMs - last.budget.storeInsertMs,
      ledgerMs: budget.ledgerMs - last.budget.ledgerMs,
      storeMarkMs: budget.storeMarkMs - last.budget.storeMarkMs,
    };
    const stepsMs = steps.storeInsertMs + steps.ledgerMs + steps.storeMarkMs;
    const share = (ms: number) => Number((ms / stepsMs).toFixed(2));
    emit({
      bench: 'verify',
      metric: 'verify.seed.records_per_s',
      value: Math.round(records / ((now.at - last.at) / 1000)),
      unit: 'records/s',
      from: seeded + last.done,
      to: seeded + now.done,
      seconds: Math.round((now.at - last.at) / 100) / 10,
      cpuUsPerRecord: Math.round((cpu.user + cpu.system) / records),
      bytesWrittenPerRecord: Math.round((now.written - last.written) / records),
      shares: {
        storeInsert: share(steps.storeInsertMs),
        ledger: share(steps.ledgerMs),
        storeMark: share(steps.storeMarkMs),
      },
      fileMb: fileSizesMb(dataDir),
      loadAverage: Number(loadavg()[0]?.toFixed(2)),
    });
    process.stderr.write(`[verify] seeded ${seeded + done}/${size}\n`);
    last = now;
  };
}

const NO_BUDGET: SeedProgress = { done: 0, storeInsertMs: 0, ledgerMs: 0, storeMarkMs: 0 };

/** Bytes this process has caused to be written to storage so far (/proc/self/io). */
function bytesWritten(): number {
  const io = readFileSync('/proc/self/io', 'utf8');
  return Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? 0);
}

/** MB of each SQLite file (with its WAL) in the data dir and its subdirectories, by path. */
function fileSizesMb(dir: string, prefix = ''): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(sizes, fileSizesMb(path, `${prefix}${entry.name}/`));
    else if (/\.(sqlite|db)(-wal)?$/.test(entry.name))
      sizes[`${prefix}${entry.name}`] = Math.round(statSync(path).size / 1048576);
  }
  return sizes;
}

/** How many bench records a kept data dir holds (0 for a new one). */
function seededIn(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SEEDED_FILE);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
}

async function measure(hub: HubProcess, run: Run): Promise<void> {
  const { size, duration, connections } = run;
  const context = {
    records: size,
    connections,
    backend: 'embedded',
    store: 'sqlite',
    seed: run.seed,
    cores: cpus().length,
  };
  const rssBefore = hub.rssMb();
  // 100,000 distinct hashes drawn at random: no response is served twice from a warm cache
  const bodies = Array.from({ length: 100_000 }, () => {
    const i = Math.floor(Math.random() * size);
    return JSON.stringify({ sha256: benchDocumentHash(i, TAG) });
  });
  // a short warm-up (JIT, SQLite page cache), not measured
  await load({ url: `${hub.url}/api/v1/verify`, connections, durationSeconds: 3, bodies });
  // rounds of verify then the bare route, alternately: a change in the machine's load hits both sides alike
  const rounds: { verify: LoadResult; bare: LoadResult; verifyCpuUs: number; bareCpuUs: number }[] = [];
  await bareExpress(async (bareUrl, barePid) => {
    for (let round = 0; round < run.rounds; round++) {
      const hubCpu = cpuUsOf(hub.pid);
      const verify = await load({
        url: `${hub.url}/api/v1/verify`,
        connections,
        durationSeconds: duration,
        bodies,
      });
      const verifyCpuUs = (cpuUsOf(hub.pid) - hubCpu) / verify.total;
      const bareCpu = cpuUsOf(barePid);
      const bare = await load({ url: `${bareUrl}/verify`, connections, durationSeconds: duration, bodies });
      rounds.push({ verify, bare, verifyCpuUs, bareCpuUs: (cpuUsOf(barePid) - bareCpu) / bare.total });
    }
  });
  const verify = {
    rps: median(rounds.map((r) => r.verify.rps)),
    p50: median(rounds.map((r) => r.verify.p50)),
    p99: median(rounds.map((r) => r.verify.p99)),
  };
  const perRound = {
    rounds: run.rounds,
    secondsPerRound: duration,
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
  };
  emit({
    bench: 'verify',
    metric: 'verify.rps',
    value: Math.round(verify.rps),
    unit: 'requests/s',
    ...context,
    ...perRound,
    perRound: rounds.map((r) => Math.round(r.verify.rps)),
    // the median of each round's verify / bare ratio
    ratioToBaseline: Number(median(rounds.map((r) => r.verify.rps / r.bare.rps)).toFixed(2)),
    // CPU time of the hub process per request, steadier than a rate on a shared machine; the bare route's alike
    cpuUsPerRequest: Math.round(median(rounds.map((r) => r.verifyCpuUs))),
    baselineCpuUsPerRequest: Math.round(median(rounds.map((r) => r.bareCpuUs))),
    errors: rounds.reduce((n, r) => n + r.verify.errors, 0),
    non2xx: rounds.reduce((n, r) => n + r.verify.non2xx, 0),
    requests: rounds.reduce((n, r) => n + r.verify.total, 0),
  });
  emit({ bench: 'verify', metric: 'verify.p50_ms', value: verify.p50, unit: 'ms', ...context, ...perRound });
  emit({
    bench: 'verify',
    metric: 'verify.p99_ms',
    value: verify.p99,
    unit: 'ms',
    ...context,
    ...perRound,
    perRound: rounds.map((r) => r.verify.p99),
  });
  emit({
    bench: 'verify',
    metric: 'hub.rss_mb',
    value: hub.rssMb(),
    unit: 'MB',
    ...context,
    ...hub.rssParts(),
    rssBeforeLoadMb: rssBefore,
    seedSeconds: run.seedSeconds,
  });
  emit({
    bench: 'verify',
    metric: 'http.baseline.rps',
    value: Math.round(median(rounds.map((r) => r.bare.rps))),
    unit: 'requests/s',
    ...context,
    ...perRound,
    perRound: rounds.map((r) => Math.round(r.bare.rps)),
    p50_ms: median(rounds.map((r) => r.bare.p50)),
    p99_ms: median(rounds.map((r) => r.bare.p99)),
  });
}

/** Waits until the hub's chain index shows the last record of each of the nine streams. */
async function waitIndexed(url: string, size: number): Promise<void> {
  const last = Array.from({ length: 9 }, (_, s) => size - 1 - ((size - 1 - s + 9 * 9) % 9)).filter(
    (i) => i >= 0,
  );
  const started = performance.now();
  for (;;) {
    const answers = await Promise.all(
      last.map(async (i) => {
        const response = await fetch(`${url}/api/v1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sha256: benchDocumentHash(i, TAG) }),
        });
        return ((await response.json()) as { anchored?: boolean }).anchored === true;
      }),
    );
    if (answers.every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stderr.write(
    `[verify] the hub indexed ${size} records in ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
}

/** Publishes records [from, to) and waits for their receipts. */
async function ingest(natsUrl: string, from: number, to: number): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const js = jetstream(nc, { timeout: 60_000 });
  Error.stackTraceLimit = 0; // nats.js captures two stack traces per publish; the publisher is not measured
  let receipts = 0;
  nc.subscribe('ledger.receipt.>', { callback: () => void receipts++ });
  await nc.flush();
  for (let i = from; i < to; i += 2000) {
    await Promise.all(
      Array.from({ length: Math.min(2000, to - i) }, (_, j) => {
        const n = i + j;
        const { region, dept } = streamOf(n);
        const envelope = benchEnvelope(n, region, dept, TAG);
        return js.publish(envelopeSubject(envelope), JSON.stringify(envelope), {
          msgID: natsMsgId(envelope.source),
        });
      }),
    );
    // keep the stream at most ~20,000 messages ahead of the receipts
    while (i - from - receipts > 20_000) await new Promise((r) => setTimeout(r, 50));
  }
  while (receipts < to - from) await new Promise((r) => setTimeout(r, 100));
  Error.stackTraceLimit = 10;
  await nc.close();
}

function load(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  bodies?: string[];
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, `load-generator${__filename.endsWith('.ts') ? '.ts' : '.js'}`), [], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: __filename.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.send(options);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as LoadResult)
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

async function bareExpress<T>(work: (url: string, pid: number) => Promise<T>): Promise<T> {
  const child: ChildProcess = fork(
    join(__dirname, `bare-express${__filename.endsWith('.ts') ? '.ts' : '.js'}`),
    [],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: __filename.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [],
    },
  );
  const port = await new Promise<number>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  try {
    return await work(`http://127.0.0.1:${port}`, child.pid as number);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
