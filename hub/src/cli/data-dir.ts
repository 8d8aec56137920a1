import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tokenSigningKeyPath } from '../auth';
import { ConfigError, type HubConfig, loadConfig } from '../config';
import { CliFailure } from './cli-failure';

/** The repository root (this file is `hub/src/cli/` or `hub/dist/cli/`). */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

/** The data directory: `LEDGER_DATA_DIR`, else `<repository>/.data` (where `npm start` keeps its state). */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.LEDGER_DATA_DIR;
  return configured !== undefined && configured !== ''
    ? resolve(configured)
    : resolve(REPOSITORY_ROOT, '.data');
}

/**
 * Refuses a data dir where no hub has started (no token-signing key): a command that signs with the hub's key
 * or reads its store would otherwise create a new, empty data dir and a key the running hub does not know.
 */
export function requireHubDataDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const key = tokenSigningKeyPath(dataDir);
  if (existsSync(key)) return;
  const chosen =
    env.LEDGER_DATA_DIR !== undefined && env.LEDGER_DATA_DIR !== ''
      ? `from LEDGER_DATA_DIR=${env.LEDGER_DATA_DIR}`
      : 'LEDGER_DATA_DIR is unset: the data dir npm start uses';
  throw new CliFailure(
    `no hub has started in ${dataDir} (${chosen}): there is no hub signing key at ${key}. ` +
      'Start the hub first (npm start), or set LEDGER_DATA_DIR to the data dir of the running hub.',
    2,
  );
}

/**
 * The hub's configuration as a CLI command reads it: the same variables and rules as the hub (config.ts), read
 * once per command, with the data dir {@link dataDirectory} finds (or `dataDir`). A bad value exits 2, naming it.
 */
export function cliConfig(env: NodeJS.ProcessEnv = process.env, dataDir = dataDirectory(env)): HubConfig {
  try {
    return loadConfig({ ...env, LEDGER_DATA_DIR: dataDir });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(error.message, 2);
    throw error;
  }
}
