/**
 * The chain index's anchors by project, as a two-level index in 16 partitions (`two-level-index.ts`), and the set
 * of projects (`projects`, one row per project), instead of `ix_anchors_project_time`, a B-tree index on
 * `anchors (project_code, decided_at, key)` (until 2026-12).
 *
 * Why: records arrive for many projects at once (each approval of each project in its own department), so that
 * index took each anchor into the leaf of a random key, a page written whole per anchor once the index outgrew a
 * commit. Measured for issue 16 (chain-index bench, 1,500,000 anchors over 50,000 projects against the same
 * anchors in project order): most of the 9-10 KB and 15-25 µs more per anchor.
 *
 * How: an entry is (project code, `anchors` rowid), in partition `projectPartition(code)`: `project_log_p` takes
 * new entries, `project_anchors_p` (clustered on the entry) the merged ones; a reader's map of each log is keyed
 * by project code and holds anchor rowids. A project's anchors are the `anchors` rows its entries name whose
 * project is still that project (a correction that moves an anchor to another project adds an entry there and
 * leaves the old one, as the hash index does), in decision-time order. `projects` holds each project with at
 * least one anchor: it serves the project count, the search by code prefix, and the walk over every project in
 * code order (`ChainIndex.milestoneFacts`); an insert writes it once per project, not once per anchor.
 *
 * Entries name rowids of `anchors`, a rowid table that is appended to and never vacuumed (a VACUUM may renumber
 * its rows: delete the index file instead, and it is rebuilt from block 0).
 */
import type Database from 'better-sqlite3';
import { SUFFIXES, TwoLevelIndex, type TwoLevelSpec } from './two-level-index';

/**
 * The partition of a project code: the top 4 bits of its 32-bit FNV-1a hash over UTF-16 units. Part of the file's
 * layout: it never changes.
 */
export function projectPartition(projectCode: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < projectCode.length; i++) {
    hash ^= projectCode.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 28;
}

/**
 * Compares two strings as SQLite's BINARY collation does (UTF-8 bytes, that is code points). UTF-16 units agree
 * with code points but between a surrogate (of U+10000 and above) and U+E000-U+FFFF, which are swapped here.
 */
export function compareBinary(x: string, y: string): number {
  if (x === y) return 0;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const a = x.charCodeAt(i);
    const b = y.charCodeAt(i);
    if (a !== b) return codePointRank(a) - codePointRank(b);
  }
  return x.length - y.length;
}

/** A text column's value, '' for NULL (which SQLite sorts first too). */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

const SPEC: TwoLevelSpec = {
  log: 'project_log',
  main: 'project_anchors',
  meta: 'project',
  columns: ['project_code', 'anchor'],
  mapKey: 'project_code',
  mapValue: 'anchor',
  keyOf: (code) => code,
};

export const PROJECT_ANCHORS_SCHEMA = `
CREATE TABLE IF NOT EXISTS projects (project_code TEXT PRIMARY KEY) WITHOUT ROWID;${SUFFIXES.map(
  (s) => `
CREATE TABLE IF NOT EXISTS project_log_${s} (project_code TEXT NOT NULL, anchor INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS project_anchors_${s} (
  project_code TEXT NOT NULL, anchor INTEGER NOT NULL, PRIMARY KEY (project_code, anchor)
) WITHOUT ROWID;`,
).join('')}`;

/** Named parameters of a condition on a project's anchors (`@name` in its SQL). */
export type Params = Readonly<Record<string, unknown>>;

export class ProjectAnchors {
  readonly #db: Database.Database;
  readonly #index: TwoLevelIndex;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #addProject: Database.Statement;

  constructor(
    db: Database.Database,
    options: { readonly minLogEntries?: number; readonly announcedWrites?: boolean } = {},
  ) {
    this.#db = db;
    this.#index = new TwoLevelIndex(db, SPEC, options);
    this.#addProject = db.prepare('INSERT OR IGNORE INTO projects (project_code) VALUES (?)');
  }

  /**
   * Fills the partitions' main levels and `projects` anew from `anchors` and drops `ix_anchors_project_time`: an
   * index made before them, or whose `anchors` rows were copied anew (their rowids, which entries name, changed),
   * converted inside `open`'s transaction.
   */
  static migrate(db: Database.Database): void {
    ProjectAnchors.clear(db);
    db.function('project_partition', { deterministic: true }, (code) => projectPartition(String(code)));
    SUFFIXES.forEach((_, p) =>
      TwoLevelIndex.fillMain(
        db,
        SPEC,
        p,
        `SELECT project_code, rowid FROM anchors
         WHERE project_code IS NOT NULL AND project_partition(project_code) = ${p} ORDER BY 1, 2`,
      ),
    );
    db.exec(`INSERT OR IGNORE INTO projects (project_code)
             SELECT DISTINCT project_code FROM anchors WHERE project_code IS NOT NULL ORDER BY 1`);
    db.exec('DROP INDEX IF EXISTS ix_anchors_project_time');
  }

  /** Empties both levels of every partition and `projects` (a rebuild from block 0). */
  static clear(db: Database.Database): void {
    TwoLevelIndex.clear(db, SPEC);
    db.exec('DELETE FROM projects');
  }

  /**
   * Records that `anchors` row `anchor` is of `projectCode` (inside the writer's transaction); true when the
   * project is new.
   */
  add(projectCode: string, anchor: number): boolean {
    this.#index.add(projectPartition(projectCode), [projectCode, anchor]);
    return this.#addProject.run(projectCode).changes === 1;
  }

  /**
   * Removes a project from `projects` when no anchor is of it any more (a correction moved its last one); true
   * when it did.
   */
  forgetIfEmpty(projectCode: string): boolean {
    if (this.rows(projectCode, '', {}, 1).length > 0) return false;
    return this.#db.prepare('DELETE FROM projects WHERE project_code = ?').run(projectCode).changes === 1;
  }

  /**
   * The `anchors` rows of a project, in (decision time, key) order, that also meet `condition` (SQL on `anchors`'
   * columns, `a`, after `AND`, with named parameters `params`), at most `limit`. The log is read before the main
   * level (see `two-level-index.ts`): every anchor committed before the call is found.
   */
  rows(projectCode: string, condition: string, params: Params, limit = Infinity): Record<string, unknown>[] {
    const p = projectPartition(projectCode);
    const log = JSON.stringify(this.#index.logValues(p, projectCode));
    // the entries first, then each row by rowid (CROSS JOIN keeps that order: given `kind = ?`, the planner
    // would otherwise scan every anchor of the kind through the (kind, key) index); sorted here, not by SQLite's
    // sorter, which would copy each whole row (about 1 KB) into it
    const sql = `SELECT a.* FROM (
        SELECT anchor FROM project_anchors_${SUFFIXES[p] as string} WHERE project_code = @project_
        UNION SELECT value FROM json_each(@log_)) AS e
      CROSS JOIN anchors a ON a.rowid = e.anchor
      WHERE a.project_code = @project_ ${condition}`;
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    const rows = statement.all({ ...params, project_: projectCode, log_: log }) as Record<string, unknown>[];
    rows.sort(
      (x, y) =>
        compareBinary(textOf(x.decided_at), textOf(y.decided_at)) ||
        compareBinary(textOf(x.key), textOf(y.key)),
    );
    return rows.length > limit ? rows.slice(0, limit) : rows;
  }

  /** Merges one partition's log into its main level if one is due (once per transaction of the writer). */
  mergeIfDue(): void {
    this.#index.mergeIfDue();
  }

  /** Another connection committed writes: the next read of each partition catches up with its log. */
  writesCommitted(): void {
    this.#index.writesCommitted();
  }
}
