/**
 * A second connection to the SQLite store, for hot reads outside any transaction (verification by hash). The
 * TypeORM connection runs every unit of work alone, in order (see sql-executor.ts), so a read queued behind
 * ingest's batches would wait for them; with WAL, this connection reads the last committed state side by side
 * with the writer, through prepared statements, without TypeORM's per-query overhead. It never writes
 * (`query_only`). MySQL's counterpart is `mysql-reader.ts` (its pool already reads in parallel).
 */
import Database from 'better-sqlite3';
import { SQLITE_MMAP_BYTES } from '../sqlite/mmap-size';

export class SqliteReader {
  readonly #file: string;
  readonly #statements = new Map<string, Database.Statement>();
  #db: Database.Database | undefined;
  #closed = false;

  constructor(file: string) {
    this.#file = file;
  }

  /** The rows of a SELECT (opens the connection on first use, after the migrations have run). */
  all<Row>(sql: string, params: readonly unknown[]): Row[] {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#connection().prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement.all(...params) as Row[];
  }

  close(): void {
    this.#statements.clear();
    this.#db?.close();
    this.#db = undefined;
    this.#closed = true;
  }

  #connection(): Database.Database {
    if (this.#closed) throw new Error('the store is closed');
    if (!this.#db) {
      const db = new Database(this.#file, { fileMustExist: true });
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 5000');
      // random single-row lookups: pages through a memory map, no read() call and copy per page
      db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`); // see mmap-size.ts
      this.#db = db;
    }
    return this.#db;
  }
}
