/** hc-mysql: wiring of the permit-table client into the adapter core, and its shutdown. */
import { AdapterRuntime } from '../core/adapter-runtime';
import { runPollingLoop } from '../core/polling-loop';
import { runReceiptConsumer } from '../core/receipts-consumer';
import { runtimeOptions, type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { HcCheckpointSchema } from './change-capture';
import { ADAPTER_NAME, hcMysqlSettings, type HcMysqlConfig } from './config';
import { HcMysqlClient } from './hc-mysql-client';
import { legacyField } from './to-envelope';

export async function startHcMysqlAdapter(
  config: HcMysqlConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  const settings = hcMysqlSettings(config, options.env);
  const runtime = await AdapterRuntime.start(
    runtimeOptions(config, options, {
      name: ADAPTER_NAME,
      dept: 'HC',
      streams: ['LEGACY', 'DLQ', 'RECEIPTS'],
      legacyField,
    }),
  );
  const client = new HcMysqlClient(settings);
  const checkpoints = runtime.checkpoints(HcCheckpointSchema);
  runtime.run('poll', () =>
    runPollingLoop(runtime, client, checkpoints, {
      pollIntervalMs: config.pollIntervalMs,
      onBatch: options.onBatch,
    }),
  );
  runtime.run('receipts', () =>
    runReceiptConsumer(runtime, {
      sourceSystem: config.sourceSystem,
      writeBack: config.writeBack ? (r) => client.writeBack(r) : undefined,
    }),
  );
  runtime.log.info('reading', {
    table: `${config.mysql.host}:${config.mysql.port}/${config.mysql.database}.${config.mysql.table}`,
    health: runtime.healthUrl,
  });
  return {
    name: ADAPTER_NAME,
    healthUrl: runtime.healthUrl,
    runtime,
    stop: async () => {
      await runtime.stop();
      await client.close();
    },
  };
}
