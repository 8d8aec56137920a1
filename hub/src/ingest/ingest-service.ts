/**
 * Runs ingest: the durable pull consumer `hub-ingest` on LEGACY feeding the pipeline, and a poll of the
 * consumer's state for the lag metrics. `stop()` stops pulling, then drains: every message already taken is
 * processed and settled before it resolves (graceful shutdown).
 */
import { STREAMS } from '@approval-ledger/protocol';
import { type Logger } from 'pino';
import { DurableConsumer } from '../bus/durable-consumer';
import { type NatsBus } from '../bus/nats-bus';
import { type HubMetrics } from '../metrics/hub-metrics';
import { IngestPipeline, type IngestDeps, type IngestOptions } from './ingest-pipeline';

export const INGEST_DURABLE = 'hub-ingest';

export interface IngestServiceOptions extends IngestOptions {
  /** How long JetStream waits for an ack before redelivering (default 30 s). */
  readonly ackWaitMs?: number;
  /** How often the consumer lag is read for /metrics (default 2 s). */
  readonly lagPollMs?: number;
}

export class IngestService {
  #lagTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  private constructor(
    private readonly consumer: DurableConsumer,
    readonly pipeline: IngestPipeline,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
  ) {}

  static async start(
    bus: NatsBus,
    deps: Omit<IngestDeps, 'bus'>,
    options: IngestServiceOptions = {},
  ): Promise<IngestService> {
    const maxInFlight = options.maxInFlight ?? 4000;
    const consumer = await DurableConsumer.open(bus, {
      stream: STREAMS.LEGACY.name,
      durable: INGEST_DURABLE,
      filterSubject: 'legacy.>',
      ackWaitMs: options.ackWaitMs ?? 30_000,
      maxAckPending: maxInFlight * 4,
      prefetch: Math.min(1000, maxInFlight),
    });
    const pipeline = new IngestPipeline({ ...deps, bus }, { ...options, maxInFlight });
    const service = new IngestService(consumer, pipeline, deps.metrics, deps.logger);
    service.#running = consumer.run(
      (msg) => pipeline.accept(msg),
      (error) => deps.logger.warn({ err: error }, 'ingest consumer interrupted; resuming'),
    );
    service.#lagTimer = setInterval(() => void service.#pollLag(), options.lagPollMs ?? 2000);
    service.#lagTimer.unref();
    return service;
  }

  async #pollLag(): Promise<void> {
    try {
      const state = await this.consumer.state();
      this.metrics.consumerLag.set(state.numPending);
      this.metrics.consumerAckPending.set(state.numAckPending);
    } catch (error) {
      this.logger.debug({ err: error }, 'could not read the ingest consumer state');
    }
  }

  /** Current lag of the consumer (messages not yet delivered, delivered but not acked). */
  state(): ReturnType<DurableConsumer['state']> {
    return this.consumer.state();
  }

  /** Stops pulling and waits until every message taken is settled. */
  async stop(): Promise<void> {
    clearInterval(this.#lagTimer);
    await this.consumer.stop();
    await this.#running;
    await this.pipeline.drain();
  }
}
