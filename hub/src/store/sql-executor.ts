/**
 * How repositories reach the database. better-sqlite3 gives TypeORM one connection, shared by every caller:
 * a statement issued while someone else's transaction is open would join that transaction (and vanish with
 * its rollback). So on SQLite every unit of work runs alone, in order; on MySQL the pool runs them side by
 * side, and transactions use READ COMMITTED so a retried statement sees rows committed meanwhile.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { type Dialect } from './column-types';

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
