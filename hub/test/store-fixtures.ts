// Records and a two-backend harness for the off-chain store's suites (SQLite, and MariaDB through the testkit).
import {
  sha256Hex,
  type Certificate,
  type CertificateRevocation,
  type Milestone,
} from '@approval-ledger/protocol';
import {
  numberedMilestone,
  sampleCertificate,
  sampleProjectCode,
  sampleRevocation,
} from '@approval-ledger/protocol/testing';
import { useMariaDb } from '@approval-ledger/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, type StoreOptions, createStoreDataSource, openStore } from '../src/store';

export type Backend = 'sqlite' | 'mariadb';
export const BACKENDS: readonly Backend[] = ['sqlite', 'mariadb'];

export interface StoreHarness {
  /** Options for a fresh, empty store (a new temp dir; on MariaDB also a new database). */
  freshOptions(): Promise<StoreOptions>;
  /** Opens a store (closed after the test). */
  open(options?: StoreOptions): Promise<Store>;
}

let databases = 0;

/** Inside a `describe()`: fresh stores on the given backend, closed and removed after each test. */
export function useStoreBackend(backend: Backend): StoreHarness {
  const mariadb = backend === 'mariadb' ? useMariaDb() : undefined;
  const opened: Store[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const freshOptions = async (): Promise<StoreOptions> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-store-test-'));
    dirs.push(dataDir);
    if (mariadb === undefined) return { dataDir };
    const databaseUrl = await mariadb().createDatabase(`store_${process.pid}_${++databases}`);
    return { dataDir, databaseUrl };
  };
  return {
    freshOptions,
    async open(options) {
      const store = await openStore(options ?? (await freshOptions()));
      opened.push(store);
      return store;
    },
  };
}

const PERMIT = '建字第110105202500012号';

/** The n-th Beijing environmental-review milestone of project `project`. */
export function milestone(n: number, overrides: Partial<Milestone> = {}, project = 318): Milestone {
  return numberedMilestone(n, { projectCode: sampleProjectCode('BJ', project), ...overrides });
}

/** Beijing's construction permit 建字第110105202500012号, with its scanned document. */
export function certificate(overrides: Partial<Certificate> = {}): Certificate {
  return sampleCertificate({
    number: PERMIT,
    documents: [{ name: '施工许可证.pdf', sha256: sha256Hex('permit'), bytes: 120000 }],
    ...overrides,
  });
}

export function revocation(overrides: Partial<CertificateRevocation> = {}): CertificateRevocation {
  return sampleRevocation({ number: PERMIT, ...overrides });
}

export { sampleCreditEvent as creditEvent } from '@approval-ledger/protocol/testing';

/** Runs `work` on a second DataSource over the same database (raw SQL for checks the repositories hide). */
export async function withRawDataSource<T>(
  options: StoreOptions,
  work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const dataSource = createStoreDataSource(options);
  await dataSource.initialize();
  try {
    return await work((sql, params) => dataSource.query(sql, params));
  } finally {
    await dataSource.destroy();
  }
}

/** `SELECT COUNT(*)` of a table, as a number. */
export async function countRows(options: StoreOptions, table: string): Promise<number> {
  return withRawDataSource(options, async (query) => {
    const rows = (await query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
    return Number(rows[0]?.n);
  });
}
