import { resolve } from 'node:path';

/** The repository root (this file is `hub/src/cli/` or `hub/dist/cli/`). */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

/** The data directory: `LEDGER_DATA_DIR`, else `<repository>/.data`. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.LEDGER_DATA_DIR;
  return configured !== undefined && configured !== ''
    ? resolve(configured)
    : resolve(REPOSITORY_ROOT, '.data');
}
