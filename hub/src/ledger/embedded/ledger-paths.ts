import { join } from 'node:path';

/** Where the embedded ledger keeps its files inside a data directory. */
export function embeddedLedgerPaths(dataDir: string): {
  dir: string;
  database: string;
  msp: string;
  lock: string;
} {
  const dir = join(dataDir, 'ledger');
  return { dir, database: join(dir, 'ledger.sqlite'), msp: join(dir, 'msp'), lock: join(dir, 'ledger.lock') };
}
