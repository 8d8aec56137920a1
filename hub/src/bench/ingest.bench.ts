/**
 * `ingest.e2e.records_per_s` and `ingest.baseline.records_per_s`: milestones published on `legacy.*` (three
 * regions, three departments each) until every receipt is back, through the real hub: NATS JetStream, the
 * SQLite off-chain store, and the embedded ledger (e2e) or a plain SQL insert in its place (baseline), the hub
 * running in its own process as in production. Every
 * record is durable (committed in SQLite WAL) before its receipt. One JSON line per metric.
 *
 * The e2e path is measured in each crypto suite of INGEST_BENCH_SUITES (default `intl,gm`), side by side: a hub
 * with LEDGER_CRYPTO=gm makes SM3 commitments on an SM3/SM2 embedded ledger. `intl` keeps the metric names
 * `ingest.e2e.*` (every earlier run compares), `gm` is `ingest.e2e.gm.*`; each line has a `suite` field. With
 * `--rounds n` the suites alternate n times (intl, gm, intl, gm, …) and `ingest.e2e.<suite>.median_*` lines and
 * `ingest.e2e.gm_over_intl.*` ratios of the medians close the run.
 *
 * `--projects n` spreads the records over n projects of each region, each with its own applicant, in an order
 * that sends consecutive records to projects far apart (`bench-records.ts`); by default record i is of project
 * i mod 999,999 with its region's one applicant, which fills the chain index's project and credit-code indexes
 * in key order, as every figure before 2026-12-07 did.
 *
 *   node dist/bench/ingest.bench.js [--records 50000] [--only e2e|baseline] [--rounds 1] [--projects 0]
 */
import '@approval-ledger/fabric-engine/native-hash';
import { cpus, loadavg } from 'node:os';
import { natsMsgId, envelopeSubject, type DepartmentCode, type RegionCode } from '@approval-ledger/protocol';
import { connect } from '@nats-io/transport-node';
import { benchEnvelope } from './bench-records';
import { type OutgoingMessage, PipelinedPublisher } from '../bus/pipelined-publisher';
import { INGEST_STAGES, type BudgetSnapshot, type StageFigures } from '../ingest/stage-budget';
import {
  argValue,
  bytesWrittenBy,
  cpuUsOf,
  emit,
  median,
  threadUseByName,
  threadUses,
  type ThreadUse,
  withHubProcess,
} from './bench-support';

const REGIONS: readonly RegionCode[] = ['BJ', 'TJ', 'HE'];
const DEPTS: readonly DepartmentCode[] = ['DRC', 'EE', 'HC'];
const PUBLISH_IN_FLIGHT = 4000;
/** Messages per pipelined publish (one PubAck wait for all of them). */
const PUBLISH_SLICE = 250;

interface Measured {
  readonly rate: number;
  readonly rssMb: number;
  readonly rssAnonMb: number;
  /** V8's heap in use, and memory outside it that JS objects hold (Buffers), at the end (MB). */
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly seconds: number;
  /** Main-thread CPU and bytes per ingest stage over the measured window (ingest/stage-budget.ts). */
  readonly budget: BudgetSnapshot;
  readonly mainThreadBytesWrittenPerRecord: number;
  /** CPU time of the hub process (every thread) from the first publish to the last receipt, per record. */
  readonly cpuUsPerRecord: number;
  /** The same for the hub's main thread alone (where ingest runs; worker threads are the rest). */
  readonly mainThreadCpuUsPerRecord: number;
  /** The same for the nats-server and for this process (the publisher and receipt subscriber). */
  readonly natsCpuUsPerRecord: number;
  readonly publisherCpuUsPerRecord: number;
  /** Bytes the hub wrote to files (SQLite databases, their WALs and checkpoints), per record. */
  readonly bytesWrittenPerRecord: number;
  /** CPU and bytes of the hub's threads over the measured window, by thread name (`threadUseByName`). */
  readonly threads: ReadonlyMap<string, ThreadUse>;
  readonly load: readonly number[];
}

type Suite = 'intl' | 'gm';

const SUITES_MEASURED: readonly Suite[] = (process.env.INGEST_BENCH_SUITES ?? 'intl,gm')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Suite => s === 'intl' || s === 'gm');

const PROJECTS = Number(argValue('--projects') ?? '0');

async function measure(mode: 'e2e' | 'baseline', records: number, suite: Suite = 'intl'): Promise<Measured> {
  const options = {
    anchorer: mode === 'baseline' ? ('sql' as const) : ('ledger' as const),
    env: { LEDGER_CRYPTO: suite },
  };
  return withHubProcess(options, async (hub) => {
    const nc = await connect({ servers: hub.natsUrl });
    const publisher = new PipelinedPublisher(nc);
    // built while publishing: a million messages held at once would be a gigabyte in this process
    const messageOf = (i: number): { subject: string; data: string; msgId: string } => {
      const envelope = benchEnvelope(
        i,
        REGIONS[i % 3] as RegionCode,
        DEPTS[Math.floor(i / 3) % 3] as DepartmentCode,
        mode,
        { projects: PROJECTS },
      );
      return {
        subject: envelopeSubject(envelope),
        data: JSON.stringify(envelope),
        msgId: natsMsgId(envelope.source),
      };
    };
    let receipts = 0;
    let done: () => void = () => undefined;
    const allReceipts = new Promise<void>((resolve) => (done = resolve));
    nc.subscribe('ledger.receipt.>', {
      callback: () => {
        if (++receipts === records) done();
      },
    });
    await nc.flush();
    const budgetBefore = (await hub.budget()).budget;
    const cpuBefore = cpuUsOf(hub.pid);
    const writtenBefore = bytesWrittenBy(hub.pid);
    const mainWrittenBefore = bytesWrittenBy(hub.pid, hub.pid);
    const mainBefore = cpuUsOf(hub.pid, hub.pid);
    const threadsBefore = threadUses(hub.pid);
    const natsBefore = cpuUsOf(hub.natsPid);
    const selfBefore = cpuUsOf(process.pid);
    const started = performance.now();
    // at most PUBLISH_IN_FLIGHT messages awaiting their PubAck, sent in slices of PUBLISH_SLICE through the
    // hub's own pipelined publisher (one reply subscription, one timer and one promise per slice; each message
    // still a JetStream publish under its Nats-Msg-Id, resolved once stored): nats.js's js.publish() made each
    // message a request with its own timer and promise, and the publisher shares the hub's two cores
    let inFlight = 0;
    let failed: Error | undefined;
    let wake: (() => void) | undefined;
    const settled = (count: number): void => {
      inFlight -= count;
      wake?.();
      wake = undefined;
    };
    for (let from = 0; from < records; from += PUBLISH_SLICE) {
      const slice: OutgoingMessage[] = [];
      for (let i = from; i < Math.min(records, from + PUBLISH_SLICE); i++) slice.push(messageOf(i));
      inFlight += slice.length;
      publisher.publish(slice, 60_000).then(
        () => settled(slice.length),
        (error: unknown) => {
          failed ??= error instanceof Error ? error : new Error(String(error));
          settled(slice.length);
        },
      );
      while (inFlight >= PUBLISH_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      if (failed !== undefined) throw failed;
    }
    while (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
    if (failed !== undefined) throw failed;
    await allReceipts;
    const seconds = (performance.now() - started) / 1000;
    const cpuUs = cpuUsOf(hub.pid) - cpuBefore;
    const written = bytesWrittenBy(hub.pid) - writtenBefore;
    const mainWritten = bytesWrittenBy(hub.pid, hub.pid) - mainWrittenBefore;
    const mainUs = cpuUsOf(hub.pid, hub.pid) - mainBefore;
    const threads = threadUseByName(hub.pid, threadsBefore, threadUses(hub.pid));
    const natsUs = cpuUsOf(hub.natsPid) - natsBefore;
    const selfUs = cpuUsOf(process.pid) - selfBefore;
    const load = loadavg().map((n) => round(n));
    const after = await hub.budget();
    const budget = budgetBetween(budgetBefore, after.budget);
    publisher.close();
    await nc.close();
    return {
      rate: records / seconds,
      rssMb: hub.rssMb(),
      rssAnonMb: hub.rssParts().rssAnonMb,
      heapUsedMb: Math.round(after.memory.heapUsed / 2 ** 20),
      externalMb: Math.round(after.memory.external / 2 ** 20),
      seconds,
      budget,
      mainThreadBytesWrittenPerRecord: mainWritten / records,
      cpuUsPerRecord: cpuUs / records,
      bytesWrittenPerRecord: written / records,
      threads,
      mainThreadCpuUsPerRecord: mainUs / records,
      natsCpuUsPerRecord: natsUs / records,
      publisherCpuUsPerRecord: selfUs / records,
      load,
    };
  });
}

async function main(): Promise<void> {
  const records = Number(argValue('--records') ?? '50000');
  const only = argValue('--only');
  const context = {
    records,
    regions: 3,
    departments: 3,
    batch: 500,
    backend: 'embedded',
    store: 'sqlite',
    cores: cpus().length,
    projects: PROJECTS,
  };
  if (!(Number.isSafeInteger(PROJECTS) && PROJECTS >= 0 && PROJECTS <= 999_999))
    throw new Error('--projects: expected a whole number from 0 (key order) to 999,999');
  if (SUITES_MEASURED.length === 0) throw new Error('INGEST_BENCH_SUITES: expected intl, gm or both');
  const runs = plannedRuns(only, Number(argValue('--rounds') ?? '1'));
  const bySuite: Record<Suite, Measured[]> = { intl: [], gm: [] };
  for (const { mode, suite } of runs) {
    const measured = await measure(mode, records, suite);
    if (mode === 'e2e') bySuite[suite].push(measured);
    emitMeasured(mode, suite, measured, context);
  }
  emitMedians(bySuite, context);
}

/** The runs in order: per round, e2e in each suite (alternating), then the baseline. */
function plannedRuns(only: string | undefined, rounds: number): { mode: 'e2e' | 'baseline'; suite: Suite }[] {
  const runs: { mode: 'e2e' | 'baseline'; suite: Suite }[] = [];
  for (let round = 0; round < rounds; round++) {
    if (only !== 'baseline') for (const suite of SUITES_MEASURED) runs.push({ mode: 'e2e', suite });
    if (only !== 'e2e') runs.push({ mode: 'baseline', suite: 'intl' });
  }
  return runs;
}

function emitMeasured(
  mode: 'e2e' | 'baseline',
  suite: Suite,
  measured: Measured,
  base: Record<string, unknown>,
): void {
  {
    const context = { ...base, suite };
    // intl keeps the names every earlier run used; gm is `ingest.e2e.gm.*`
    const label = mode === 'e2e' && suite === 'gm' ? 'e2e.gm' : mode;
    const { rate, rssMb, cpuUsPerRecord, mainThreadCpuUsPerRecord, load } = measured;
    const backend = mode === 'e2e' ? 'embedded' : 'sql-insert';
    emit({
      bench: 'ingest',
      metric: `ingest.${label}.records_per_s`,
      value: round(rate),
      unit: 'records/s',
      ...context,
      backend,
      loadavg: load,
    });
    emit({
      bench: 'ingest',
      metric: `ingest.${label}.hub_cpu_us_per_record`,
      value: round(cpuUsPerRecord),
      unit: 'us/record',
      ...context,
      backend,
    });
    emit({
      bench: 'ingest',
      metric: `ingest.${label}.hub_main_thread_cpu_us_per_record`,
      value: round(mainThreadCpuUsPerRecord),
      unit: 'us/record',
      ...context,
      backend,
    });
    for (const [name, value] of [
      ['nats_server_cpu_us_per_record', measured.natsCpuUsPerRecord],
      ['publisher_cpu_us_per_record', measured.publisherCpuUsPerRecord],
    ] as const) {
      emit({
        bench: 'ingest',
        metric: `ingest.${label}.${name}`,
        value: round(value),
        unit: 'us/record',
        ...context,
        backend,
      });
    }
    emit({
      bench: 'ingest',
      metric: `ingest.${label}.hub_bytes_written_per_record`,
      value: Math.round(measured.bytesWrittenPerRecord),
      unit: 'bytes/record',
      ...context,
      backend,
    });
    emit({
      bench: 'ingest',
      metric: 'hub.rss_mb',
      value: rssMb,
      unit: 'MB',
      ...context,
      backend,
      after: label,
      rss_anon_mb: measured.rssAnonMb,
      heap_used_mb: measured.heapUsedMb,
      external_mb: measured.externalMb,
      seconds: round(measured.seconds),
    });
    for (const line of budgetLines(measured, Number(base['records']))) {
      emit({ bench: 'ingest', metric: `ingest.${label}.stage_budget`, ...line, ...context, backend });
    }
  }
}

/** The medians of the alternating e2e runs per suite, and gm's over intl's (CPU per record: the steadier one). */
function emitMedians(bySuite: Record<'intl' | 'gm', Measured[]>, context: Record<string, unknown>): void {
  const medians: Partial<Record<'intl' | 'gm', { rate: number; cpu: number }>> = {};
  for (const suite of ['intl', 'gm'] as const) {
    const runs = bySuite[suite];
    if (runs.length === 0) continue;
    const m = { rate: median(runs.map((r) => r.rate)), cpu: median(runs.map((r) => r.cpuUsPerRecord)) };
    medians[suite] = m;
    const extra = { ...context, suite, runs: runs.length, loadavg: loadavg().map((n) => round(n)) };
    emit({
      bench: 'ingest',
      metric: `ingest.e2e.${suite}.median_records_per_s`,
      value: round(m.rate),
      unit: 'records/s',
      ...extra,
    });
    emit({
      bench: 'ingest',
      metric: `ingest.e2e.${suite}.median_hub_cpu_us_per_record`,
      value: round(m.cpu),
      unit: 'us/record',
      ...extra,
    });
  }
  const { intl, gm } = medians;
  if (intl && gm) {
    emit({
      bench: 'ingest',
      metric: 'ingest.e2e.gm_over_intl.hub_cpu_us_per_record',
      value: Math.round((gm.cpu / intl.cpu) * 1000) / 1000,
      unit: 'ratio',
      ...context,
    });
    emit({
      bench: 'ingest',
      metric: 'ingest.e2e.gm_over_intl.records_per_s',
      value: Math.round((gm.rate / intl.rate) * 1000) / 1000,
      unit: 'ratio',
      ...context,
    });
  }
}

/** The budget of the measured window: what `after` adds to `before`. */
function budgetBetween(before: BudgetSnapshot, after: BudgetSnapshot): BudgetSnapshot {
  const stages = {} as Record<(typeof INGEST_STAGES)[number], StageFigures>;
  for (const stage of INGEST_STAGES) {
    stages[stage] = {
      cpuUs: after.stages[stage].cpuUs - before.stages[stage].cpuUs,
      bytes: after.stages[stage].bytes - before.stages[stage].bytes,
      sections: after.stages[stage].sections - before.stages[stage].sections,
    };
  }
  return {
    stages,
    threadCpuUs: after.threadCpuUs - before.threadCpuUs,
    threadBytes: after.threadBytes - before.threadBytes,
    overheadUs: after.overheadUs - before.overheadUs,
    gcMs: after.gcMs - before.gcMs,
  };
}

/**
 * One line per stage (main-thread CPU and bytes per record), then what no stage claimed on the main thread
 * (NATS client, timers, GC between stages), the measuring's own cost, and the hub's other threads (the
 * ledger engine's workers and the WAL checkpointers: the ledger's own budget is the ledger bench's), in all
 * (`other-threads`) and thread by thread (`thread`: endorser, chain-index, wal:<database>, v8+libuv).
 */
function budgetLines(m: Measured, records: number): Record<string, unknown>[] {
  const { budget } = m;
  const perRecord = (n: number): number => round(n / records);
  const lines: Record<string, unknown>[] = INGEST_STAGES.map((stage) => ({
    stage,
    thread: 'main',
    value: perRecord(budget.stages[stage].cpuUs),
    unit: 'us/record',
    bytes_per_record: Math.round(budget.stages[stage].bytes / records),
    sections: budget.stages[stage].sections,
  }));
  const claimedUs = INGEST_STAGES.reduce((sum, s) => sum + budget.stages[s].cpuUs, 0);
  const claimedBytes = INGEST_STAGES.reduce((sum, s) => sum + budget.stages[s].bytes, 0);
  lines.push({
    stage: 'other',
    thread: 'main',
    value: perRecord(budget.threadCpuUs - claimedUs),
    unit: 'us/record',
    bytes_per_record: Math.round((budget.threadBytes - claimedBytes) / records),
  });
  // informative: already inside the figures above
  // GC pauses by the clock (a loaded machine stretches them): a hint, not CPU
  lines.push({ stage: 'gc', thread: 'main', value: perRecord(budget.gcMs * 1000), unit: 'us/record wall' });
  lines.push({
    stage: 'budget-overhead',
    thread: 'main',
    value: perRecord(budget.overheadUs),
    unit: 'us/record',
  });
  lines.push({
    stage: 'other-threads',
    thread: 'workers',
    value: round(m.cpuUsPerRecord - m.mainThreadCpuUsPerRecord),
    unit: 'us/record',
    bytes_per_record: Math.round(m.bytesWrittenPerRecord - m.mainThreadBytesWrittenPerRecord),
  });
  // the same, thread by thread (named by the engine's nameThisThread), most CPU first; what threads that exited
  // in the window used is in the line above only
  const workers = [...m.threads].filter(([name]) => name !== 'main').sort((a, b) => b[1].cpuUs - a[1].cpuUs);
  for (const [name, use] of workers) {
    lines.push({
      stage: 'thread',
      thread: name,
      value: perRecord(use.cpuUs),
      unit: 'us/record',
      bytes_per_record: Math.round(use.bytes / records),
    });
  }
  return lines;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
