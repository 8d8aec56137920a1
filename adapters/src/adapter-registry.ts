/** The four adapters by name: their config schema, default config file, and start function. */
import { defaultConfigPath, loadConfigFile } from './core/adapter-config';
import { type RunningAdapter, type StartOptions } from './core/running-adapter';
import { CreditWebhookConfigSchema, type CreditWebhookConfig } from './credit-webhook/config';
import { startCreditWebhookAdapter } from './credit-webhook/main';
import { DrcCsvConfigSchema, type DrcCsvConfig } from './drc-csv/config';
import { startDrcCsvAdapter } from './drc-csv/main';
import { EiaSoapConfigSchema, type EiaSoapConfig } from './eia-soap/config';
import { startEiaSoapAdapter } from './eia-soap/main';
import { HcMysqlConfigSchema, type HcMysqlConfig } from './hc-mysql/config';
import { startHcMysqlAdapter } from './hc-mysql/main';

export const ADAPTER_NAMES = ['hc-mysql', 'drc-csv', 'eia-soap', 'credit-webhook'] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export interface AdapterConfigs {
  'hc-mysql': HcMysqlConfig;
  'drc-csv': DrcCsvConfig;
  'eia-soap': EiaSoapConfig;
  'credit-webhook': CreditWebhookConfig;
}

export function isAdapterName(name: string): name is AdapterName {
  return (ADAPTER_NAMES as readonly string[]).includes(name);
}

/** Reads and validates an adapter's config file (default `config/<name>.json`). */
export function loadAdapterConfig<N extends AdapterName>(
  name: N,
  path = defaultConfigPath(name),
): AdapterConfigs[N] {
  const schemas = {
    'hc-mysql': HcMysqlConfigSchema,
    'drc-csv': DrcCsvConfigSchema,
    'eia-soap': EiaSoapConfigSchema,
    'credit-webhook': CreditWebhookConfigSchema,
  };
  return loadConfigFile(schemas[name], path) as AdapterConfigs[N];
}

export function startAdapter<N extends AdapterName>(
  name: N,
  config: AdapterConfigs[N],
  options: StartOptions,
): Promise<RunningAdapter> {
  const starters: { [K in AdapterName]: (c: AdapterConfigs[K], o: StartOptions) => Promise<RunningAdapter> } =
    {
      'hc-mysql': startHcMysqlAdapter,
      'drc-csv': startDrcCsvAdapter,
      'eia-soap': startEiaSoapAdapter,
      'credit-webhook': startCreditWebhookAdapter,
    };
  return (starters[name] as (c: AdapterConfigs[N], o: StartOptions) => Promise<RunningAdapter>)(
    config,
    options,
  );
}
