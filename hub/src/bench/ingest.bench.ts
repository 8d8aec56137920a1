/**
 * `ingest.e2e.records_per_s` and `ingest.baseline.records_per_s`: milestones published on `legacy.*` (three
 * regions, three departments each) until every receipt is back, through the real hub: NATS JetStream, the
 * SQLite off-chain store, and the embedded ledger (e2e) or a plain SQL insert in its place (baseline), the hub
 * running in its own process as in production. Every
 * record is durable (committed in SQLite WAL) before its receipt. One JSON line per metric.
 *
 *   node dist/bench/ingest.bench.js [--records 50000] [--only e2e|baseline]
 */
import '../native-hash';
import { cpus } from 'node:os';
import { natsMsgId, envelopeSubject, type DepartmentCode, type RegionCode } from '@approval-ledger/protocol';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { benchEnvelope } from './bench-records';
import { argValue, emit, withHubProcess } from './bench-support';

const REGIONS: readonly RegionCode[] = ['BJ', 'TJ', 'HE'];
const DEPTS: readonly DepartmentCode[] = ['DRC', 'EE', 'HC'];
const PUBLISH_IN_FLIGHT = 4000;

async function measure(mode: 'e2e' | 'baseline', records: number): Promise<{ rate: number; rssMb: number }> {
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
    Error.stackTraceLimit = 10;
    await nc.close();
    return { rate: records / seconds, rssMb: hub.rssMb() };
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
    const { rate, rssMb } = await measure(mode, records);
    const backend = mode === 'e2e' ? 'embedded' : 'sql-insert';
    emit({
      bench: 'ingest',
      metric: `ingest.${mode}.records_per_s`,
      value: round(rate),
      unit: 'records/s',
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

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
