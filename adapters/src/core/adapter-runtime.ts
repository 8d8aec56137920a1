/**
 * The adapter core's wiring: NATS connection, streams, the checkpoint bucket, metrics, `/healthz` and
 * `/metrics`, the publisher, and an orderly shutdown. Every adapter's `main.ts` starts one of these and hangs
 * its legacy source on it.
 */
import { setMaxListeners } from 'node:events';
import { ADAPTER_CHECKPOINT_BUCKET, type DepartmentCode, type RegionCode } from '@approval-ledger/protocol';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type z } from 'zod';
import { AdapterHealth } from './adapter-health';
import { AbortedError, retrying, sleep, type BackoffPolicy } from './backoff';
import { KvCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { DeliveryJournal } from './delivery-journal';
import { adapterJournalPath, writeAdapterCountersFile } from './adapter-runtime-file';
import { startHealthServer, type HealthServer } from './health-server';
import { LedgerPublisher } from './ledger-publisher';
import { errorMessage, type Logger } from './logger';
import { AdapterMetrics } from './metrics';
import { type StreamName } from '@approval-ledger/protocol';
import { ensureStreams } from '@approval-ledger/protocol/nats';

export interface RuntimeOptions {
  readonly adapter: string;
  /**
   * The name of this instance's files in the data dir (journal, counters) when several instances of the
   * adapter share it, one per region (`drc-csv-tj`); default the adapter's name.
   */
  readonly instance?: string;
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
  readonly natsUrl: string;
  readonly publishTimeoutMs: number;
  readonly retry: BackoffPolicy;
  readonly health: { readonly host: string; readonly port: number; readonly orFreePort?: boolean };
  /** Key of this adapter's checkpoint in `adapter-checkpoints`. */
  readonly checkpointKey: string;
  readonly log: Logger;
  /** The streams this adapter needs (LEGACY and DLQ always; RECEIPTS with a write-back). */
  readonly streams: readonly StreamName[];
  readonly legacyField?: (path: string) => string | undefined;
  /** Also export Node process metrics (one adapter per process). */
  readonly processMetrics?: boolean;
  /**
   * The data dir: the delivery journal is `<dataDir>/adapters/<adapter>.journal.jsonl` and its counts are
   * written to `<adapter>.counters.json` beside it. Without one the journal lives in memory only (set from
   * LEDGER_DATA_DIR, which `main.js` always sets).
   */
  readonly dataDir?: string;
  /** The source system of the records (named in the counters file). */
  readonly sourceSystem?: string;
  /** An envelope acknowledged but not receipted this long is published again (default 60 s). */
  readonly resendAfterMs?: number;
}

/** How often the counters file is rewritten while it changes. */
const COUNTERS_EVERY_MS = 1_000;

export class AdapterRuntime {
  readonly metrics: AdapterMetrics;
  readonly health: AdapterHealth;
  readonly publisher: LedgerPublisher;
  readonly journal: DeliveryJournal;
  readonly #controller = new AbortController();
  readonly #tasks: Promise<void>[] = [];
  #stopping: Promise<void> | undefined;

  private constructor(
    readonly options: RuntimeOptions,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly checkpointBucket: KV,
    readonly healthServer: HealthServer,
    metrics: AdapterMetrics,
    health: AdapterHealth,
  ) {
    this.metrics = metrics;
    this.health = health;
    const { dataDir } = options;
    this.journal = new DeliveryJournal(
      dataDir === undefined ? undefined : adapterJournalPath(dataDir, options.instance ?? options.adapter),
    );
    metrics.exposeJournal(() => this.journal.counts());
    health.journalCounts = () => this.journal.counts();
    // every record waiting out a NATS outage listens for shutdown
    setMaxListeners(0, this.#controller.signal);
    this.publisher = new LedgerPublisher({
      adapter: options.adapter,
      region: options.region,
      dept: options.dept,
      js,
      publishTimeoutMs: options.publishTimeoutMs,
      retry: options.retry,
      signal: this.signal,
      metrics,
      health,
      log: options.log,
      ensureStreams: async () => {
        await ensureStreams(jsm, options.streams);
      },
      legacyField: options.legacyField,
      journal: this.journal,
    });
    this.run('resend', () => this.#resendLoop());
    if (dataDir !== undefined) this.run('counters', () => this.#countersLoop(dataDir));
  }

  /** Starts `/healthz` first (so it answers while NATS is still coming up), then connects and prepares streams. */
  static async start(options: RuntimeOptions): Promise<AdapterRuntime> {
    const metrics = new AdapterMetrics(options.adapter, { processMetrics: options.processMetrics });
    const health = new AdapterHealth(options.adapter, metrics);
    const healthServer = await startHealthServer({ ...options.health, health, metrics });
    try {
      const nc = await connectNats(options, health);
      const js = jetstream(nc, { timeout: options.publishTimeoutMs });
      const prepared = await retrying(
        async () => {
          const jsm = await jetstreamManager(nc, { timeout: options.publishTimeoutMs });
          await ensureStreams(jsm, options.streams);
          const bucket = await new Kvm(js).create(ADAPTER_CHECKPOINT_BUCKET, { history: 5 });
          return { jsm, bucket };
        },
        {
          policy: options.retry,
          onRetry: (error) => {
            metrics.retries.inc({ operation: 'prepare-streams' });
            health.failed('prepare-streams', error);
            options.log.warn('waiting for JetStream', { error: errorMessage(error) });
          },
        },
      );
      return new AdapterRuntime(
        options,
        nc,
        js,
        prepared.jsm,
        prepared.bucket,
        healthServer,
        metrics,
        health,
      );
    } catch (error) {
      await healthServer.close();
      throw error;
    }
  }

  /** Aborts when the adapter is stopping. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get healthUrl(): string {
    return this.healthServer.url;
  }

  get log(): Logger {
    return this.options.log;
  }

  /** This adapter's checkpoint, read and written as JSON validated by `schema`. */
  checkpoints<C>(schema: z.ZodType<C>): CheckpointStore<C> {
    return new KvCheckpointStore(this.checkpointBucket, this.options.checkpointKey, schema, () =>
      new Kvm(this.js).create(ADAPTER_CHECKPOINT_BUCKET, { history: 5 }),
    );
  }

  /** Opens (creating when absent, never altering) another key-value bucket. */
  keyValue(bucket: string, options: Partial<KvOptions> = {}): Promise<KV> {
    return new Kvm(this.js).create(bucket, options);
  }

  /** Runs a long-lived task (a polling loop, a consumer) until {@link stop}; a crash is logged and stops the adapter. */
  run(name: string, task: (signal: AbortSignal) => Promise<void>): void {
    const running = task(this.signal).catch((error: unknown) => {
      if (error instanceof AbortedError || this.signal.aborted) return;
      this.log.error(`${name} failed; stopping`, { error: errorMessage(error) });
      this.health.failed(name, error);
      void this.stop();
    });
    this.#tasks.push(running);
  }

  /**
   * Publishes again what the journal holds as acknowledged but not receipted for `resendAfterMs` (doubling with
   * each re-send of an envelope; all of it with `afterMs` 0). Returns how many.
   */
  async resendUnreceipted(afterMs = this.options.resendAfterMs ?? DEFAULT_RESEND_AFTER_MS): Promise<number> {
    const due = this.journal.unreceipted(Date.now(), afterMs);
    for (const item of due) await this.publisher.resend(item);
    if (due.length > 0) this.log.info('re-sent envelopes that no receipt came for', { count: due.length });
    return due.length;
  }

  /** On start and then every `resendAfterMs`: the tail a nats-server lost before its flush comes back. */
  async #resendLoop(): Promise<void> {
    const every = this.options.resendAfterMs ?? DEFAULT_RESEND_AFTER_MS;
    while (!this.signal.aborted) {
      try {
        await this.resendUnreceipted();
      } catch (error) {
        if (this.signal.aborted) return;
        this.metrics.retries.inc({ operation: 'resend' });
        this.health.failed('resend', error);
      }
      await sleep(Math.max(250, Math.round(every / 4)), this.signal).catch(() => undefined);
    }
  }

  async #countersLoop(dataDir: string): Promise<void> {
    let last = '';
    while (!this.signal.aborted) {
      const now = JSON.stringify(this.journal.counts());
      if (now !== last) this.#writeCounters(dataDir);
      last = now;
      await sleep(COUNTERS_EVERY_MS, this.signal).catch(() => undefined);
    }
  }

  #writeCounters(dataDir: string): void {
    try {
      const instance = this.options.instance ?? this.options.adapter;
      writeAdapterCountersFile(
        dataDir,
        {
          adapter: this.options.adapter,
          sourceSystem: this.options.sourceSystem ?? null,
          region: this.options.region,
          dept: this.options.dept,
          updatedAt: new Date().toISOString(),
          journal: adapterJournalPath(dataDir, instance),
          ...this.journal.counts(),
        },
        instance,
      );
    } catch (error) {
      this.health.failed('counters-file', error);
    }
  }

  /** Stops the tasks, waits for them, closes `/healthz` and drains the NATS connection. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#controller.abort();
    await Promise.allSettled(this.#tasks);
    if (this.options.dataDir !== undefined) this.#writeCounters(this.options.dataDir);
    this.journal.close();
    await this.healthServer.close();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

const DEFAULT_RESEND_AFTER_MS = 60_000;

async function connectNats(options: RuntimeOptions, health: AdapterHealth): Promise<NatsConnection> {
  const nc = await connect({
    servers: options.natsUrl,
    name: `adapter-${options.adapter}-${options.region}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    timeout: 5_000,
    // no stack capture per request: a third of the publish cost, and our errors say what failed anyway
    noAsyncTraces: true,
  });
  health.natsConnected = true;
  options.log.info('connected to NATS', { url: options.natsUrl });
  void watchStatus(nc, health, options.log);
  return nc;
}

async function watchStatus(nc: NatsConnection, health: AdapterHealth, log: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'disconnect') {
      health.natsConnected = false;
      log.warn('NATS disconnected; reconnecting');
    } else if (status.type === 'reconnect') {
      health.natsConnected = true;
      log.info('NATS reconnected');
    }
  }
}
