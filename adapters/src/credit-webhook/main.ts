/** credit-webhook: the signed webhook endpoint wired into the adapter core, and its shutdown. */
import { runReceiptConsumer } from '../core/receipts-consumer';
import { type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { startAdapterRuntime } from '../core/start-adapter';
import { ADAPTER_NAME, creditWebhookSettings, type CreditWebhookConfig } from './config';
import { KvDeliveryLog, startCreditWebhookServer } from './credit-webhook-client';
import { legacyField } from './to-envelope';

export interface RunningCreditWebhook extends RunningAdapter {
  /** Where the credit centre POSTs. */
  readonly webhookUrl: string;
}

export async function startCreditWebhookAdapter(
  config: CreditWebhookConfig,
  options: StartOptions,
): Promise<RunningCreditWebhook> {
  const settings = creditWebhookSettings(config, options.env);
  const runtime = await startAdapterRuntime(config, options, {
    name: ADAPTER_NAME,
    dept: 'CREDIT',
    legacyField,
  });
  try {
    const ttl = 2 * config.webhook.toleranceSeconds * 1000;
    const deliveries = new KvDeliveryLog(
      await runtime.keyValue(config.webhook.deliveriesBucket, { ttl, history: 1 }),
    );
    const inFlight = { count: 0 };
    runtime.health.backlogProbe = () => Promise.resolve(inFlight.count);
    const server = await startCreditWebhookServer({
      settings,
      deliveries,
      inFlight,
      stopSignal: runtime.signal,
      orFreePort: options.orFreePorts,
      log: runtime.log,
      deliver: async (record, signal) => {
        const outcome = await runtime.publisher.deliver(record, signal);
        runtime.health.legacyContact(true);
        options.onBatch?.([outcome]);
        return outcome;
      },
    });
    runtime.run('receipts', () => runReceiptConsumer(runtime, { sourceSystem: config.sourceSystem }));
    runtime.log.info('listening', { webhook: server.url, health: runtime.healthUrl });
    return {
      name: ADAPTER_NAME,
      healthUrl: runtime.healthUrl,
      webhookUrl: server.url,
      runtime,
      stop: async () => {
        await server.close();
        await runtime.stop();
      },
    };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
