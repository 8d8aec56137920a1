/**
 * The legacy systems `main.js --all` (and so `npm start`) simulates, region by region. Beijing runs all four
 * adapters; Tianjin and Hebei each run their own DRC filing export, EIA SOAP service and credit centre (a permit
 * database each would be two more MariaDB servers on a laptop for no new behaviour: Beijing's shows it). Each
 * system is one adapter instance with its own config file (`config/<name>.json` for Beijing, `config/tj/…`,
 * `config/he/…`: region, source system, ports, inbox), its own files in the data dir (`<instance>.journal.jsonl`,
 * `<instance>.counters.json`, `<instance>.runtime.json`, `legacy/<instance>/`) and its own checkpoint
 * (`<adapter>.<region>`), so the three regions' records meet only on NATS and the ledger.
 */
import { join } from 'node:path';
import { REGION_CODES, type RegionCode } from '@approval-ledger/protocol';
import { type AdapterName } from './adapter-registry';
import { defaultConfigPath, PACKAGE_DIR, type AdapterEnv } from './core/adapter-config';

export interface SimulatedSystem {
  readonly adapter: AdapterName;
  readonly region: RegionCode;
  /** The adapter's name for Beijing (as before regions), `<adapter>-<region>` otherwise: `drc-csv-tj`. */
  readonly instance: string;
}

/** Which adapters run against a simulator in each region. */
export const SIMULATED_ADAPTERS: Readonly<Record<RegionCode, readonly AdapterName[]>> = {
  BJ: ['hc-mysql', 'drc-csv', 'eia-soap', 'credit-webhook'],
  TJ: ['drc-csv', 'eia-soap', 'credit-webhook'],
  HE: ['drc-csv', 'eia-soap', 'credit-webhook'],
};

export function instanceName(adapter: AdapterName, region: RegionCode): string {
  return region === 'BJ' ? adapter : `${adapter}-${region.toLowerCase()}`;
}

export const SIMULATED_SYSTEMS: readonly SimulatedSystem[] = REGION_CODES.flatMap((region) =>
  SIMULATED_ADAPTERS[region].map((adapter) => ({ adapter, region, instance: instanceName(adapter, region) })),
);

/** `config/<name>.json` for Beijing, `config/<region>/<name>.json` (lower case) for the others. */
export function regionalConfigPath(
  adapter: AdapterName,
  region: RegionCode,
  env: AdapterEnv = process.env,
): string {
  if (region === 'BJ') return defaultConfigPath(adapter, env);
  const dir = env.ADAPTERS_CONFIG_DIR ?? join(PACKAGE_DIR, 'config');
  return join(dir, region.toLowerCase(), `${adapter}.json`);
}
