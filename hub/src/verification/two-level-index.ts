/**
 * A secondary index of the chain index kept as a small log-structured merge in 16 partitions, instead of a B-tree
 * index on random keys. Two indexes use it: the lookup by hash (`anchor-hashes.ts`) and a project's anchors
 * (`project-anchors.ts`).
 *
 * Why: once a B-tree index on random keys outgrows a commit, each new entry dirties a leaf page of its own, which
 * the WAL and then the checkpoint each write whole (measured for issue 16: 5.3-5.7 KB of the 18.9 KB the hub
 * wrote per record went to the two hash indexes alone, and the share grows with the index).
 *
 * How, in each partition `s` (`0`-`f`; which entries a partition holds is the owner's choice):
 * - `<log>_s` (a rowid table) takes each new entry by appending: a commit writes each log's last page only.
 * - `<main>_s` (WITHOUT ROWID, clustered on the entry) holds everything older. When a log reaches half the size
 *   of its main level (and at least `minLogEntries`), the writer moves it there, sorted, so each leaf of the main
 *   level is written once per merge for all the entries it receives, and empties the log; the meta row
 *   `<stem>Generation.s` counts the partition's merges and `<stem>MainEntries.s` its main level's entries.
 * - At most one merge of an index runs per transaction of the writer (`mergeIfDue`): it rewrites a sixteenth of
 *   the main level, so the writer's longest transaction (which receipts wait for) is a sixteenth of what one
 *   table's merge took (measured for issue 16: 6.5 s at 2,000,000 anchors).
 * - A reader keeps each partition's log in memory (a map from an entry's key to one value per log row: a number
 *   the owner chooses), catching up from the last rowid it read and reloading the partition from scratch when its
 *   generation moves. The owner reads the map first and the main level after: every entry committed before it
 *   began is found, wherever a merge has put it meanwhile. A reader opened with announced writes (the hub's, told
 *   by its chain indexer after each commit of the writer thread) skips the catch-up until it is told
 *   (`writesCommitted`).
 *
 * Entries are never removed but by `clear`: owners check an entry against the anchor's current row.
 */
import type Database from 'better-sqlite3';

/** Partition suffixes: `0`-`f`. */
export const SUFFIXES = [...'0123456789abcdef'];

const SET_META =
  'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

export interface TwoLevelSpec {
  /** The log tables' stem: `<log>_0` to `<log>_f`. */
  readonly log: string;
  /** The main levels' stem. */
  readonly main: string;
  /** The meta keys' stem. */
  readonly meta: string;
  /** The entry's columns, in the main level's primary-key order; the log has the same columns. */
  readonly columns: readonly string[];
  /** The log column a reader's map is keyed by. */
  readonly mapKey: string;
  /** What the map holds per log row: a numeric column of the log, or `rowid`. */
  readonly mapValue: string;
  /** A map key from the key column's value (the hash index keeps 48 bits of a hash as a number). */
  readonly keyOf: (value: string) => number | string;
}

const generationKey = (spec: TwoLevelSpec, suffix: string): string => `${spec.meta}Generation.${suffix}`;
const mainEntriesKey = (spec: TwoLevelSpec, suffix: string): string => `${spec.meta}MainEntries.${suffix}`;

/**
 * The smallest log of a partition that is merged (entries): below it a merge would rewrite the main level too
 * often. 4,096 a partition is about 65,000 in all.
 */
const DEFAULT_MIN_LOG_ENTRIES = 4_096;

/** A row of the catch-up statement: the generation as (-1, value, null), then the log's (rowid, key, value). */
type LogRow = [number, string, number | null];

function generationIn(rows: readonly LogRow[]): number {
  const first = rows[0];
  return first !== undefined && first[0] === -1 ? Number(first[1]) : 0;
}

/** One partition's statements, the writer's counts and a reader's map of its log. */
class Partition {
  readonly suffix: string;
  readonly append: Database.Statement;
  readonly logSince: Database.Statement;

  /** Writer side: entries in the log and in the main level (read at first use, then kept). */
  logEntries: number | undefined;
  mainEntries: number | undefined;

  /** Reader side: the log as far as read, by key; the generation it belongs to and the last rowid read. */
  map = new Map<number | string, number | number[]>();
  mapGeneration = -1;
  mapCursor = 0;
  stale = true;

  constructor(db: Database.Database, spec: TwoLevelSpec, suffix: string) {
    this.suffix = suffix;
    this.append = db.prepare(
      `INSERT INTO ${spec.log}_${suffix} (${spec.columns.join(', ')}) VALUES (${spec.columns.map(() => '?').join(', ')})`,
    );
    // the generation first (row id -1), then the log's rows after the cursor: one statement, one snapshot
    this.logSince = db
      .prepare(
        `SELECT -1 AS id, value AS k, NULL AS v FROM meta WHERE key = '${generationKey(spec, suffix)}'
         UNION ALL SELECT * FROM (
           SELECT rowid, ${spec.mapKey}, ${spec.mapValue} FROM ${spec.log}_${suffix} WHERE rowid > ? ORDER BY rowid)`,
      )
      .raw();
  }

  /** Reads what the log gained since the last read, or all of it after a merge or rebuild. */
  catchUp(keyOf: (value: string) => number | string): void {
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
    for (const [rowid, key, value] of rows) {
      if (rowid === -1) continue;
      const k = keyOf(key);
      const v = Number(value);
      const held = this.map.get(k);
      if (held === undefined) this.map.set(k, v);
      else if (typeof held === 'number') this.map.set(k, [held, v]);
      else held.push(v);
      this.mapCursor = rowid;
    }
  }
}

export class TwoLevelIndex {
  readonly #db: Database.Database;
  readonly #spec: TwoLevelSpec;
  readonly #minLogEntries: number;
  readonly #meta: Database.Statement;
  readonly #setMeta: Database.Statement;
  readonly #partitions: readonly Partition[];
  /** Whether a read catches up with the log first: always, unless commits are announced (`writesCommitted`). */
  readonly #announced: boolean;

  constructor(
    db: Database.Database,
    spec: TwoLevelSpec,
    options: { readonly minLogEntries?: number; readonly announcedWrites?: boolean } = {},
  ) {
    this.#db = db;
    this.#spec = spec;
    this.#minLogEntries = options.minLogEntries ?? DEFAULT_MIN_LOG_ENTRIES;
    this.#announced = options.announcedWrites ?? false;
    this.#meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.#setMeta = db.prepare(SET_META);
    this.#partitions = SUFFIXES.map((s) => new Partition(db, spec, s));
  }

  /**
   * Fills partition `p`'s main level with `select` (the entry's columns, in its order), as a conversion of an
   * older layout does inside the caller's transaction; returns the entries moved.
   */
  static fillMain(db: Database.Database, spec: TwoLevelSpec, p: number, select: string): number {
    const suffix = SUFFIXES[p] as string;
    const columns = spec.columns.join(', ');
    const moved = db
      .prepare(`INSERT OR IGNORE INTO ${spec.main}_${suffix} (${columns}) ${select}`)
      .run().changes;
    const before = Number(
      db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(mainEntriesKey(spec, suffix)) ?? 0,
    );
    db.prepare(SET_META).run(mainEntriesKey(spec, suffix), String(before + moved));
    return moved;
  }

  /**
   * Empties both levels of every partition (a rebuild from block 0, before any instance is made on `db`);
   * readers reload, as the generations move.
   */
  static clear(db: Database.Database, spec: TwoLevelSpec): void {
    const meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    const setMeta = db.prepare(SET_META);
    for (const suffix of SUFFIXES) {
      db.exec(`DELETE FROM ${spec.log}_${suffix}`);
      db.exec(`DELETE FROM ${spec.main}_${suffix}`);
      const generation = Number(meta.get(generationKey(spec, suffix)) ?? 0);
      setMeta.run(mainEntriesKey(spec, suffix), '0');
      setMeta.run(generationKey(spec, suffix), String(generation + 1));
    }
  }

  /** Appends one entry (its columns' values in order) to partition `p`'s log (inside the writer's transaction). */
  add(p: number, values: readonly unknown[]): void {
    const partition = this.#partitions[p] as Partition;
    partition.append.run(...values);
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
    const spec = this.#spec;
    const columns = spec.columns.join(', ');
    const moved = this.#db
      .prepare(
        `INSERT OR IGNORE INTO ${spec.main}_${suffix} (${columns})
         SELECT ${columns} FROM ${spec.log}_${suffix} ORDER BY ${columns}`,
      )
      .run().changes;
    this.#db.exec(`DELETE FROM ${spec.log}_${suffix}`);
    partition.mainEntries = this.#mainEntries(partition) + moved;
    this.#setMeta.run(mainEntriesKey(spec, suffix), String(partition.mainEntries));
    const generation = Number(this.#meta.get(generationKey(spec, suffix)) ?? 0);
    this.#setMeta.run(generationKey(spec, suffix), String(generation + 1));
    partition.logEntries = 0;
    partition.stale = true;
  }

  /**
   * The values the log of partition `p` holds for `key` (as the spec's `keyOf` maps it), as far as committed
   * now; the caller reads the main level after this, so an entry a merge moves meanwhile is found there.
   */
  logValues(p: number, key: string): readonly number[] {
    const partition = this.#partitions[p] as Partition;
    if (partition.stale || !this.#announced) {
      partition.catchUp(this.#spec.keyOf);
      partition.stale = false;
    }
    const held = partition.map.get(this.#spec.keyOf(key));
    return held === undefined ? [] : typeof held === 'number' ? [held] : held;
  }

  /**
   * Another connection committed writes (a connection opened with `announcedWrites` is told of every commit by
   * whoever makes them: the hub's chain indexer, once the writer thread's commit resolves): the next read of each
   * partition catches up with its log. Until then reads skip that statement (about 2.5-4.5 µs).
   */
  writesCommitted(): void {
    for (const partition of this.#partitions) partition.stale = true;
  }

  #logEntries(partition: Partition): number {
    partition.logEntries ??= this.#db
      .prepare(`SELECT COUNT(*) FROM ${this.#spec.log}_${partition.suffix}`)
      .pluck()
      .get() as number;
    return partition.logEntries;
  }

  #mainEntries(partition: Partition): number {
    partition.mainEntries ??= Number(this.#meta.get(mainEntriesKey(this.#spec, partition.suffix)) ?? 0);
    return partition.mainEntries;
  }
}
