/** Prometheus metrics of one adapter, in a registry of its own (served on the adapter's `/metrics`). */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { type JournalCounts } from './delivery-journal';

export class AdapterMetrics {
  readonly registry = new Registry();
  readonly published: Counter<'kind'>;
  readonly duplicates: Counter;
  readonly deadLettered: Counter<'code'>;
  readonly skipped: Counter<'reason'>;
  readonly retries: Counter<'operation'>;
  readonly writeBacks: Counter<'status'>;
  readonly resent: Counter<'outcome'>;
  readonly lag: Gauge;
  readonly backlog: Gauge;
  readonly lastLegacySeen: Gauge;

  constructor(adapter: string, options: { processMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ adapter });
    const registers = [this.registry];
    this.published = new Counter({
      name: 'ledger_adapter_published_total',
      help: 'Envelopes published to JetStream and acknowledged (duplicates excluded), by envelope kind',
      labelNames: ['kind'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'ledger_adapter_duplicates_total',
      help: 'Publishes JetStream acknowledged as duplicates of an earlier message (Nats-Msg-Id de-duplication)',
      registers,
    });
    this.deadLettered = new Counter({
      name: 'ledger_adapter_dead_lettered_total',
      help: 'Legacy records sent to the dead-letter queue, by Ledger-Dlq-Code',
      labelNames: ['code'],
      registers,
    });
    this.skipped = new Counter({
      name: 'ledger_adapter_skipped_total',
      help: 'Legacy records read that need nothing published (unchanged, or nothing to anchor), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.retries = new Counter({
      name: 'ledger_adapter_retries_total',
      help: 'Retries after transient errors, by operation',
      labelNames: ['operation'],
      registers,
    });
    this.writeBacks = new Counter({
      name: 'ledger_adapter_write_backs_total',
      help: 'Anchoring receipts handled by the write-back into the legacy system, by outcome',
      labelNames: ['status'],
      registers,
    });
    this.resent = new Counter({
      name: 'ledger_adapter_resent_total',
      help: 'Envelopes published again because no receipt came for them (outcome: JetStream still had it, or stored it anew)',
      labelNames: ['outcome'],
      registers,
    });
    this.lag = new Gauge({
      name: 'ledger_adapter_lag_seconds',
      help: 'How far behind the legacy system the adapter is: 0 when caught up, else the age of the last change handled',
      registers,
    });
    this.backlog = new Gauge({
      name: 'ledger_adapter_backlog',
      help: 'Legacy records (or files) waiting to be handled, as far as the legacy system tells',
      registers,
    });
    this.lastLegacySeen = new Gauge({
      name: 'ledger_adapter_last_legacy_seen_timestamp_seconds',
      help: 'Legacy change time of the newest record read (Unix seconds)',
      registers,
    });
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  /** The delivery journal's distinct counts as `ledger_adapter_journal_records{count=...}`, read at each scrape. */
  exposeJournal(counts: () => JournalCounts): void {
    new Gauge({
      name: 'ledger_adapter_journal_records',
      help: 'From the adapter journal (survives restarts): distinct records read, envelopes sent, receipted, unreceipted; all sends',
      labelNames: ['count'],
      registers: [this.registry],
      collect() {
        const c = counts();
        for (const name of ['read', 'sent', 'sends', 'receipted', 'unreceipted'] as const)
          this.set({ count: name }, c[name]);
      },
    });
  }

  /** The text exposition format. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The current value of a counter or gauge (summed over labels), for tests and the health page. */
  async total(metric: Counter<string> | Gauge): Promise<number> {
    const { values } = await metric.get();
    return values.reduce((sum, v) => sum + v.value, 0);
  }
}
