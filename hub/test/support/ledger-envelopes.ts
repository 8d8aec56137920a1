/**
 * A forger's edits of an embedded ledger's envelopes, for the tests that check what verification finds: the
 * envelopes are in the block file beside the SQLite file (`ledger.blocks`, engine `block-file.ts`), the
 * `transactions` row says where. A replaced envelope is appended to the file and its row pointed at it, as
 * someone rewriting both would.
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { blockFilePath } from '@approval-ledger/fabric-engine';

interface Located {
  envelope: string;
  envelope_at: number | null;
  envelope_bytes: number | null;
}

function located(db: Database.Database, block: number, txIndex: number): Located {
  const row = db
    .prepare(
      'SELECT envelope, envelope_at, envelope_bytes FROM transactions WHERE block_number = ? AND tx_index = ?',
    )
    .get(block, txIndex) as Located | undefined;
  if (!row) throw new Error(`no transaction ${txIndex} in block ${block}`);
  return row;
}

/** The envelope text of transaction `txIndex` of `block`, wherever it is kept. */
export function envelopeText(db: Database.Database, block: number, txIndex = 0): string {
  const row = located(db, block, txIndex);
  if (row.envelope_at === null) return row.envelope;
  return readFileSync(blockFilePath(db.name))
    .subarray(row.envelope_at, row.envelope_at + (row.envelope_bytes ?? 0))
    .toString('utf8');
}

/** Replaces the envelope of transaction `txIndex` of `block` (every transaction of the block when omitted). */
export function replaceEnvelope(db: Database.Database, block: number, text: string, txIndex?: number): void {
  const file = blockFilePath(db.name);
  const rows = db
    .prepare(
      `SELECT tx_index FROM transactions WHERE block_number = ?${txIndex === undefined ? '' : ' AND tx_index = ?'}`,
    )
    .all(...(txIndex === undefined ? [block] : [block, txIndex])) as { tx_index: number }[];
  for (const { tx_index } of rows) {
    const at = statSync(file).size;
    appendFileSync(file, text, 'utf8');
    db.prepare(
      "UPDATE transactions SET envelope = '', envelope_at = ?, envelope_bytes = ? WHERE block_number = ? AND tx_index = ?",
    ).run(at, Buffer.byteLength(text, 'utf8'), block, tx_index);
  }
}
