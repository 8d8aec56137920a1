/**
 * The hub's Prometheus metrics (prom-client), in one registry per hub so that tests can run several hubs in
 * one process. `/metrics` serves `registry.metrics()`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class HubMetrics {
  readonly registry = new Registry();

  /** Records taken off `legacy.*` (or POST /milestones) by outcome: anchored, duplicate, conflict, rejected. */
  readonly ingested = new Counter({
    name: 'ledger_ingest_records_total',
    help: 'Records ingested, by kind and receipt status',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'ledger_ingest_batch_size',
    help: 'Records per ledger transaction submitted by ingest',
    buckets: [1, 5, 10, 25, 50, 100, 200, 300, 400, 500],
    registers: [this.registry],
  });

  readonly commitLatency = new Histogram({
    name: 'ledger_commit_latency_seconds',
    help: 'Time from submitting an ingest transaction to its commit',
    labelNames: ['fn'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'ledger_dead_letters_total',
    help: 'Messages sent to ledger.dlq.*, by reason code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'ledger_consumer_lag_messages',
    help: 'Messages on LEGACY not yet delivered to the hub consumer (num_pending)',
    registers: [this.registry],
  });

  readonly consumerAckPending = new Gauge({
    name: 'ledger_consumer_ack_pending_messages',
    help: 'Messages delivered to the hub and not yet acknowledged',
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'ledger_ingest_in_flight_records',
    help: 'Records being validated, stored or anchored right now',
    registers: [this.registry],
  });

  readonly reconciliationDrift = new Gauge({
    name: 'ledger_reconciliation_drift_records',
    help: 'Off-chain records that do not match the chain, by kind of drift (last complete pass)',
    labelNames: ['drift'] as const,
    registers: [this.registry],
  });

  readonly reconciliationChecked = new Gauge({
    name: 'ledger_reconciliation_checked_records',
    help: 'Records compared with the chain in the last complete reconciliation pass',
    registers: [this.registry],
  });

  readonly reconciliationLastRun = new Gauge({
    name: 'ledger_reconciliation_last_completed_timestamp_seconds',
    help: 'When the last complete reconciliation pass finished (Unix time)',
    registers: [this.registry],
  });

  readonly ledgerHeight = new Gauge({
    name: 'ledger_height_blocks',
    help: 'Blocks on the ledger',
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
