/**
 * The chain index's lookup by hash (a record's commitment, or one of its documents' SHA-256), as a two-level
 * index in 16 partitions (`two-level-index.ts`) instead of two B-tree indexes on random keys
 * (`ix_anchors_commitment` and the `anchor_documents` table, until 2026-12): measured for issue 16 (ingest,
 * 60,000 records), those two indexes were 5.3-5.7 KB of the 18.9 KB the hub wrote per record.
 *
 * Partition p holds the hashes from `PARTITION_BOUNDS[p - 1]` up to `PARTITION_BOUNDS[p]` in byte order, so a
 * lowercase hex hash is in the partition of its first digit: `hash_log_p` takes new entries, `anchor_hashes_p`
 * (clustered on the hash) holds the merged ones. A reader's map of each log is keyed by a hash's first 48 bits
 * (about 45 bytes an entry) and holds log rowids; a lookup reads the log rows the map names and the main level,
 * each joined with `anchors`.
 *
 * Entries are never removed (as `anchor_documents`' were not): a correction adds its commitment and documents,
 * and callers check an entry against the anchor's current row (`ChainIndex.byHash`).
 */
import type Database from 'better-sqlite3';
import { SUFFIXES, TwoLevelIndex, type TwoLevelSpec } from './two-level-index';

/** An `anchors` row an entry names, and whether the hash is the anchor's commitment or a document's. */
export interface HashMatch {
  readonly byDocument: boolean;
  readonly row: Record<string, unknown>;
}

/** Where each partition after the first begins, in byte order (SQLite's BINARY collation). */
const PARTITION_BOUNDS = '123456789abcdef';

/**
 * The partition of a hash: the number of partition bounds at or below it in byte order. JavaScript compares
 * UTF-16 units and SQLite UTF-8 bytes, which agree against one ASCII character: a non-ASCII first character is
 * above every bound in both.
 */
export function partitionOf(sha256: string): number {
  if (sha256.length === 0) return 0;
  const c = sha256.charCodeAt(0);
  if (c < 0x31) return 0; // below '1'
  if (c <= 0x39) return c - 0x30; // '1'-'9'
  if (c < 0x61) return 9; // after '9', below 'a'
  if (c <= 0x66) return c - 0x57; // 'a'-'f'
  return 15;
}

/** The SQL condition that holds the hashes of partition `p` (the same ranges as `partitionOf`). */
function partitionRange(p: number, column: string): string {
  const from = p === 0 ? undefined : PARTITION_BOUNDS[p - 1];
  const below = p === SUFFIXES.length - 1 ? undefined : PARTITION_BOUNDS[p];
  const parts = [
    ...(from === undefined ? [] : [`${column} >= '${from}'`]),
    ...(below === undefined ? [] : [`${column} < '${below}'`]),
  ];
  return parts.join(' AND ');
}

export const ANCHOR_HASHES_SCHEMA = SUFFIXES.map(
  (s) => `
CREATE TABLE IF NOT EXISTS hash_log_${s} (
  sha256 TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, by_document INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS anchor_hashes_${s} (
  sha256 TEXT NOT NULL, by_document INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
  PRIMARY KEY (sha256, by_document, kind, key)
) WITHOUT ROWID;`,
).join('');

/** A hash's map key: its first 48 bits as a number when they are hex (exact in a double), else the text. */
function mapKey(sha256: string): number | string {
  return HEX_PREFIX.test(sha256) ? Number.parseInt(sha256.slice(0, 12), 16) : sha256;
}

const HEX_PREFIX = /^[0-9a-f]{12}/i;

const SPEC: TwoLevelSpec = {
  log: 'hash_log',
  main: 'anchor_hashes',
  meta: 'hash',
  columns: ['sha256', 'by_document', 'kind', 'key'],
  mapKey: 'sha256',
  mapValue: 'rowid',
  keyOf: mapKey,
};

function match(row: Record<string, unknown>): HashMatch {
  return { byDocument: row.by_document_ === 1, row };
}

export class AnchorHashes {
  readonly #index: TwoLevelIndex;
  /** Per partition: the log row a map entry names, and the main level's entries, each joined with `anchors`. */
  readonly #logMatch: readonly Database.Statement[];
  readonly #mainMatches: readonly Database.Statement[];

  constructor(
    db: Database.Database,
    options: { readonly minLogEntries?: number; readonly announcedWrites?: boolean } = {},
  ) {
    this.#index = new TwoLevelIndex(db, SPEC, options);
    this.#logMatch = SUFFIXES.map((s) =>
      db.prepare(
        `SELECT l.by_document AS by_document_, a.* FROM hash_log_${s} l
         JOIN anchors a ON a.kind = l.kind AND a.key = l.key WHERE l.rowid = ? AND l.sha256 = ?`,
      ),
    );
    this.#mainMatches = SUFFIXES.map((s) =>
      db.prepare(
        `SELECT h.by_document AS by_document_, a.* FROM anchor_hashes_${s} h
         JOIN anchors a ON a.kind = h.kind AND a.key = h.key WHERE h.sha256 = ?`,
      ),
    );
  }

  /**
   * Moves an index made before the partitions into them, sorted, and drops it; runs inside the caller's
   * transaction. Two layouts came before: one log and one main level (`hash_log`, `anchor_hashes`), and before
   * that the `anchor_documents` table beside a commitment index on `anchors`.
   */
  static migrate(db: Database.Database): void {
    const has = (table: string): boolean =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    let entries: string;
    if (has('anchor_documents'))
      entries = `SELECT commitment AS sha256, 0 AS by_document, kind, key FROM anchors
                 UNION ALL SELECT sha256, 1, kind, key FROM anchor_documents`;
    else if (has('anchor_hashes'))
      entries = `SELECT sha256, by_document, kind, key FROM anchor_hashes
                 UNION ALL SELECT sha256, by_document, kind, key FROM hash_log`;
    else return;
    SUFFIXES.forEach((_, p) =>
      TwoLevelIndex.fillMain(
        db,
        SPEC,
        p,
        `SELECT * FROM (${entries}) WHERE ${partitionRange(p, 'sha256')} ORDER BY 1, 2, 3, 4`,
      ),
    );
    for (const table of ['anchor_documents', 'anchor_hashes', 'hash_log'])
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec('DROP INDEX IF EXISTS ix_anchors_commitment');
    db.exec("DELETE FROM meta WHERE key IN ('hashGeneration', 'hashMainEntries')");
  }

  /** Empties both levels of every partition (a rebuild from block 0, before any instance is made on `db`). */
  static clear(db: Database.Database): void {
    TwoLevelIndex.clear(db, SPEC);
  }

  /** Appends one entry to its partition's log (inside the writer's transaction). */
  add(sha256: string, kind: string, key: string, byDocument: boolean): void {
    this.#index.add(partitionOf(sha256), [sha256, byDocument ? 1 : 0, kind, key]);
  }

  /** Merges one partition's log into its main level if one is due (once per transaction of the writer). */
  mergeIfDue(): void {
    this.#index.mergeIfDue();
  }

  /**
   * The anchors rows the entries for `sha256` name, in both levels of its partition; the same (row, commitment or
   * document) may come more than once (an anchor indexed again, an entry in the log and in the main level), and
   * the caller keeps one. Every entry committed before the call is found: the log is read first, and a merge
   * committed after that moves what was read into the main level, which is read next (a rowid the log reused
   * after a merge is told apart by its hash).
   */
  lookup(sha256: string): HashMatch[] {
    const p = partitionOf(sha256);
    const matches: HashMatch[] = [];
    for (const rowid of this.#index.logValues(p, sha256)) {
      const row = (this.#logMatch[p] as Database.Statement).get(rowid, sha256) as
        Record<string, unknown> | undefined;
      if (row !== undefined) matches.push(match(row));
    }
    for (const row of (this.#mainMatches[p] as Database.Statement).all(sha256) as Record<string, unknown>[])
      matches.push(match(row));
    return matches;
  }

  /** Another connection committed writes: the next lookup in each partition reads its log's new rows. */
  writesCommitted(): void {
    this.#index.writesCommitted();
  }
}
