/**
 * The chain index's lookup by hash (a record's commitment, or one of its documents' SHA-256), in two levels
 * instead of two B-tree indexes on random keys.
 *
 * Why: every record added one entry to each of two indexes on random keys (`ix_anchors_commitment` and the
 * `anchor_documents` table). Once an index outgrows a commit, each of its entries dirties a leaf page of its own,
 * which the WAL and then the checkpoint each write whole: measured for issue 16 (ingest, 60,000 records), those
 * two indexes were 5.3-5.7 KB of the 18.9 KB the hub wrote per record, and the share grows with the index.
 *
 * How, as a small log-structured merge:
 * - `hash_log` (a rowid table) takes each new entry by appending: a commit writes the log's last pages only.
 * - `anchor_hashes` (WITHOUT ROWID, clustered on the hash) holds everything older. When the log reaches half the
 *   size of the main level (and at least `minLogEntries`), the writer moves it there in one transaction, sorted,
 *   so each leaf of the main level is written once per merge for all the entries it receives, and empties the
 *   log; `meta.hashGeneration` counts merges.
 * - A reader keeps the log in memory (a map from each hash's first 48 bits to log rowids, about 45 bytes an
 *   entry), catching up from the last rowid it read, and reloading from scratch when the generation moves. A
 *   lookup reads the generation and the log's new rows (one statement), then the log rows the map names and the
 *   main level, each joined with `anchors`: it sees every entry committed before it began, wherever a merge
 *   has put it meanwhile. A reader opened with announced writes (the hub's, told by its chain indexer after each
 *   commit of the writer thread) skips the first statement until it is told (`writesCommitted`).
 *
 * Entries are never removed (as `anchor_documents`' were not): a correction adds its commitment and documents,
 * and callers check an entry against the anchor's current row (`ChainIndex.byHash`).
 */
import type Database from 'better-sqlite3';

/** An `anchors` row an entry names, and whether the hash is the anchor's commitment or a document's. */
export interface HashMatch {
  readonly byDocument: boolean;
  readonly row: Record<string, unknown>;
}

export const ANCHOR_HASHES_SCHEMA = `
CREATE TABLE IF NOT EXISTS hash_log (
  sha256 TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, by_document INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS anchor_hashes (
  sha256 TEXT NOT NULL, by_document INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
  PRIMARY KEY (sha256, by_document, kind, key)
) WITHOUT ROWID;
`;

/** The tables of both levels (emptied, with the meta rows below, when the chain index is rebuilt). */
const ANCHOR_HASH_TABLES = ['hash_log', 'anchor_hashes'];

const GENERATION = 'hashGeneration';
const MAIN_ENTRIES = 'hashMainEntries';
const SET_META =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

/** The smallest log that is merged (entries): below it a merge would rewrite the main level too often. */
const DEFAULT_MIN_LOG_ENTRIES = 50_000;

/** A hash's map key: its first 48 bits as a number when they are hex (exact in a double), else the text. */
function mapKey(sha256: string): number | string {
  return HEX_PREFIX.test(sha256) ? Number.parseInt(sha256.slice(0, 12), 16) : sha256;
}

const HEX_PREFIX = /^[0-9a-f]{12}/i;

/** A row of the catch-up statement: the generation as (-1, value), then the log's (rowid, sha256) rows. */
type LogRow = [number, string];

function generationIn(rows: readonly LogRow[]): number {
  const first = rows[0];
  return first !== undefined && first[0] === -1 ? Number(first[1]) : 0;
}

function match(row: Record<string, unknown>): HashMatch {
  return { byDocument: row.by_document_ === 1, row };
}

export class AnchorHashes {
  readonly #db: Database.Database;
  readonly #minLogEntries: number;
  readonly #append: Database.Statement;
  readonly #meta: Database.Statement;
  readonly #setMeta: Database.Statement;
  readonly #logSince: Database.Statement;
  readonly #logMatch: Database.Statement;
  readonly #mainMatches: Database.Statement;

  /** Writer side: entries in the log (counted at open, then kept; a hint that decides when to merge). */
  #logEntries: number | undefined;

  /** Reader side: the log as far as read, by hash prefix; the generation it belongs to and the last rowid read. */
  #map = new Map<number | string, number | number[]>();
  #mapGeneration = -1;
  #mapCursor = 0;
  /** Whether a lookup reads the log's new rows first: always, unless commits are announced (`writesCommitted`). */
  readonly #announced: boolean;
  #stale = true;

  constructor(
    db: Database.Database,
    options: { readonly minLogEntries?: number; readonly announcedWrites?: boolean } = {},
  ) {
    this.#db = db;
    this.#minLogEntries = options.minLogEntries ?? DEFAULT_MIN_LOG_ENTRIES;
    this.#announced = options.announcedWrites ?? false;
    this.#append = db.prepare('INSERT INTO hash_log (sha256, kind, key, by_document) VALUES (?, ?, ?, ?)');
    this.#meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.#setMeta = db.prepare(SET_META);
    // the generation first (row id -1), then the log's rows after the cursor: one statement, one snapshot
    this.#logSince = db
      .prepare(
        `SELECT -1 AS id, value AS sha256 FROM meta WHERE key = '${GENERATION}'
         UNION ALL SELECT * FROM (SELECT rowid, sha256 FROM hash_log WHERE rowid > ? ORDER BY rowid)`,
      )
      .raw();
    this.#logMatch = db.prepare(
      `SELECT l.by_document AS by_document_, a.* FROM hash_log l JOIN anchors a ON a.kind = l.kind AND a.key = l.key
       WHERE l.rowid = ? AND l.sha256 = ?`,
    );
    this.#mainMatches = db.prepare(
      `SELECT h.by_document AS by_document_, a.* FROM anchor_hashes h
       JOIN anchors a ON a.kind = h.kind AND a.key = h.key WHERE h.sha256 = ?`,
    );
  }

  /**
   * Moves an index made before the two levels (the `anchor_documents` table and the commitment index on
   * `anchors`) into the main level, sorted, and drops both; runs inside the caller's transaction.
   */
  static migrate(db: Database.Database): void {
    const old = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'anchor_documents'")
      .get();
    if (old === undefined) return;
    db.exec(`INSERT OR IGNORE INTO anchor_hashes (sha256, by_document, kind, key)
             SELECT commitment, 0, kind, key FROM anchors
             UNION ALL SELECT sha256, 1, kind, key FROM anchor_documents
             ORDER BY 1, 2, 3, 4`);
    db.exec('DROP TABLE anchor_documents');
    db.exec('DROP INDEX IF EXISTS ix_anchors_commitment');
    const entries = db.prepare('SELECT COUNT(*) FROM anchor_hashes').pluck().get() as number;
    db.prepare(SET_META).run(MAIN_ENTRIES, String(entries));
  }

  /**
   * Empties both levels (a rebuild from block 0, before any instance is made on `db`); readers reload, as the
   * generation moves.
   */
  static clear(db: Database.Database): void {
    for (const table of ANCHOR_HASH_TABLES) db.exec(`DELETE FROM ${table}`);
    const generation = Number(
      db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(GENERATION) ?? 0,
    );
    db.prepare(SET_META).run(MAIN_ENTRIES, '0');
    db.prepare(SET_META).run(GENERATION, String(generation + 1));
  }

  /** Appends one entry (inside the writer's transaction); merges when the log has grown enough. */
  add(sha256: string, kind: string, key: string, byDocument: boolean): void {
    this.#append.run(sha256, kind, key, byDocument ? 1 : 0);
    this.#stale = true;
    this.#logEntries = (this.#logEntries ?? this.#countLog()) + 1;
  }

  /** Merges the log into the main level if it has reached its limit (inside the writer's transaction). */
  mergeIfDue(): void {
    const logEntries = this.#logEntries ?? this.#countLog();
    this.#logEntries = logEntries;
    const mainEntries = Number(this.#meta.get(MAIN_ENTRIES) ?? 0);
    if (logEntries >= Math.max(this.#minLogEntries, Math.floor(mainEntries / 2))) this.#merge();
  }

  /** Moves every log entry into the main level, sorted, and empties the log (inside a transaction). */
  #merge(): void {
    const moved = this.#db
      .prepare(
        `INSERT OR IGNORE INTO anchor_hashes (sha256, by_document, kind, key)
         SELECT sha256, by_document, kind, key FROM hash_log ORDER BY sha256, by_document, kind, key`,
      )
      .run().changes;
    this.#db.exec('DELETE FROM hash_log');
    this.#setMeta.run(MAIN_ENTRIES, String(Number(this.#meta.get(MAIN_ENTRIES) ?? 0) + moved));
    this.#setMeta.run(GENERATION, String(this.#generation() + 1));
    this.#logEntries = 0;
    this.#stale = true;
  }

  /**
   * The anchors rows the entries for `sha256` name, in both levels; the same (row, commitment or document) may
   * come more than once (an anchor indexed again, an entry in the log and in the main level), and the caller
   * keeps one. Every entry committed before the call is found: the log is read first, and a merge committed
   * after that moves what was read into the main level, which is read next (a rowid the log reused after a merge
   * is told apart by its hash).
   */
  lookup(sha256: string): HashMatch[] {
    if (this.#stale || !this.#announced) {
      this.#catchUp();
      this.#stale = false;
    }
    const matches: HashMatch[] = [];
    const rowids = this.#map.get(mapKey(sha256));
    if (rowids !== undefined) {
      for (const rowid of typeof rowids === 'number' ? [rowids] : rowids) {
        const row = this.#logMatch.get(rowid, sha256) as Record<string, unknown> | undefined;
        if (row !== undefined) matches.push(match(row));
      }
    }
    for (const row of this.#mainMatches.all(sha256) as Record<string, unknown>[]) matches.push(match(row));
    return matches;
  }

  /**
   * Another connection committed writes (a connection opened with `announcedWrites` is told of every commit by
   * whoever makes them: the hub's chain indexer, once the writer thread's commit resolves): the next lookup reads
   * the log's new rows. Until then lookups skip that read (one statement, about 2.5-4.5 µs).
   */
  writesCommitted(): void {
    this.#stale = true;
  }

  /** Reads what the log gained since the last lookup, or all of it after a merge or rebuild. */
  #catchUp(): void {
    let rows = this.#logSince.all(this.#mapCursor) as LogRow[];
    const generation = generationIn(rows);
    if (generation !== this.#mapGeneration) {
      this.#map = new Map();
      this.#mapGeneration = generation;
      this.#mapCursor = 0;
      rows = this.#logSince.all(0) as LogRow[];
      // a merge between the two reads: what was read is the newer log, and the next catch-up reloads anyway
      if (generationIn(rows) !== generation) this.#mapGeneration = -1;
    }
    for (const [rowid, sha256] of rows) {
      if (rowid === -1) continue;
      const key = mapKey(sha256);
      const held = this.#map.get(key);
      if (held === undefined) this.#map.set(key, rowid);
      else if (typeof held === 'number') this.#map.set(key, [held, rowid]);
      else held.push(rowid);
      this.#mapCursor = rowid;
    }
  }

  #generation(): number {
    return Number(this.#meta.get(GENERATION) ?? 0);
  }

  #countLog(): number {
    return this.#db.prepare('SELECT COUNT(*) FROM hash_log').pluck().get() as number;
  }
}
