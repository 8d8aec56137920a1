/** The store of the CLI's data dir: SQLite in it, or DATABASE_URL when set, exactly as the hub reads them. */
import { storeOptionsOf } from '../config';
import { type StoreOptions } from '../store';
import { cliConfig } from './data-dir';

export function cliStoreOptions(dataDir: string, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  return storeOptionsOf(cliConfig(env, dataDir));
}
