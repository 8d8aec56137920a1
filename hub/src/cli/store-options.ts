/** The store of the CLI's data dir: SQLite in it, or DATABASE_URL when set (as the hub). */
import { type StoreOptions } from '../store';

export function cliStoreOptions(dataDir: string, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL;
  return databaseUrl === undefined || databaseUrl === '' ? { dataDir } : { dataDir, databaseUrl };
}
