/** hc-mysql: the permit-table client on the adapter core, with the write-back of receipts where configured. */
import { type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { startPollingAdapter } from '../core/start-adapter';
import { HcCheckpointSchema } from './change-capture';
import { ADAPTER_NAME, hcMysqlSettings, type HcMysqlConfig } from './config';
import { HcMysqlClient } from './hc-mysql-client';
import { legacyField } from './to-envelope';

export async function startHcMysqlAdapter(
  config: HcMysqlConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  const settings = hcMysqlSettings(config, options.env);
  const { host, port, database, table } = config.mysql;
  return startPollingAdapter(config, options, {
    name: ADAPTER_NAME,
    dept: 'HC',
    legacyField,
    checkpointSchema: HcCheckpointSchema,
    client: () => new HcMysqlClient(settings),
    writeBack: config.writeBack,
    started: ['reading', { table: `${host}:${port}/${database}.${table}` }],
  });
}
