/**
 * Drops two structures every stored record paid for and no read of the hub used, in both dialects:
 *
 * - `documents` with its index `ix_documents_sha256`: a row per attached document, found by its digest. Lookups
 *   by document digest are the chain index's (hub/src/verification/anchor-hashes.ts), which
 *   holds the anchored records' digests as the ledger has them; verification finds the anchor there and then
 *   the stored record by its ledger key (`ix_records_ledger_key`). Two homes for the same lookup cost a random
 *   page per record twice. Measured for issue 16 (store alone, insert and anchor of 100,000 bench milestones,
 *   145 per commit): the digest index was 6.2 of the 12.1 KB a record's insert wrote.
 * - `ix_records_tx`: records by ledger transaction, which nothing reads (the chain index answers by
 *   transaction).
 *
 * A record's documents stay in its canonical JSON (`record_json`), the only copy of its fields. `down` builds
 * the table and both indexes again, and fills `documents` from `record_json`.
 */
import { type DocumentRef } from '@approval-ledger/protocol';
import { type QueryRunner } from 'typeorm';
import { type Dialect } from '../column-types';
import { insertRows, type RowInsert } from '../sql-executor';
import { initialSchemaStatements } from './initial-schema';

const DROPS: Record<Dialect, readonly string[]> = {
  sqlite: ['DROP TABLE documents', 'DROP INDEX ix_records_tx'],
  mysql: ['DROP TABLE documents', 'DROP INDEX ix_records_tx ON records'],
};

/** The rows `down` refills, as the initial schema's `documents` holds them. */
const DOCUMENTS_INSERT: RowInsert = {
  table: 'documents',
  columns: ['record_id', 'position', 'sha256', 'name', 'bytes'],
};

/** Records read per page when `down` refills `documents`. */
const PAGE = 1000;

export async function dropDuplicateLookups(queryRunner: QueryRunner, dialect: Dialect): Promise<void> {
  for (const statement of DROPS[dialect]) await queryRunner.query(statement);
}

export async function restoreDuplicateLookups(queryRunner: QueryRunner, dialect: Dialect): Promise<void> {
  // the statements of the initial schema that made them (frozen there)
  const made = initialSchemaStatements(dialect).filter(
    (s) =>
      s.startsWith('CREATE TABLE documents ') ||
      s.startsWith('CREATE INDEX ix_documents_sha256 ') ||
      s.startsWith('CREATE INDEX ix_records_tx '),
  );
  if (made.length !== 3)
    throw new Error(`the initial schema has ${made.length} of the 3 statements to restore`);
  for (const statement of made) await queryRunner.query(statement);
  let after = '';
  for (;;) {
    const rows = (await queryRunner.query(
      `SELECT id, record_json FROM records WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
      [after],
    )) as { id: string; record_json: string }[];
    const documents = rows.flatMap(({ id, record_json }) =>
      ((JSON.parse(record_json) as { documents?: DocumentRef[] }).documents ?? []).map((d, position) => [
        id,
        position,
        d.sha256,
        d.name,
        d.bytes ?? null,
      ]),
    );
    await insertRows(queryRunner.manager, DOCUMENTS_INSERT, documents);
    if (rows.length < PAGE) return;
    after = (rows[rows.length - 1] as { id: string }).id;
  }
}
