/** drc-csv: the file-drop client on the adapter core. */
import { type RunningAdapter, type StartOptions } from '../core/running-adapter';
import { startPollingAdapter } from '../core/start-adapter';
import { ADAPTER_NAME, drcDirectories, type DrcCsvConfig } from './config';
import { DrcCheckpointSchema, DrcCsvClient } from './drc-csv-client';
import { legacyField } from './to-envelope';

export async function startDrcCsvAdapter(
  config: DrcCsvConfig,
  options: StartOptions,
): Promise<RunningAdapter> {
  const dirs = drcDirectories(config, options.env);
  return startPollingAdapter(config, options, {
    name: ADAPTER_NAME,
    dept: 'DRC',
    legacyField,
    checkpointSchema: DrcCheckpointSchema,
    client: (runtime) => new DrcCsvClient(config, dirs, runtime.log),
    started: ['watching', { inbox: dirs.inbox }],
  });
}
