/** drc-csv: wiring of the file-drop client into the adapter core, and its shutdown. */
import { AdapterRuntime } from '../core/adapter-runtime';
import { runPollingLoop } from '../core/polling-loop';
import { runReceiptConsumer } from '../core/receipts-consumer';
import { runtimeOptions, type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { ADAPTER_NAME, drcDirectories, type DrcCsvConfig } from './config';
import { DrcCheckpointSchema, DrcCsvClient } from './drc-csv-client';
import { legacyField } from './to-envelope';

export async function startDrcCsvAdapter(
  config: DrcCsvConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  const dirs = drcDirectories(config, options.env);
  const runtime = await AdapterRuntime.start(
    runtimeOptions(config, options, {
      name: ADAPTER_NAME,
      dept: 'DRC',
      streams: ['LEGACY', 'DLQ', 'RECEIPTS'],
      legacyField,
    }),
  );
  const client = new DrcCsvClient(config, dirs, runtime.log);
  const checkpoints = runtime.checkpoints(DrcCheckpointSchema);
  runtime.run('poll', () =>
    runPollingLoop(runtime, client, checkpoints, {
      pollIntervalMs: config.pollIntervalMs,
      onBatch: options.onBatch,
    }),
  );
  runtime.run('receipts', () => runReceiptConsumer(runtime, { sourceSystem: config.sourceSystem }));
  runtime.log.info('watching', { inbox: dirs.inbox, health: runtime.healthUrl });
  return { name: ADAPTER_NAME, healthUrl: runtime.healthUrl, runtime, stop: () => runtime.stop() };
}
