/**
 * The hub's Prometheus metrics (prom-client), in one registry per hub so that tests can run several hubs in
 * one process. `/metrics` serves `registry.metrics()`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class HubMetrics {
  readonly registry = new Registry();

  /** Records taken off `legacy.*` (or POST /milestones) by outcome: anchored, duplicate, conflict, rejected. */
  readonly ingested = this.#counter(
    'ledger_ingest_records_total',
    'Records ingested, by kind and receipt status',
    ['kind', 'status'],
  );

  readonly batchSize = this.#histogram(
    'ledger_ingest_batch_size',
    'Records per ledger transaction submitted by ingest',
    [1, 5, 10, 25, 50, 100, 200, 300, 400, 500],
  );

  readonly commitLatency = this.#histogram(
    'ledger_commit_latency_seconds',
    'Time from submitting an ingest transaction to its commit',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ['fn'],
  );

  readonly deadLetters = this.#counter(
    'ledger_dead_letters_total',
    'Messages sent to ledger.dlq.*, by reason code',
    ['code'],
  );

  readonly consumerLag = this.#gauge(
    'ledger_consumer_lag_messages',
    'Messages on LEGACY not yet delivered to the hub consumer (num_pending)',
  );

  readonly consumerAckPending = this.#gauge(
    'ledger_consumer_ack_pending_messages',
    'Messages delivered to the hub and not yet acknowledged',
  );

  readonly inFlight = this.#gauge(
    'ledger_ingest_in_flight_records',
    'Records being validated, stored or anchored right now',
  );

  readonly reconciliationDrift = this.#gauge(
    'ledger_reconciliation_drift_records',
    'Off-chain records that do not match the chain, by kind of drift (last complete pass)',
    ['drift'],
  );

  readonly reconciliationChecked = this.#gauge(
    'ledger_reconciliation_checked_records',
    'Records compared with the chain in the last complete reconciliation pass',
  );

  readonly reconciliationLastRun = this.#gauge(
    'ledger_reconciliation_last_completed_timestamp_seconds',
    'When the last complete reconciliation pass finished (Unix time)',
  );

  readonly ledgerHeight = this.#gauge('ledger_height_blocks', 'Blocks on the ledger');

  readonly httpDuration = this.#histogram(
    'http_request_duration_seconds',
    'HTTP requests by route and status',
    [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ['method', 'route', 'status'],
  );

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  #counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram<L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ): Histogram<L> {
    return new Histogram({ name, help, buckets, labelNames, registers: [this.registry] });
  }
}
