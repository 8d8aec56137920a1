/**
 * Mirrors the DLQ stream (the hub's and the adapters' dead letters) into the store's `dead_letters` table,
 * keyed by stream sequence, for `ledger dlq list|show|replay` and the operators' API. A durable consumer:
 * nothing is missed while the hub is down, and a re-delivery is a no-op.
 */
import { DLQ_HEADERS, STREAMS } from '@approval-ledger/protocol';
import { type Logger } from 'pino';
import { type DeliveredMessage, DurableConsumer } from '../bus/durable-consumer';
import { type NatsBus } from '../bus/nats-bus';
import { type Store } from '../store';

export const DLQ_MIRROR_DURABLE = 'hub-dlq-mirror';

export class DeadLetterMirror {
  #running: Promise<void> | undefined;

  private constructor(
    private readonly consumer: DurableConsumer,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  static async start(bus: NatsBus, store: Store, logger: Logger): Promise<DeadLetterMirror> {
    const consumer = await DurableConsumer.open(bus, {
      stream: STREAMS.DLQ.name,
      durable: DLQ_MIRROR_DURABLE,
      filterSubject: 'ledger.dlq.>',
      prefetch: 200,
    });
    const mirror = new DeadLetterMirror(consumer, store, logger);
    mirror.#running = consumer.run(
      (msg) => mirror.#save(msg),
      (error) => logger.warn({ err: error }, 'dead-letter mirror interrupted; resuming'),
    );
    return mirror;
  }

  async #save(msg: DeliveredMessage): Promise<void> {
    try {
      await this.store.deadLetters.save({
        streamSeq: msg.streamSeq,
        subject: msg.subject,
        originSubject: msg.header(DLQ_HEADERS.subject) ?? null,
        reason: msg.header(DLQ_HEADERS.reason) ?? '(no reason given)',
        code: msg.header(DLQ_HEADERS.code) ?? 'unknown',
        sourceKey: msg.header(DLQ_HEADERS.source) ?? null,
        headers: msg.headers,
        payload: msg.data,
        receivedAt: new Date(),
      });
      msg.ack();
    } catch (error) {
      this.logger.warn({ err: error, seq: msg.streamSeq }, 'could not mirror a dead letter; will retry');
      msg.nak(2000);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.#running;
  }
}
