/**
 * SQL that differs between SQLite and MySQL/MariaDB beyond column types (those are in `column-types.ts`):
 * recognising a unique-key violation and the "insert or bump a counter" statement.
 */
import { QueryFailedError } from 'typeorm';
import { type Dialect } from './column-types';

/** True when `error` is a primary-key or unique-index violation. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof driverError !== 'object' || driverError === null) return false;
  const code = (driverError as { code?: unknown }).code;
  return (
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * `INSERT ... ` followed by what to do when the key exists: `assignments` are `column = <expr>` pairs where
 * `<expr>` may use `excluded(column)` for the value that was offered.
 */
export function onDuplicateKey(
  dialect: Dialect,
  keyColumns: readonly string[],
  assignments: Readonly<Record<string, (excluded: (column: string) => string) => string>>,
): string {
  const excluded = dialect === 'sqlite' ? (c: string) => `excluded.${c}` : (c: string) => `VALUES(${c})`;
  const set = Object.entries(assignments)
    .map(([column, expr]) => `${column} = ${expr(excluded)}`)
    .join(', ');
  return dialect === 'sqlite'
    ? `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${set}`
    : `ON DUPLICATE KEY UPDATE ${set}`;
}

/** `(?, ?, ?), (?, ?, ?)`: placeholders for a multi-row INSERT (both drivers take `?`). */
export function valuesPlaceholders(rows: number, columns: number): string {
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
}

/** `?, ?, ?`: placeholders for an IN list. */
export function inPlaceholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}
