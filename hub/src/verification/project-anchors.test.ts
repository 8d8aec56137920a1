import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import {
  indexedBlock,
  indexedMilestone,
  levelCount,
  tableCount,
} from '../../test/support/chain-index-fixtures';
import { ChainIndex, type IndexChanges, type IndexedAnchor, type MilestoneFact } from './chain-index';
import { compareBinary, projectPartition } from './project-anchors';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const SUFFIXES = [...'0123456789abcdef'];

/** Project i of the test: codes whose partitions differ (the hash of the code decides). */
const project = (i: number): string =>
  `2025-1101${String(i % 100).padStart(2, '0')}-47-03-${String(i).padStart(6, '0')}`;

/** A decision time that does not follow the key: anchors of a project come back in time order, not key order. */
const decidedAt = (n: number): string =>
  `2025-${String(1 + ((n * 7) % 12)).padStart(2, '0')}-${String(1 + ((n * 11) % 28)).padStart(2, '0')}T09:00:00+08:00`;

/** Milestone n (or certificate, every fourth) of project p, anchored in block b. */
function anchor(n: number, p: number, b: number, fields: Partial<IndexedAnchor> = {}): IndexedAnchor {
  return indexedMilestone({
    projectCode: project(p),
    blockNumber: b,
    txId: `tx-${b}`,
    ...(n % 4 === 3 ? { kind: 'certificate' as const, decision: null, stage: null } : {}),
    ...fields,
    key: `M-${String(n).padStart(4, '0')}`,
    decidedAt: fields.decidedAt ?? decidedAt(n),
  });
}

/** What the project reads must answer, from the anchors as last written. */
class Reference {
  readonly #current = new Map<string, IndexedAnchor>();

  apply(anchors: readonly IndexedAnchor[]): void {
    for (const a of anchors) this.#current.set(`${a.kind}|${a.key}`, a);
  }

  projects(): string[] {
    return [...new Set([...this.#current.values()].map((a) => a.projectCode as string))].sort();
  }

  byProject(code: string): string[] {
    return [...this.#current.values()]
      .filter((a) => a.projectCode === code)
      .sort((x, y) => order(x.decidedAt, y.decidedAt) || order(x.key, y.key))
      .map((a) => `${a.kind} ${a.key} ${a.txId}`);
  }

  facts(): string[] {
    return [...this.#current.values()]
      .filter((a) => a.kind === 'milestone')
      .sort(
        (x, y) =>
          order(x.projectCode, y.projectCode) || order(x.decidedAt, y.decidedAt) || order(x.key, y.key),
      )
      .map((a) => `${String(a.projectCode)} ${String(a.decidedAt)} ${String(a.stage)}`);
  }
}

const order = (x: string | null, y: string | null): number =>
  (x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0;

const keysOf = (index: ChainIndex, code: string): string[] =>
  index.byProject(code).map((a) => `${a.kind} ${a.key} ${a.txId}`);

/** Every milestone fact, read in pages of `limit`. */
function allFacts(index: ChainIndex, limit: number): string[] {
  const facts: MilestoneFact[] = [];
  let page = index.milestoneFacts(undefined, limit);
  facts.push(...page.facts);
  while (page.next) {
    expect(page.facts).to.have.length(limit);
    page = index.milestoneFacts(page.next, limit);
    facts.push(...page.facts);
  }
  return facts.map((f) => `${f.projectCode} ${f.decidedAt} ${f.stage}`);
}

// A project's anchors in two levels (project-anchors.ts) and the set of projects: whatever level an entry is in,
// before, during and after merges, on the writing connection and on another one, after corrections that move an
// anchor in time or to another project, and across reopening, the answers must be those of the anchors as written.
describe('ChainIndex: anchors by project in a log and a main level', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'project-anchors-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers projects, their anchors and the milestone walk as the anchors say, while merges move entries', () => {
    const writer = ChainIndex.open(file, { minHashLogEntries: 3 });
    const reader = ChainIndex.open(file, { checkpoints: false, minHashLogEntries: 3 });
    const reference = new Reference();
    const check = (label: string): void => {
      const projects = reference.projects();
      for (const index of [writer, reader]) {
        expect(index.stats().projects, label).to.equal(projects.length);
        for (const code of projects)
          expect(keysOf(index, code), `${label} ${code}`).to.deep.equal(reference.byProject(code));
        for (const limit of [1, 4, 1000])
          expect(allFacts(index, limit), `${label} ${limit}`).to.deep.equal(reference.facts());
      }
    };
    try {
      let n = 0;
      for (let b = 1; b <= 40; b++) {
        // 1-4 new anchors a block over 9 projects; every sixth block corrects an earlier milestone to a new time,
        // every seventh moves one to another project (a correction of its project code)
        const anchors = Array.from({ length: 1 + (b % 4) }, () => anchor(n, n++ % 9, b));
        const version = { anchorJson: `{"version":${b}}`, txId: `tx-${b}-v` };
        if (b % 6 === 0)
          anchors.push(anchor(b - 4, (b - 4) % 9, b, { ...version, decidedAt: decidedAt(b * 13) }));
        if (b % 7 === 0) anchors.push(anchor(b - 5, 10 + (b % 3), b, version));
        writer.applyBlock(indexedBlock(b, 1, anchors.length), { ...empty, anchors });
        reference.apply(anchors);
        if (b % 5 === 0 || b % 7 === 0) check(`block ${b}`);
      }
      expect(writer.byProject(project(99))).to.deep.equal([]);
      // entries were merged (each partition's log once it held half its main level, at least 3 entries)
      expect(levelCount(file, 'project_anchors')).to.be.greaterThan(levelCount(file, 'project_log'));
      expect(writer.searchProjects(project(4).slice(0, 11), 50)).to.deep.equal(
        reference
          .projects()
          .filter((code) => code.startsWith(project(4).slice(0, 11)))
          .reverse(),
      );
    } finally {
      reader.close();
      writer.close();
    }
    const reopened = ChainIndex.open(file, { checkpoints: false });
    try {
      for (const code of reference.projects())
        expect(keysOf(reopened, code)).to.deep.equal(reference.byProject(code));
      expect(allFacts(reopened, 7)).to.deep.equal(reference.facts());
    } finally {
      reopened.close();
    }
  });

  it('forgets a project a correction leaves without anchors, and keeps one another anchor still has', () => {
    const index = ChainIndex.open(file);
    try {
      index.applyBlock(indexedBlock(1, 1, 2), { ...empty, anchors: [anchor(1, 1, 1), anchor(2, 2, 1)] });
      index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [anchor(4, 2, 2)] });
      expect(index.stats().projects).to.equal(2);
      // M-0001, project 1's only anchor, moves to project 2: project 1 goes
      index.applyBlock(indexedBlock(3, 1, 1), {
        ...empty,
        anchors: [anchor(1, 2, 3, { anchorJson: '{"version":2}', txId: 'tx-3-v' })],
      });
      expect(index.stats().projects).to.equal(1);
      expect(index.searchProjects(project(1), 10)).to.deep.equal([]);
      expect(keysOf(index, project(1))).to.deep.equal([]);
      expect(keysOf(index, project(2)).map((k) => k.split(' ')[1])).to.have.members([
        'M-0001',
        'M-0002',
        'M-0004',
      ]);
      // M-0002 moves to project 3; M-0001 and M-0004 keep project 2
      index.applyBlock(indexedBlock(4, 1, 1), {
        ...empty,
        anchors: [anchor(2, 3, 4, { anchorJson: '{"version":2}', txId: 'tx-4-v' })],
      });
      expect(index.stats().projects).to.equal(2);
      expect(index.searchProjects(project(2), 10)).to.deep.equal([project(2)]);
    } finally {
      index.close();
    }
  });

  it('with announced writes, reads a log again only once told of a commit, then finds what it holds', () => {
    const writer = ChainIndex.open(file);
    const reader = ChainIndex.open(file, { checkpoints: false, announcedWrites: true });
    try {
      writer.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [anchor(1, 1, 1)] });
      expect(keysOf(reader, project(1))).to.deep.equal(['milestone M-0001 tx-1']);
      writer.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [anchor(2, 1, 2)] });
      // the entry is in the log, which the reader has not read again
      expect(keysOf(reader, project(1))).to.have.length(1);
      reader.writesCommitted();
      expect(keysOf(reader, project(1))).to.have.length(2);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('converts an index made with ix_anchors_project_time: every anchor found, the index dropped', () => {
    let index = ChainIndex.open(file);
    const reference = new Reference();
    for (let b = 1; b <= 12; b++) {
      const anchors = [anchor(2 * b, b % 5, b), anchor(2 * b + 1, (b + 2) % 5, b)];
      index.applyBlock(indexedBlock(b, 1, 2), { ...empty, anchors });
      reference.apply(anchors);
    }
    index.close();
    // as a build before the project entries left the file: the index on anchors, no projects, no entries
    const db = new Database(file);
    db.exec(`CREATE INDEX ix_anchors_project_time ON anchors (project_code, decided_at, key); DROP TABLE projects;
             ${SUFFIXES.map((s) => `DROP TABLE project_log_${s}; DROP TABLE project_anchors_${s};`).join(' ')}
             DELETE FROM meta WHERE key LIKE 'project%'`);
    db.close();

    index = ChainIndex.open(file);
    try {
      expect(index.stats().projects).to.equal(5);
      for (const code of reference.projects())
        expect(keysOf(index, code)).to.deep.equal(reference.byProject(code));
      expect(allFacts(index, 3)).to.deep.equal(reference.facts());
    } finally {
      index.close();
    }
    // every entry went into its partition's main level, sorted; nothing into the logs
    expect(levelCount(file, 'project_anchors')).to.equal(24);
    expect(levelCount(file, 'project_log')).to.equal(0);
    for (const code of reference.projects())
      expect(
        tableCount(file, `project_anchors_${SUFFIXES[projectPartition(code)] as string}`),
      ).to.be.greaterThan(0);
    const check = new Database(file, { readonly: true });
    try {
      expect(
        check.prepare("SELECT name FROM sqlite_master WHERE name = 'ix_anchors_project_time'").all(),
      ).to.deep.equal([]);
    } finally {
      check.close();
    }
  });

  it('orders strings as SQLite does, astral characters after U+E000-U+FFFF', () => {
    const pool = ['a', 'Z', '0', '审', '\uE000', '\uFFFD', '\u{1F600}', '\u{20000}', 'é', ''];
    let seed = 7;
    const next = (): number => (seed = (seed * 48_271) % 2_147_483_647);
    const strings = Array.from({ length: 400 }, () =>
      Array.from({ length: next() % 4 }, () => pool[next() % pool.length] as string).join(''),
    );
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE s (v TEXT)');
      const insert = db.prepare('INSERT INTO s (v) VALUES (?)');
      for (const v of strings) insert.run(v);
      const sqlite = db.prepare('SELECT v FROM s ORDER BY v').pluck().all() as string[];
      expect([...strings].sort(compareBinary)).to.deep.equal(sqlite);
      // JavaScript's own order differs exactly there
      expect([...strings].sort()).to.not.deep.equal(sqlite);
    } finally {
      db.close();
    }
  });

  it('spreads project codes over the 16 partitions', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++)
      counts[projectPartition(project(i))] = (counts[projectPartition(project(i))] as number) + 1;
    // 1,000 each if even: within 20%
    for (const count of counts) expect(count).to.be.within(800, 1200);
  });
});
