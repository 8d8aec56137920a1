/**
 * `ingest.e2e.records_per_s` and `ingest.baseline.records_per_s`: milestones published on `legacy.*` (three
 * regions, three departments each) until every receipt is back, through the real hub: NATS JetStream, the
 * SQLite off-chain store, and the embedded ledger (e2e) or a plain SQL insert in its place (baseline), the hub
 * running in its own process as in production. Every
 * record is durable (committed in SQLite WAL) before its receipt. One JSON line per metric.
 *
 *   node dist/bench/ingest.bench.js [--records 50000] [--only e2e|baseline]
 */
import '@approval-ledger/fabric-engine/native-hash';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { natsMsgId, envelopeSubject, type DepartmentCode, type RegionCode } from '@approval-ledger/protocol';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { benchEnvelope } from './bench-records';
import { argValue, cpuUsOf, emit, withHubProcess } from './bench-support';

const REGIONS: readonly RegionCode[] = ['BJ', 'TJ', 'HE'];
const DEPTS: readonly DepartmentCode[] = ['DRC', 'EE', 'HC'];
const PUBLISH_IN_FLIGHT = 4000;

interface Measured {
  readonly rate: number;
  readonly rssMb: number;
  /** CPU time of the hub process (every thread) from the first publish to the last receipt, per record. */
  readonly cpuUsPerRecord: number;
  /** The same for the hub's main thread alone (where ingest runs; worker threads are the rest). */
  readonly mainThreadCpuUsPerRecord: number;
  /** The same for the nats-server and for this process (the publisher and receipt subscriber). */
  readonly natsCpuUsPerRecord: number;
  readonly publisherCpuUsPerRecord: number;
  /** Bytes the hub wrote to files (SQLite databases, their WALs and checkpoints), per record. */
  readonly bytesWrittenPerRecord: number;
  readonly load: readonly number[];
}

async function measure(mode: 'e2e' | 'baseline', records: number): Promise<Measured> {
  return withHubProcess({ anchorer: mode === 'baseline' ? 'sql' : 'ledger' }, async (hub) => {
    const nc = await connect({ servers: hub.natsUrl });
    const js = jetstream(nc, { timeout: 60_000 });
    const messages = Array.from({ length: records }, (_, i) => {
      const envelope = benchEnvelope(
        i,
        REGIONS[i % 3] as RegionCode,
        DEPTS[Math.floor(i / 3) % 3] as DepartmentCode,
        mode,
      );
      return {
        subject: envelopeSubject(envelope),
        data: JSON.stringify(envelope),
        msgId: natsMsgId(envelope.source),
      };
    });
    let receipts = 0;
    let done: () => void = () => undefined;
    const allReceipts = new Promise<void>((resolve) => (done = resolve));
    nc.subscribe('ledger.receipt.>', {
      callback: () => {
        if (++receipts === records) done();
      },
    });
    await nc.flush();
    const cpuBefore = cpuUsOf(hub.pid);
    const writtenBefore = bytesWrittenBy(hub.pid);
    const mainBefore = cpuUsOf(hub.pid, hub.pid);
    const natsBefore = cpuUsOf(hub.natsPid);
    const selfBefore = cpuUsOf(process.pid);
    const started = performance.now();
    const pending = new Set<Promise<unknown>>();
    Error.stackTraceLimit = 0; // nats.js captures two stack traces per publish; the publisher is not measured
    for (const m of messages) {
      const p = js.publish(m.subject, m.data, { msgID: m.msgId }).finally(() => pending.delete(p));
      pending.add(p);
      if (pending.size >= PUBLISH_IN_FLIGHT) await Promise.race(pending);
    }
    await Promise.all(pending);
    await allReceipts;
    const seconds = (performance.now() - started) / 1000;
    const cpuUs = cpuUsOf(hub.pid) - cpuBefore;
    const written = bytesWrittenBy(hub.pid) - writtenBefore;
    const mainUs = cpuUsOf(hub.pid, hub.pid) - mainBefore;
    const natsUs = cpuUsOf(hub.natsPid) - natsBefore;
    const selfUs = cpuUsOf(process.pid) - selfBefore;
    const load = loadavg().map((n) => round(n));
    Error.stackTraceLimit = 10;
    await nc.close();
    return {
      rate: records / seconds,
      rssMb: hub.rssMb(),
      cpuUsPerRecord: cpuUs / records,
      bytesWrittenPerRecord: written / records,
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
  };
  for (const mode of ['e2e', 'baseline'] as const) {
    if (only !== undefined && only !== mode) continue;
    const measured = await measure(mode, records);
    const { rate, rssMb, cpuUsPerRecord, mainThreadCpuUsPerRecord, load } = measured;
    const backend = mode === 'e2e' ? 'embedded' : 'sql-insert';
    emit({
      bench: 'ingest',
      metric: `ingest.${mode}.records_per_s`,
      value: round(rate),
      unit: 'records/s',
      ...context,
      backend,
      loadavg: load,
    });
    emit({
      bench: 'ingest',
      metric: `ingest.${mode}.hub_cpu_us_per_record`,
      value: round(cpuUsPerRecord),
      unit: 'us/record',
      ...context,
      backend,
    });
    emit({
      bench: 'ingest',
      metric: `ingest.${mode}.hub_main_thread_cpu_us_per_record`,
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
        metric: `ingest.${mode}.${name}`,
        value: round(value),
        unit: 'us/record',
        ...context,
        backend,
      });
    }
    emit({
      bench: 'ingest',
      metric: `ingest.${mode}.hub_bytes_written_per_record`,
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
      after: mode,
    });
  }
}

/** Bytes a process (every thread) has written through write() and friends: `wchar` of /proc/<pid>/io. */
function bytesWrittenBy(pid: number): number {
  return Number(/^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
