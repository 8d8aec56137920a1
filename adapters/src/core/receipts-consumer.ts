/**
 * Anchoring receipts: a durable pull consumer on RECEIPTS filtered to the adapter's `ledger.receipt.<region>.<dept>`.
 * Every receipt of our source system is written to the delivery journal (what stops the re-sending of that
 * envelope); with a write-back, it also goes into the legacy system, acked after the write-back, `nak` with
 * delay when the legacy system is down. A receipt that is not one is terminated.
 */
import { ReceiptSchema, STREAMS, receiptSubject, validate, type Receipt } from '@approval-ledger/protocol';
import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { type AdapterRuntime } from './adapter-runtime';
import { backoffDelay, sleep } from './backoff';
import { errorMessage } from './logger';
import { ensureStreams } from '@approval-ledger/protocol/nats';

/** Writes a receipt's result into the legacy system; resolves once it is stored there. */
export type WriteBack = (receipt: Receipt) => Promise<'written' | 'ignored'>;

export interface ReceiptConsumerOptions {
  /** Only receipts of records from this source system are for us (`recordId` starts with `system:`). */
  readonly sourceSystem: string;
  /** Without one, receipts only go to the journal. */
  readonly writeBack?: WriteBack;
  readonly ackWaitMs?: number;
}

export function consumerName(runtime: AdapterRuntime): string {
  return `adapter-${runtime.options.adapter}-${runtime.options.region}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

export async function runReceiptConsumer(
  runtime: AdapterRuntime,
  options: ReceiptConsumerOptions,
): Promise<void> {
  const { signal, log } = runtime;
  let failures = 0;
  while (!signal.aborted) {
    try {
      await consumeReceipts(runtime, options);
      failures = 0;
    } catch (error) {
      if (signal.aborted) break;
      runtime.metrics.retries.inc({ operation: 'receipts' });
      runtime.health.failed('receipts', error);
      log.warn('receipt consumer failed; retrying', { error: errorMessage(error) });
      await sleep(backoffDelay(failures++, runtime.options.retry), signal).catch(() => undefined);
    }
  }
}

async function consumeReceipts(runtime: AdapterRuntime, options: ReceiptConsumerOptions): Promise<void> {
  const { jsm, js, signal } = runtime;
  const name = consumerName(runtime);
  const stream = STREAMS.RECEIPTS.name;
  await ensureStreams(jsm, ['RECEIPTS']); // gone with a lost JetStream store: the hub re-creates it too
  await jsm.consumers.info(stream, name).catch(() =>
    jsm.consumers.add(stream, {
      durable_name: name,
      filter_subject: receiptSubject(runtime.options.region, runtime.options.dept),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_deliver: -1,
    }),
  );
  const consumer = await js.consumers.get(stream, name);
  // a consumer lost with the JetStream store ends the loop, and the next round re-creates it
  const messages = await consumer.consume({ max_messages: 64, abort_on_missing_resource: true });
  const stop = (): void => void messages.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const message of messages) {
      await handleReceipt(runtime, options, message);
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function handleReceipt(
  runtime: AdapterRuntime,
  options: ReceiptConsumerOptions,
  message: JsMsg,
): Promise<void> {
  const receipt = parseReceipt(message);
  if (receipt === undefined) {
    runtime.metrics.writeBacks.inc({ status: 'invalid-receipt' });
    runtime.log.warn('not a receipt; terminated', { subject: message.subject, seq: message.seq });
    // a plain +TERM: nats-server before 2.10 redelivers a term that carries a reason, forever
    message.term();
    return;
  }
  if (!receipt.recordId.startsWith(`${options.sourceSystem}:`)) {
    message.ack();
    return;
  }
  runtime.journal.receipted(receipt.recordId, receipt.status);
  if (options.writeBack === undefined) {
    message.ack();
    return;
  }
  try {
    const outcome = await options.writeBack(receipt);
    runtime.metrics.writeBacks.inc({ status: outcome });
    runtime.health.succeeded();
    message.ack();
  } catch (error) {
    runtime.metrics.writeBacks.inc({ status: 'failed' });
    runtime.metrics.retries.inc({ operation: 'write-back' });
    runtime.health.failed('write-back', error);
    message.nak(backoffDelay(message.info.deliveryCount, runtime.options.retry) + 100);
  }
}

function parseReceipt(message: JsMsg): Receipt | undefined {
  try {
    const result = validate(ReceiptSchema, message.json());
    return result.ok ? result.value : undefined;
  } catch {
    return undefined;
  }
}
