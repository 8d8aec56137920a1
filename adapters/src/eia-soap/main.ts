/** eia-soap: the SOAP client on the adapter core. */
import { type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { startPollingAdapter } from '../core/start-adapter';
import { ADAPTER_NAME, type EiaSoapConfig } from './config';
import { EiaCheckpointSchema, EiaSoapClient } from './eia-soap-client';
import { legacyField } from './to-envelope';

export async function startEiaSoapAdapter(
  config: EiaSoapConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  return startPollingAdapter(config, options, {
    name: ADAPTER_NAME,
    dept: 'EE',
    legacyField,
    checkpointSchema: EiaCheckpointSchema,
    client: () => new EiaSoapClient(config),
    started: ['querying', { endpoint: config.soap.endpoint }],
  });
}
