/**
 * The benchmark's baseline for the ledger step of ingest: each group of records is one plain SQL INSERT
 * transaction into a SQLite table (WAL, synchronous NORMAL, as the store), so the same pipeline runs with the
 * same durability but without endorsement, ordering and validation.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type AnchorGroup, type AnchorResult, type Anchorer } from '../ingest/anchorer';

export class SqlAnchorer implements Anchorer {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  #block = 0;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS anchors (kind TEXT NOT NULL, key TEXT NOT NULL, commitment TEXT NOT NULL, tx_id TEXT NOT NULL, block INTEGER NOT NULL, PRIMARY KEY (kind, key))',
    );
    this.#insert = this.#db.prepare(
      'INSERT OR IGNORE INTO anchors (kind, key, commitment, tx_id, block) VALUES (?, ?, ?, ?, ?)',
    );
  }

  anchor(group: AnchorGroup): Promise<AnchorResult[]> {
    const block = this.#block++;
    const txId = createHash('sha256')
      .update(`${block}:${group.items.map((i) => i.commitment).join(',')}`)
      .digest('hex');
    const recorded = this.#db.transaction(() =>
      group.items.map((i) => this.#insert.run(i.kind, i.ledgerKey, i.commitment, txId, block).changes === 1),
    )();
    return Promise.resolve(
      recorded.map((r) => ({ status: 'anchored', txId, blockNumber: block, recorded: r })),
    );
  }

  close(): void {
    this.#db.close();
  }
}
