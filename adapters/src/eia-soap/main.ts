/** eia-soap: wiring of the SOAP client into the adapter core, and its shutdown. */
import { AdapterRuntime } from '../core/adapter-runtime';
import { runPollingLoop } from '../core/polling-loop';
import { runReceiptConsumer } from '../core/receipts-consumer';
import { runtimeOptions, type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { ADAPTER_NAME, type EiaSoapConfig } from './config';
import { EiaCheckpointSchema, EiaSoapClient } from './eia-soap-client';
import { legacyField } from './to-envelope';

export async function startEiaSoapAdapter(
  config: EiaSoapConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  const runtime = await AdapterRuntime.start(
    runtimeOptions(config, options, {
      name: ADAPTER_NAME,
      dept: 'EE',
      streams: ['LEGACY', 'DLQ', 'RECEIPTS'],
      legacyField,
    }),
  );
  const client = new EiaSoapClient(config);
  const checkpoints = runtime.checkpoints(EiaCheckpointSchema);
  runtime.run('poll', () =>
    runPollingLoop(runtime, client, checkpoints, {
      pollIntervalMs: config.pollIntervalMs,
      onBatch: options.onBatch,
    }),
  );
  runtime.run('receipts', () => runReceiptConsumer(runtime, { sourceSystem: config.sourceSystem }));
  runtime.log.info('querying', { endpoint: config.soap.endpoint, health: runtime.healthUrl });
  return { name: ADAPTER_NAME, healthUrl: runtime.healthUrl, runtime, stop: () => runtime.stop() };
}
