/**
 * The off-chain store's TypeORM DataSource: SQLite (better-sqlite3, WAL) at `<dataDir>/offchain.sqlite` when no
 * `DATABASE_URL` is given, MySQL/MariaDB (mysql2, utf8mb4) for `mysql://` or `mariadb://` URLs. Migrations are
 * the explicit list of the dialect and run when the DataSource initialises; `synchronize` is always off.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { type Dialect } from './column-types';
import { STORE_ENTITIES } from './entities';
import { StoreConfigError } from './errors';
import { MYSQL_MIGRATIONS } from './migrations/mysql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';

export interface StoreOptions {
  /** The data directory; SQLite lives in `<dataDir>/offchain.sqlite`. */
  readonly dataDir: string;
  /** `mysql://user:password@host:port/database` (or `mariadb://`); unset or empty: SQLite. */
  readonly databaseUrl?: string;
  /** Log every SQL statement (TypeORM's logger). */
  readonly logging?: boolean;
  /** MySQL connection pool size (default 10). */
  readonly poolSize?: number;
  /**
   * SQLite `synchronous` (default NORMAL: with WAL, a committed transaction survives a kill -9 of the process;
   * FULL also survives power loss, at an fsync per commit).
   */
  readonly sqliteSynchronous?: 'NORMAL' | 'FULL';
}

/** The file of the SQLite store in a data directory. */
export function sqliteStorePath(dataDir: string): string {
  return join(dataDir, 'offchain.sqlite');
}

/** Which database the options point at. */
export function storeDialect(options: StoreOptions): Dialect {
  const url = options.databaseUrl;
  if (url === undefined || url === '') return 'sqlite';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  throw new StoreConfigError(
    `DATABASE_URL must be a mysql:// or mariadb:// URL, or unset for SQLite in the data dir; got ${redact(url)}`,
    'DATABASE_URL',
  );
}

/** A DataSource for the options, not yet initialised (`initialize()` connects and runs the migrations). */
export function createStoreDataSource(options: StoreOptions): DataSource {
  const common = {
    entities: STORE_ENTITIES,
    synchronize: false,
    migrationsRun: true,
    migrationsTableName: 'store_migrations',
    migrationsTransactionMode: 'each',
    logging: options.logging ?? false,
  } as const;
  if (storeDialect(options) === 'sqlite') {
    mkdirSync(options.dataDir, { recursive: true });
    const synchronous = options.sqliteSynchronous ?? 'NORMAL';
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: sqliteStorePath(options.dataDir),
      migrations: SQLITE_MIGRATIONS,
      enableWAL: true,
      statementCacheSize: 500,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma(`synchronous = ${synchronous}`);
        // checkpoint the WAL every ~40 MB instead of every 4 MB: checkpoints (and their fsyncs) dominated
        // batched inserts; the file is truncated back to 64 MB after each one
        db.pragma('wal_autocheckpoint = 10000');
        db.pragma('journal_size_limit = 67108864');
        db.pragma('foreign_keys = ON');
        // statement journals (a statement inside a transaction that may have to undo itself alone) in memory,
        // not in temp files under /var/tmp: one write() per page otherwise
        db.pragma('temp_store = MEMORY');
      },
    });
  }
  return new DataSource({
    ...common,
    type: 'mysql',
    url: toMysqlUrl(options.databaseUrl ?? ''),
    migrations: MYSQL_MIGRATIONS,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    poolSize: options.poolSize ?? 10,
  });
}

/** mysql2 reads `mysql://` URLs; `mariadb://` means the same server protocol. */
function toMysqlUrl(url: string): string {
  return url.replace(/^mariadb:\/\//i, 'mysql://');
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
