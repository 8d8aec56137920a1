/**
 * The off-chain store: one repository per aggregate over one DataSource. `openStore()` connects, runs the
 * migrations and returns it; `store.transaction()` gives the same repositories bound to one transaction.
 */
import { type DataSource } from 'typeorm';
import { type Dialect } from './column-types';
import { createStoreDataSource, sqliteStorePath, storeDialect, type StoreOptions } from './data-source';
import { type AuditLogRepository } from './repositories/audit-log.repository';
import { type DeadLetterRepository } from './repositories/dead-letter.repository';
import { type ReceiptRepository } from './repositories/receipt.repository';
import { type RecognitionRepository } from './repositories/recognition.repository';
import { type ReconciliationRepository } from './repositories/reconciliation.repository';
import { type RecordRepository } from './repositories/record.repository';
import { type TokenRepository } from './repositories/token.repository';
import { TypeormAuditLogRepository } from './repositories/typeorm-audit-log.repository';
import { TypeormDeadLetterRepository } from './repositories/typeorm-dead-letter.repository';
import { TypeormReceiptRepository } from './repositories/typeorm-receipt.repository';
import { TypeormRecognitionRepository } from './repositories/typeorm-recognition.repository';
import { TypeormReconciliationRepository } from './repositories/typeorm-reconciliation.repository';
import { TypeormRecordRepository } from './repositories/typeorm-record.repository';
import { TypeormTokenRepository } from './repositories/typeorm-token.repository';
import { dataSourceExecutor, type SqlExecutor, transactionExecutor } from './sql-executor';
import { SqliteReader } from './sqlite-reader';
import { MysqlReader } from './mysql-reader';
import { mysqlRecordLookups, type RecordLookups, sqliteRecordLookups } from './repositories/record-lookups';
import { WalCheckpointer, writerAutoCheckpointPragma } from '../sqlite/wal-checkpointer';

/** Every repository of the store. */
export interface StoreRepositories {
  readonly records: RecordRepository;
  readonly receipts: ReceiptRepository;
  readonly recognitions: RecognitionRepository;
  readonly tokens: TokenRepository;
  readonly auditLog: AuditLogRepository;
  readonly deadLetters: DeadLetterRepository;
  readonly reconciliation: ReconciliationRepository;
}

export interface Store extends StoreRepositories {
  readonly dialect: Dialect;
  /** Runs `work` with repositories bound to one transaction: all of its writes commit, or none. */
  transaction<T>(work: (repositories: StoreRepositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers (for `/readyz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Connects, runs pending migrations, and returns the store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dataSource = createStoreDataSource(options);
  await dataSource.initialize();
  const dialect = storeDialect(options);
  if (dialect === 'mysql')
    return new TypeormStore(dataSource, dialect, mysqlRecordLookups(new MysqlReader(dataSource)), undefined);
  const file = sqliteStorePath(options.dataDir);
  // WAL checkpoints in a worker thread; the writer's own only as a safety limit (wal-checkpointer.ts)
  const checkpointer = WalCheckpointer.start(file, { synchronous: options.sqliteSynchronous ?? 'NORMAL' });
  try {
    const [{ page_size: pageSize }] = await dataSource.query<[{ page_size: number }]>('PRAGMA page_size');
    await dataSource.query(`PRAGMA ${writerAutoCheckpointPragma(pageSize)}`);
  } catch (error) {
    await checkpointer.close();
    await dataSource.destroy();
    throw error;
  }
  const reader = new SqliteReader(file);
  return new TypeormStore(dataSource, dialect, sqliteRecordLookups(reader), checkpointer, reader);
}

/**
 * The repositories over an executor; `lookups` (outside transactions only) serve the record repository's hot
 * reads off the serialised path (`repositories/record-lookups.ts`).
 */
export function storeRepositories(db: SqlExecutor, lookups?: RecordLookups): StoreRepositories {
  return {
    records: new TypeormRecordRepository(db, lookups),
    receipts: new TypeormReceiptRepository(db),
    recognitions: new TypeormRecognitionRepository(db),
    tokens: new TypeormTokenRepository(db),
    auditLog: new TypeormAuditLogRepository(db),
    deadLetters: new TypeormDeadLetterRepository(db),
    reconciliation: new TypeormReconciliationRepository(db),
  };
}

class TypeormStore implements Store {
  readonly dialect: Dialect;
  readonly records: RecordRepository;
  readonly receipts: ReceiptRepository;
  readonly recognitions: RecognitionRepository;
  readonly tokens: TokenRepository;
  readonly auditLog: AuditLogRepository;
  readonly deadLetters: DeadLetterRepository;
  readonly reconciliation: ReconciliationRepository;
  readonly #dataSource: DataSource;
  readonly #db: SqlExecutor;
  readonly #reader: SqliteReader | undefined;
  readonly #checkpointer: WalCheckpointer | undefined;

  constructor(
    dataSource: DataSource,
    dialect: Dialect,
    lookups: RecordLookups,
    checkpointer: WalCheckpointer | undefined,
    reader?: SqliteReader,
  ) {
    this.dialect = dialect;
    this.#dataSource = dataSource;
    this.#checkpointer = checkpointer;
    this.#db = dataSourceExecutor(dataSource, dialect);
    this.#reader = reader;
    const repositories = storeRepositories(this.#db, lookups);
    this.records = repositories.records;
    this.receipts = repositories.receipts;
    this.recognitions = repositories.recognitions;
    this.tokens = repositories.tokens;
    this.auditLog = repositories.auditLog;
    this.deadLetters = repositories.deadLetters;
    this.reconciliation = repositories.reconciliation;
  }

  transaction<T>(work: (repositories: StoreRepositories) => Promise<T>): Promise<T> {
    return this.#db.transaction((manager) =>
      work(storeRepositories(transactionExecutor(manager, this.dialect))),
    );
  }

  async ping(): Promise<void> {
    await this.#db.run((manager) => manager.query('SELECT 1'));
  }

  async close(): Promise<void> {
    this.#reader?.close();
    await this.#checkpointer?.close();
    if (this.#dataSource.isInitialized) await this.#db.run(() => this.#dataSource.destroy());
  }
}
