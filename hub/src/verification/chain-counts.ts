/**
 * The chain index's counts (`ChainIndex.stats()`, `GET /stats` and the reconciliation job): anchors by kind, region
 * and department, revoked certificates and projects, kept in `counts` by the writer as it applies each block,
 * instead of counted by reading every anchor per call (until 2026-12: `GROUP BY region` and `dept` read the whole
 * table, about 42 ms at 100,000 anchors and growing with them, on the hub's main thread).
 *
 * A block's changes are summed in memory and written once per block, in its transaction: a handful of rows that
 * every block updates, so their pages stay in the cache and a commit writes them once. An index made before
 * `counts` is counted once when opened (`fill`).
 */
import type Database from 'better-sqlite3';

export const COUNTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;`;

/** What one anchor counts under: its kind, region and department. */
export interface CountedAnchor {
  readonly kind: string;
  readonly region: string;
  readonly dept: string | null;
}

export interface Counts {
  readonly byKind: Readonly<Record<string, number>>;
  readonly byRegion: Readonly<Record<string, number>>;
  readonly byDept: Readonly<Record<string, number>>;
  readonly revokedCertificates: number;
  readonly projects: number;
}

const REVOKED = 'revoked';
const PROJECTS = 'projects';

export class ChainCounts {
  readonly #add: Database.Statement;
  readonly #all: Database.Statement;
  /** The current block's changes, by count name (written by `flush`). */
  readonly #pending = new Map<string, number>();

  constructor(db: Database.Database) {
    this.#add = db.prepare(
      'INSERT INTO counts (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n',
    );
    this.#all = db.prepare('SELECT name, n FROM counts').raw();
  }

  /**
   * Counts every anchor, revoked certificate and project of an index made before `counts` (inside `open`'s
   * transaction, after `projects` is filled): the one full read.
   */
  static fill(db: Database.Database): void {
    db.exec(`DELETE FROM counts;
      INSERT INTO counts (name, n) SELECT 'kind:' || kind, COUNT(*) FROM anchors GROUP BY kind;
      INSERT INTO counts (name, n) SELECT 'region:' || region, COUNT(*) FROM anchors GROUP BY region;
      INSERT INTO counts (name, n) SELECT 'dept:' || dept, COUNT(*) FROM anchors WHERE dept IS NOT NULL GROUP BY dept;
      INSERT INTO counts (name, n)
        SELECT '${REVOKED}', COUNT(*) FROM anchors WHERE kind = 'certificate' AND revoked_at IS NOT NULL;
      INSERT INTO counts (name, n) SELECT '${PROJECTS}', COUNT(*) FROM projects;`);
  }

  /** Forgets the current block's changes (a block starts, or its transaction failed). */
  reset(): void {
    this.#pending.clear();
  }

  /** A new anchor (a correction keeps the kind, region and department its row is counted under). */
  anchor(a: CountedAnchor): void {
    this.#change(`kind:${a.kind}`, 1);
    this.#change(`region:${a.region}`, 1);
    if (a.dept !== null) this.#change(`dept:${a.dept}`, 1);
  }

  revoked(): void {
    this.#change(REVOKED, 1);
  }

  project(delta: number): void {
    this.#change(PROJECTS, delta);
  }

  /** Writes the current block's changes (inside its transaction). */
  flush(): void {
    for (const [name, delta] of this.#pending) if (delta !== 0) this.#add.run(name, delta);
    this.#pending.clear();
  }

  read(): Counts {
    const byKind: Record<string, number> = {};
    const byRegion: Record<string, number> = {};
    const byDept: Record<string, number> = {};
    let revokedCertificates = 0;
    let projects = 0;
    for (const [name, n] of this.#all.all() as [string, number][]) {
      if (name === REVOKED) revokedCertificates = n;
      else if (name === PROJECTS) projects = n;
      else if (n > 0) {
        const split = name.indexOf(':');
        const into = { kind: byKind, region: byRegion, dept: byDept }[name.slice(0, split)];
        if (into !== undefined) into[name.slice(split + 1)] = n;
      }
    }
    return { byKind, byRegion, byDept, revokedCertificates, projects };
  }

  #change(name: string, delta: number): void {
    this.#pending.set(name, (this.#pending.get(name) ?? 0) + delta);
  }
}
