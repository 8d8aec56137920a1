/**
 * Hot reads on MySQL/MariaDB as prepared statements, on a connection of TypeORM's own pool (no second pool):
 * `connection.execute()` prepares each SQL text once per connection (mysql2 keeps them) and then sends only
 * the statement id and the parameters, in the binary protocol. TypeORM's `manager.query()` instead creates a
 * query runner per call and sends the whole text with the parameters escaped into it, to be parsed again by the
 * server. Outside transactions only; the MySQL counterpart of `sqlite-reader.ts`.
 */
import { type DataSource } from 'typeorm';

/** The part of a mysql2 pool connection (callback API, as TypeORM's MySQL driver holds them) used here. */
interface PooledConnection {
  execute(sql: string, values: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
  release(): void;
}

interface MysqlDriverPool {
  obtainMasterConnection(): Promise<PooledConnection>;
}

export class MysqlReader {
  readonly #driver: MysqlDriverPool;

  constructor(dataSource: DataSource) {
    if (dataSource.options.type !== 'mysql') throw new TypeError('MysqlReader needs a mysql data source');
    this.#driver = dataSource.driver;
  }

  /** The rows of a SELECT, run as a prepared statement on a pooled connection. */
  async all<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    const connection = await this.#driver.obtainMasterConnection();
    try {
      return await new Promise<Row[]>((resolve, reject) => {
        connection.execute(sql, [...params], (error, rows) => {
          if (error) reject(error);
          else resolve(rows as Row[]);
        });
      });
    } finally {
      connection.release();
    }
  }
}
