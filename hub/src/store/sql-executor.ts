/**
 * How repositories reach the database. better-sqlite3 gives TypeORM one connection, shared by every caller:
 * a statement issued while someone else's transaction is open would join that transaction (and vanish with
 * its rollback). So on SQLite every unit of work runs alone, in order; on MySQL the pool runs them side by
 * side, and transactions use READ COMMITTED so a retried statement sees rows committed meanwhile.
 */
import type Database from 'better-sqlite3';
import { type DataSource, type EntityManager } from 'typeorm';
import { type Dialect } from './column-types';
import { valuesPlaceholders } from './sql-dialect';

export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Runs `work` with a manager: alone on SQLite, from the pool on MySQL; inside a transaction, in it. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** Runs `work` in a transaction (or in the current one): all of it is committed, or none of it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/** A FIFO of async work: each item starts when the previous one has settled. */
class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** The executor of a whole data source. */
export function dataSourceExecutor(dataSource: DataSource, dialect: Dialect): SqlExecutor {
  if (dialect === 'sqlite') {
    const queue = new SerialQueue();
    return {
      dialect,
      run: (work) => queue.run(() => work(dataSource.manager)),
      transaction: (work) => queue.run(() => dataSource.transaction(work)),
    };
  }
  return {
    dialect,
    run: (work) => work(dataSource.manager),
    transaction: (work) => dataSource.transaction('READ COMMITTED', work),
  };
}

/** The executor inside a transaction: everything runs on the transaction's manager. */
export function transactionExecutor(manager: EntityManager, dialect: Dialect): SqlExecutor {
  return { dialect, run: (work) => work(manager), transaction: (work) => work(manager) };
}

/** Runs a statement and returns how many rows it changed (MySQL: matched). */
export async function execute(manager: EntityManager, sql: string, parameters: unknown[]): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, parameters, true)) as { affected?: number };
    return result.affected ?? 0;
  } finally {
    if (manager.queryRunner === undefined) await runner.release();
  }
}

/** An INSERT of whole rows: `INSERT INTO table (columns) VALUES (...) [onConflict]`. */
export interface RowInsert {
  readonly table: string;
  readonly columns: readonly string[];
  /** What follows the VALUES, e.g. an `ON CONFLICT ... DO UPDATE` (see sql-dialect's `onDuplicateKey`). */
  readonly onConflict?: string;
}

/** Rows per multi-row INSERT on MySQL. */
const ROWS_PER_STATEMENT = 500;
/** Bytes of text per multi-row INSERT on MySQL, well below its default max_allowed_packet of 16 MiB. */
const TEXT_BYTES_PER_STATEMENT = 4 * 1024 * 1024;

/**
 * Inserts `rows` (each in `insert.columns` order) in the manager's unit of work. On SQLite, one prepared
 * single-row statement run for each row: SQLite has no round trips to save, and a multi-row INSERT would be
 * compiled anew for every batch size (and its parameters spread into one call), which costs more than the rows
 * themselves. On MySQL, multi-row INSERTs of at most ROWS_PER_STATEMENT rows and TEXT_BYTES_PER_STATEMENT bytes
 * of text: one round trip per slice.
 */
export async function insertRows(
  manager: EntityManager,
  insert: RowInsert,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const head = `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) VALUES`;
  const tail = insert.onConflict ? ` ${insert.onConflict}` : '';
  const sqlite = sqliteConnectionOf(manager);
  if (sqlite) {
    const statement = preparedOn(sqlite, `${head} ${valuesPlaceholders(1, insert.columns.length)}${tail}`);
    for (const row of rows) statement.run(row);
    return;
  }
  for (const slice of statementSlices(rows)) {
    await execute(
      manager,
      `${head} ${valuesPlaceholders(slice.length, insert.columns.length)}${tail}`,
      slice.flat(),
    );
  }
}

/** Slices of rows within the per-statement bounds (at least one row each). */
function statementSlices(rows: readonly (readonly unknown[])[]): (readonly unknown[])[][] {
  const slices: (readonly unknown[])[][] = [];
  let current: (readonly unknown[])[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = textBytes(row);
    if (
      current.length > 0 &&
      (current.length >= ROWS_PER_STATEMENT || bytes + size > TEXT_BYTES_PER_STATEMENT)
    ) {
      slices.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/** An upper bound of a row's text in UTF-8 (3 bytes per UTF-16 unit). */
function textBytes(row: readonly unknown[]): number {
  let bytes = 0;
  for (const value of row) if (typeof value === 'string') bytes += value.length * 3;
  return bytes;
}

/** Prepared statements of each better-sqlite3 connection, by SQL text. */
const preparedStatements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function preparedOn(db: Database.Database, sql: string): Database.Statement {
  let statements = preparedStatements.get(db);
  if (!statements) {
    statements = new Map();
    preparedStatements.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * The better-sqlite3 connection under a manager on SQLite (the one connection TypeORM has, so a statement run on
 * it joins the manager's transaction); undefined on MySQL.
 */
function sqliteConnectionOf(manager: EntityManager): Database.Database | undefined {
  if (manager.connection.options.type !== 'better-sqlite3') return undefined;
  return (manager.connection.driver as unknown as { databaseConnection: Database.Database })
    .databaseConnection;
}

/** Runs a SELECT and returns its rows. */
export async function select<Row>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<Row[]> {
  return manager.query<Row[]>(sql, parameters);
}

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
