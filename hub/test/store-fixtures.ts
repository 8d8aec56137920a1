// Records and a two-backend harness for the off-chain store's suites (SQLite, and MariaDB through the testkit).
import {
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type Milestone,
} from '@approval-ledger/protocol';
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

const pad = (n: number, width = 6): string => String(n).padStart(width, '0');

/** A 64-hex-digit value derived from a label (document digests in fixtures). */
export function hex64(label: string | number): string {
  let out = '';
  let x = 0x9e3779b9;
  for (const ch of String(label)) x = Math.imul(x ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  while (out.length < 64) {
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** The n-th Beijing environmental-review milestone of project `project`. */
export function milestone(n: number, overrides: Partial<Milestone> = {}, project = 318): Milestone {
  return {
    id: `BJ-EE-EIA-2025-${pad(n)}`,
    projectCode: `2025-110105-47-03-${pad(project)}`,
    projectName: '朝阳区望京科技园三期研发楼',
    projectType: 'COMMERCIAL',
    region: 'BJ',
    dept: 'EE',
    stage: 'EIA',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    documentNo: `京环审〔2025〕${n}号`,
    documents: [{ name: '批复文件.pdf', sha256: hex64(`doc-${n}`), bytes: 482113 }],
    source: { system: 'bj-eia', recordId: `EIA-2025-${pad(n)}`, version: 1 },
    dataClass: 'internal',
    details: { category: '报告书', floors: 12 },
    ...overrides,
  };
}

export function certificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    number: '建字第110105202500012号',
    type: 'CONSTRUCTION_PERMIT',
    projectCode: '2025-110105-47-03-000318',
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    issuedAt: '2025-03-10T09:30:00+08:00',
    validFrom: '2025-03-10T00:00:00+08:00',
    validUntil: '2026-03-10T00:00:00+08:00',
    documents: [{ name: '施工许可证.pdf', sha256: hex64('permit'), bytes: 120000 }],
    source: { system: 'bj-hc-sgxk', recordId: '110105202503100101', version: 1 },
    dataClass: 'public',
    ...overrides,
  };
}

export function revocation(overrides: Partial<CertificateRevocation> = {}): CertificateRevocation {
  return {
    number: '建字第110105202500012号',
    region: 'BJ',
    dept: 'HC',
    reason: '建设单位申请注销',
    revokedAt: '2025-06-01T10:00:00+08:00',
    source: { system: 'bj-hc-sgxk', recordId: '110105202503100101-R', version: 1 },
    ...overrides,
  };
}

export function creditEvent(overrides: Partial<CreditEvent> = {}): CreditEvent {
  return {
    id: 'TJ-CREDIT-2025-000123',
    uscc: '91120116MA05TJ2N2H',
    enterpriseName: '天津滨海智造科技有限公司',
    level: 'A',
    dishonest: false,
    evaluatedAt: '2025-03-01T00:00:00+08:00',
    region: 'TJ',
    source: { system: 'tj-credit', recordId: '000123', version: 2 },
    dataClass: 'public',
    ...overrides,
  };
}

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
