/**
 * The one place where SQLite and MySQL/MariaDB differ in column types, both for the DDL that the migrations
 * run (`ddlTypes`) and for the values that come back from the drivers (`fromDb`).
 *
 * Entities use TypeORM types that both drivers accept (`varchar`, `text`, `datetime`, `bigint`, `blob`) and
 * carry the transformers below, so an entity reads the same on both databases; the DDL is the migrations'
 * business, never `synchronize`.
 */
import { type ValueTransformer } from 'typeorm';

export type Dialect = 'sqlite' | 'mysql';

/** DDL column types of one dialect. */
export interface DdlTypes {
  /** Identifiers of `[A-Za-z0-9._:-]` (record ids, jtis, tx ids): compared byte for byte. */
  readonly ascii: (length: number) => string;
  /** Text that may hold any Unicode (names, certificate numbers, reasons): compared byte for byte. */
  readonly text: (length: number) => string;
  /** A SHA-256 digest or salt, 64 lower-case hex digits. */
  readonly hex64: string;
  /** Canonical JSON. Never MySQL's JSON type: it re-orders keys, and the canonical bytes must survive. */
  readonly json: string;
  /** A point in time, UTC, millisecond precision. */
  readonly timestamp: string;
  readonly int: string;
  readonly bigint: string;
  /** Raw bytes (a dead-lettered message as received). */
  readonly blob: string;
  /** An ever-increasing 64-bit sequence number as the primary key (append-only tables). */
  readonly sequencePrimaryKey: string;
  /** Suffix of every CREATE TABLE. */
  readonly tableOptions: string;
  /** String concatenation of SQL expressions (`||` means OR in MySQL). */
  readonly concat: (...parts: string[]) => string;
}

export const ddlTypes: Record<Dialect, DdlTypes> = {
  sqlite: {
    // SQLite ignores lengths, stores text as UTF-8 and compares with BINARY by default.
    ascii: (length) => `VARCHAR(${length})`,
    text: (length) => `VARCHAR(${length})`,
    hex64: 'CHAR(64)',
    json: 'TEXT',
    // TypeORM writes datetimes to SQLite as 'YYYY-MM-DD HH:MM:SS.SSS' in UTC; they sort as text.
    timestamp: 'DATETIME',
    int: 'INTEGER',
    bigint: 'BIGINT',
    blob: 'BLOB',
    sequencePrimaryKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    tableOptions: '',
    concat: (...parts) => parts.join(' || '),
  },
  mysql: {
    ascii: (length) => `VARCHAR(${length}) CHARACTER SET ascii COLLATE ascii_bin`,
    text: (length) => `VARCHAR(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    hex64: 'CHAR(64) CHARACTER SET ascii COLLATE ascii_bin',
    // up to 16 MiB; a record is at most a few hundred KiB
    json: 'MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    timestamp: 'DATETIME(3)',
    int: 'INT',
    bigint: 'BIGINT',
    blob: 'LONGBLOB',
    sequencePrimaryKey: 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY',
    tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    concat: (...parts) => `CONCAT(${parts.join(', ')})`,
  },
};

/**
 * BIGINT comes back as a number from better-sqlite3 and as a string from mysql2 (TypeORM turns on
 * `bigNumberStrings`); block numbers and sequence numbers stay far below 2^53, so both become numbers.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};

/** TypeORM column options for a BIGINT read as a number. */
export const bigintColumn = { type: 'bigint', transformer: bigintToNumber } as const;

/** TypeORM column options for a UTC timestamp (DATETIME on SQLite, DATETIME(3) on MySQL). */
export const timestampColumn = { type: 'datetime', precision: 3 } as const;

/** Values as the drivers hand them back in raw queries, converted the same way the entities do. */
export const fromDb = {
  bigint: (value: unknown): number => Number(value),
  /** SQLite: 'YYYY-MM-DD HH:MM:SS.SSS' (UTC); mysql2 with `timezone: 'Z'`: a Date. */
  timestamp: (value: unknown): Date =>
    value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`),
};

/**
 * The last millisecond written and its text: ingest writes the same `new Date()` for every row of a batch
 * (received, seen, receipted), a few per record.
 */
let lastTimestamp = { ms: Number.NaN, text: '' };

/** A Date as both databases accept it in a parameter: 'YYYY-MM-DD HH:MM:SS.SSS', UTC. */
export function toDbTimestamp(date: Date): string {
  const ms = date.getTime();
  if (ms === lastTimestamp.ms) return lastTimestamp.text;
  const text = date.toISOString().slice(0, 23).replace('T', ' ');
  lastTimestamp = { ms, text };
  return text;
}
