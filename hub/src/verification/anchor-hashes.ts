/**
 * The chain index's lookup by hash (a record's commitment, or one of its documents' SHA-256), in two levels
 * instead of two B-tree indexes on random keys, split into 16 partitions by the hash's first character.
 *
 * Why: every record added one entry to each of two indexes on random keys (`ix_anchors_commitment` and the
 * `anchor_documents` table). Once an index outgrows a commit, each of its entries dirties a leaf page of its own,
 * which the WAL and then the checkpoint each write whole: measured for issue 16 (ingest, 60,000 records), those
 * two indexes were 5.3-5.7 KB of the 18.9 KB the hub wrote per record, and the share grows with the index.
 *
 * How, as a small log-structured merge in each partition `p` (`0`-`f`; partition p holds the hashes from
 * `PARTITION_BOUNDS[p - 1]` up to `PARTITION_BOUNDS[p]` in byte order, so a lowercase hex hash is in the partition
 * of its first digit):
 * - `hash_log_p` (a rowid table) takes each new entry by appending: a commit writes each log's last page only.
 * - `anchor_hashes_p` (WITHOUT ROWID, clustered on the hash) holds everything older. When a log reaches half the
 *   size of its main level (and at least `minLogEntries`), the writer moves it there, sorted, so each leaf of the
 *   main level is written once per merge for all the entries it receives, and empties the log;
 *   `meta.hashGeneration.p` counts the partition's merges.
 * - A merge moves one partition, and at most one merge runs per transaction of the writer (`mergeIfDue`): it
 *   rewrites a sixteenth of the main level, so the writer's longest transaction (which receipts wait for) is a
 *   sixteenth of what one table's merge took (measured for issue 16: 6.5 s at 2,000,000 anchors).
 * - A reader keeps each partition's log in memory (a map from each hash's first 48 bits to log rowids, about 45
 *   bytes an entry), catching up from the last rowid it read, and reloading the partition from scratch when its
 *   generation moves. A lookup reads the partition's generation and its log's new rows (one statement), then the
 *   log rows the map names and the main level, each joined with `anchors`: it sees every entry committed before
 *   it began, wherever a merge has put it meanwhile. A reader opened with announced writes (the hub's, told by
 *   its chain indexer after each commit of the writer thread) skips the first statement until it is told
 *   (`writesCommitted`).
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

/** Where each partition after the first begins, in byte order (SQLite's BINARY collation). */
const PARTITION_BOUNDS = '123456789abcdef';
/** Partition suffixes: `0`-`f`, the first hex digit of the hashes each holds. */
const SUFFIXES = [...'0123456789abcdef'];

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

const generationKey = (suffix: string): string => `hashGeneration.${suffix}`;
const mainEntriesKey = (suffix: string): string => `hashMainEntries.${suffix}`;
const SET_META =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

/**
 * The smallest log of a partition that is merged (entries): below it a merge would rewrite the main level too
 * often. 4,096 a partition is about 65,000 in all.
 */
const DEFAULT_MIN_LOG_ENTRIES = 4_096;

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

/** One partition's statements, the writer's counts and a reader's map of its log. */
class Partition {
  readonly suffix: string;
  readonly append: Database.Statement;
  readonly logSince: Database.Statement;
  readonly logMatch: Database.Statement;
  readonly mainMatches: Database.Statement;

  /** Writer side: entries in the log and in the main level (read at first use, then kept). */
  logEntries: number | undefined;
  mainEntries: number | undefined;

  /** Reader side: the log as far as read, by hash prefix; the generation it belongs to and the last rowid read. */
  map = new Map<number | string, number | number[]>();
  mapGeneration = -1;
  mapCursor = 0;
  stale = true;

  constructor(db: Database.Database, suffix: string) {
    this.suffix = suffix;
    this.append = db.prepare(
      `INSERT INTO hash_log_${suffix} (sha256, kind, key, by_document) VALUES (?, ?, ?, ?)`,
    );
    // the generation first (row id -1), then the log's rows after the cursor: one statement, one snapshot
    this.logSince = db
      .prepare(
        `SELECT -1 AS id, value AS sha256 FROM meta WHERE key = '${generationKey(suffix)}'
         UNION ALL SELECT * FROM (SELECT rowid, sha256 FROM hash_log_${suffix} WHERE rowid > ? ORDER BY rowid)`,
      )
      .raw();
    this.logMatch = db.prepare(
      `SELECT l.by_document AS by_document_, a.* FROM hash_log_${suffix} l
       JOIN anchors a ON a.kind = l.kind AND a.key = l.key WHERE l.rowid = ? AND l.sha256 = ?`,
    );
    this.mainMatches = db.prepare(
      `SELECT h.by_document AS by_document_, a.* FROM anchor_hashes_${suffix} h
       JOIN anchors a ON a.kind = h.kind AND a.key = h.key WHERE h.sha256 = ?`,
    );
  }

  /** Reads what the log gained since the last lookup, or all of it after a merge or rebuild. */
  catchUp(): void {
    let rows = this.logSince.all(this.mapCursor) as LogRow[];
    const generation = generationIn(rows);
    if (generation !== this.mapGeneration) {
      this.map = new Map();
      this.mapGeneration = generation;
      this.mapCursor = 0;
      rows = this.logSince.all(0) as LogRow[];
      // a merge between the two reads: what was read is the newer log, and the next catch-up reloads anyway
      if (generationIn(rows) !== generation) this.mapGeneration = -1;
    }
    for (const [rowid, sha256] of rows) {
      if (rowid === -1) continue;
      const key = mapKey(sha256);
      const held = this.map.get(key);
      if (held === undefined) this.map.set(key, rowid);
      else if (typeof held === 'number') this.map.set(key, [held, rowid]);
      else held.push(rowid);
      this.mapCursor = rowid;
    }
  }
}

export class AnchorHashes {
  readonly #db: Database.Database;
  readonly #minLogEntries: number;
  readonly #meta: Database.Statement;
  readonly #setMeta: Database.Statement;
  readonly #partitions: readonly Partition[];
  /** Whether a lookup reads the log's new rows first: always, unless commits are announced (`writesCommitted`). */
  readonly #announced: boolean;

  constructor(
    db: Database.Database,
    options: { readonly minLogEntries?: number; readonly announcedWrites?: boolean } = {},
  ) {
    this.#db = db;
    this.#minLogEntries = options.minLogEntries ?? DEFAULT_MIN_LOG_ENTRIES;
    this.#announced = options.announcedWrites ?? false;
    this.#meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.#setMeta = db.prepare(SET_META);
    this.#partitions = SUFFIXES.map((s) => new Partition(db, s));
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
    SUFFIXES.forEach((suffix, p) => {
      const moved = db
        .prepare(
          `INSERT OR IGNORE INTO anchor_hashes_${suffix} (sha256, by_document, kind, key)
           SELECT * FROM (${entries}) WHERE ${partitionRange(p, 'sha256')} ORDER BY 1, 2, 3, 4`,
        )
        .run().changes;
      db.prepare(SET_META).run(mainEntriesKey(suffix), String(moved));
    });
    for (const table of ['anchor_documents', 'anchor_hashes', 'hash_log'])
      db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec('DROP INDEX IF EXISTS ix_anchors_commitment');
    db.exec("DELETE FROM meta WHERE key IN ('hashGeneration', 'hashMainEntries')");
  }

  /**
   * Empties both levels of every partition (a rebuild from block 0, before any instance is made on `db`);
   * readers reload, as the generations move.
   */
  static clear(db: Database.Database): void {
    const meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    const setMeta = db.prepare(SET_META);
    for (const suffix of SUFFIXES) {
      db.exec(`DELETE FROM hash_log_${suffix}`);
      db.exec(`DELETE FROM anchor_hashes_${suffix}`);
      const generation = Number(meta.get(generationKey(suffix)) ?? 0);
      setMeta.run(mainEntriesKey(suffix), '0');
      setMeta.run(generationKey(suffix), String(generation + 1));
    }
  }

  /** Appends one entry to its partition's log (inside the writer's transaction). */
  add(sha256: string, kind: string, key: string, byDocument: boolean): void {
    const partition = this.#partitions[partitionOf(sha256)] as Partition;
    partition.append.run(sha256, kind, key, byDocument ? 1 : 0);
    partition.stale = true;
    partition.logEntries = this.#logEntries(partition) + 1;
  }

  /**
   * Merges the log of the partition furthest past its limit, if any (inside the writer's transaction; the
   * writer calls it once a transaction, so that a transaction rewrites at most one sixteenth of the main level).
   */
  mergeIfDue(): void {
    let due: Partition | undefined;
    let furthest = 1;
    for (const partition of this.#partitions) {
      const limit = Math.max(this.#minLogEntries, Math.floor(this.#mainEntries(partition) / 2));
      const past = this.#logEntries(partition) / limit;
      if (past >= furthest) {
        due = partition;
        furthest = past;
      }
    }
    if (due !== undefined) this.#merge(due);
  }

  /** Moves every entry of a partition's log into its main level, sorted, and empties the log. */
  #merge(partition: Partition): void {
    const { suffix } = partition;
    const moved = this.#db
      .prepare(
        `INSERT OR IGNORE INTO anchor_hashes_${suffix} (sha256, by_document, kind, key)
         SELECT sha256, by_document, kind, key FROM hash_log_${suffix} ORDER BY sha256, by_document, kind, key`,
      )
      .run().changes;
    this.#db.exec(`DELETE FROM hash_log_${suffix}`);
    partition.mainEntries = this.#mainEntries(partition) + moved;
    this.#setMeta.run(mainEntriesKey(suffix), String(partition.mainEntries));
    this.#setMeta.run(generationKey(suffix), String(Number(this.#meta.get(generationKey(suffix)) ?? 0) + 1));
    partition.logEntries = 0;
    partition.stale = true;
  }

  /**
   * The anchors rows the entries for `sha256` name, in both levels of its partition; the same (row, commitment or
   * document) may come more than once (an anchor indexed again, an entry in the log and in the main level), and
   * the caller keeps one. Every entry committed before the call is found: the log is read first, and a merge
   * committed after that moves what was read into the main level, which is read next (a rowid the log reused
   * after a merge is told apart by its hash).
   */
  lookup(sha256: string): HashMatch[] {
    const partition = this.#partitions[partitionOf(sha256)] as Partition;
    if (partition.stale || !this.#announced) {
      partition.catchUp();
      partition.stale = false;
    }
    const matches: HashMatch[] = [];
    const rowids = partition.map.get(mapKey(sha256));
    if (rowids !== undefined) {
      for (const rowid of typeof rowids === 'number' ? [rowids] : rowids) {
        const row = partition.logMatch.get(rowid, sha256) as Record<string, unknown> | undefined;
        if (row !== undefined) matches.push(match(row));
      }
    }
    for (const row of partition.mainMatches.all(sha256) as Record<string, unknown>[])
      matches.push(match(row));
    return matches;
  }

  /**
   * Another connection committed writes (a connection opened with `announcedWrites` is told of every commit by
   * whoever makes them: the hub's chain indexer, once the writer thread's commit resolves): the next lookup in
   * each partition reads its log's new rows. Until then lookups skip that read (one statement, about 2.5-4.5 µs).
   */
  writesCommitted(): void {
    for (const partition of this.#partitions) partition.stale = true;
  }

  #logEntries(partition: Partition): number {
    partition.logEntries ??= this.#db
      .prepare(`SELECT COUNT(*) FROM hash_log_${partition.suffix}`)
      .pluck()
      .get() as number;
    return partition.logEntries;
  }

  #mainEntries(partition: Partition): number {
    partition.mainEntries ??= Number(this.#meta.get(mainEntriesKey(partition.suffix)) ?? 0);
    return partition.mainEntries;
  }
}
