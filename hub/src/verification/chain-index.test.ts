import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { ChainIndex, type IndexChanges } from './chain-index';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const PROJECT = '2025-110105-47-03-000318';
const OTHER_PROJECT = '2025-110105-47-03-000999';

// revokingMilestones and supersededByCommitment skip their query when nothing can match (a project without a
// REVOKED milestone, an index without superseded versions): what they answer must not change, live or reopened.
describe('ChainIndex: revoking milestones and superseded versions', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a REVOKED milestone indexed after opening, and again after reopening', () => {
    let index = ChainIndex.open(file);
    index.applyBlock(indexedBlock(1, 1, 1), {
      ...empty,
      anchors: [indexedMilestone({ key: 'M-1', decidedAt: '2025-03-06T16:30:00+08:00' })],
    });
    expect(index.revokingMilestones(PROJECT)).to.deep.equal([]);
    const revoking = indexedMilestone({
      key: 'M-9',
      decision: 'REVOKED',
      decidedAt: '2025-04-01T10:00:00+08:00',
      blockNumber: 2,
    });
    index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [revoking] });
    expect(index.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-9']);
    expect(index.revokingMilestones(OTHER_PROJECT)).to.deep.equal([]);
    index.close();

    index = ChainIndex.open(file);
    try {
      expect(index.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-9']);
      expect(index.revokingMilestones(OTHER_PROJECT)).to.deep.equal([]);
    } finally {
      index.close();
    }
  });

  it('finds a superseded version by its commitment once a correction is indexed, and after reopening', () => {
    const first = indexedMilestone({
      key: 'M-1',
      decidedAt: '2025-03-06T16:30:00+08:00',
      commitment: 'a'.repeat(64),
    });
    const corrected = indexedMilestone({
      key: 'M-1',
      decidedAt: '2025-03-06T16:30:00+08:00',
      commitment: 'b'.repeat(64),
      anchorJson: '{"version":2}',
      txId: 'tx-M-1-v2',
      blockNumber: 2,
    });
    let index = ChainIndex.open(file);
    index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [first] });
    expect(index.supersededByCommitment('a'.repeat(64))).to.deep.equal([]);
    index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [corrected] });
    expect(index.supersededByCommitment('a'.repeat(64)).map((v) => [v.key, v.version])).to.deep.equal([
      ['M-1', 1],
    ]);
    index.close();

    index = ChainIndex.open(file);
    try {
      expect(index.supersededByCommitment('a'.repeat(64)).map((v) => v.supersededBy?.version)).to.deep.equal([
        2,
      ]);
      expect(index.supersededByCommitment('b'.repeat(64))).to.deep.equal([]);
    } finally {
      index.close();
    }
  });
});

// until 2026-12 `anchors` was clustered on (kind, key); an index file made then is rebuilt as a rowid table when
// opened, with every row and index
describe('ChainIndex: an index made with the clustered anchors table', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-layout-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Rewrites `anchors` of a closed index file as the clustered table of before, with its indexes. */
  function clusterAnchors(): void {
    const db = new Database(file);
    try {
      db.transaction(() => {
        db.exec('ALTER TABLE anchors RENAME TO anchors_new');
        db.exec(`CREATE TABLE anchors (
          kind TEXT NOT NULL, key TEXT NOT NULL, commitment TEXT NOT NULL, region TEXT NOT NULL, dept TEXT,
          project_code TEXT, uscc TEXT, stage TEXT, decision TEXT, decided_at TEXT, valid_from TEXT, valid_until TEXT,
          tx_id TEXT NOT NULL, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, recorded_at TEXT NOT NULL,
          revoked_at TEXT, revocation_reason TEXT, revocation_tx_id TEXT, revocation_block INTEGER,
          anchor_json TEXT NOT NULL, documents TEXT NOT NULL, endorsers TEXT NOT NULL, creator TEXT,
          PRIMARY KEY (kind, key)
        ) WITHOUT ROWID`);
        db.exec('INSERT INTO anchors SELECT * FROM anchors_new');
        db.exec('DROP TABLE anchors_new');
        db.exec(`CREATE INDEX ix_anchors_commitment ON anchors (commitment);
          CREATE INDEX ix_anchors_project_time ON anchors (project_code, decided_at, key);
          CREATE INDEX ix_anchors_uscc ON anchors (uscc);
          CREATE INDEX ix_anchors_revoking ON anchors (project_code) WHERE kind = 'milestone' AND decision = 'REVOKED'`);
      })();
    } finally {
      db.close();
    }
  }

  function schemaOf(): { tables: Record<string, string>; indexes: string[] } {
    const db = new Database(file, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'anchors%'")
        .all() as {
        type: string;
        name: string;
        sql: string | null;
      }[];
      return {
        tables: Object.fromEntries(rows.filter((r) => r.type === 'table').map((r) => [r.name, r.sql ?? ''])),
        indexes: rows
          .filter((r) => r.type === 'index' && r.sql !== null)
          .map((r) => r.name)
          .sort(),
      };
    } finally {
      db.close();
    }
  }

  it('rebuilds it as a rowid table with every row, its indexes and its answers', () => {
    const documented = indexedMilestone({
      key: 'M-1',
      decidedAt: '2025-03-06T16:30:00+08:00',
      commitment: 'c'.repeat(64),
      documentDigests: ['d'.repeat(64)],
    });
    const revoking = indexedMilestone({
      key: 'M-0',
      decision: 'REVOKED',
      decidedAt: '2025-04-01T10:00:00+08:00',
      blockNumber: 2,
      uscc: '91110105MA01ABCD1X',
    });
    let index = ChainIndex.open(file);
    index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [documented] });
    index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [revoking] });
    const before = {
      m1: index.get('milestone', 'M-1'),
      m0: index.get('milestone', 'M-0'),
      stats: index.stats(),
    };
    index.close();
    clusterAnchors();
    expect(schemaOf().tables.anchors).to.match(/WITHOUT ROWID/);

    index = ChainIndex.open(file);
    try {
      const { tables, indexes } = schemaOf();
      expect(Object.keys(tables)).to.deep.equal(['anchors']);
      expect(tables.anchors).to.not.match(/WITHOUT ROWID/);
      // the credit code's and the project's indexes are made no more: `applicants` and `project-anchors.ts`
      expect(indexes).to.deep.equal(['ix_anchors_block', 'ix_anchors_revocation', 'ix_anchors_revoking']);
      expect(index.get('milestone', 'M-1')).to.deep.equal(before.m1);
      expect(index.get('milestone', 'M-0')).to.deep.equal(before.m0);
      expect(index.stats()).to.deep.equal(before.stats);
      expect(index.byHash('c'.repeat(64)).map((m) => [m.anchor.key, m.matchedBy])).to.deep.equal([
        ['M-1', 'commitment'],
      ]);
      expect(index.byHash('d'.repeat(64)).map((m) => [m.anchor.key, m.matchedBy])).to.deep.equal([
        ['M-1', 'document'],
      ]);
      expect(index.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-0']);
      // the project's entries name the rows' new rowids
      expect(index.byProject(PROJECT)).to.deep.equal([before.m1, before.m0]);
      expect(index.searchProjects('91110105MA01ABCD1X', 10)).to.deep.equal([PROJECT]);
      // a later version of a key still replaces it (the upsert's conflict target is the unique (kind, key))
      index.applyBlock(indexedBlock(3, 1, 1), {
        ...empty,
        anchors: [{ ...documented, commitment: 'e'.repeat(64), txId: 'tx-M-1-b3', blockNumber: 3 }],
      });
      expect(index.get('milestone', 'M-1')?.commitment).to.equal('e'.repeat(64));
      expect(index.stats().milestones).to.equal(2);
    } finally {
      index.close();
    }
  });
});

const USCC = '91110105MA01ABCD1X';
const OTHER_USCC = '91120116MA05TJ2N7B';

// Projects by credit code: `applicants` holds each (credit code, project) pair once, where ix_anchors_uscc held an
// entry per anchor on a random key; searchProjects must answer as it did, live, after corrections, and on an
// index file made with the old index.
describe('ChainIndex: projects by credit code', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-applicants-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const milestone = (n: number, projectCode: string, uscc: string | null, fields = {}) =>
    indexedMilestone({
      key: `M-${n}`,
      decidedAt: `2025-03-${String(1 + (n % 28)).padStart(2, '0')}T16:30:00+08:00`,
      projectCode,
      uscc,
      blockNumber: n,
      ...fields,
    });

  function pairs(): [string, string][] {
    const db = new Database(file, { readonly: true });
    try {
      return (
        db.prepare('SELECT uscc, project_code FROM applicants ORDER BY 1, 2').all() as {
          uscc: string;
          project_code: string;
        }[]
      ).map((r) => [r.uscc, r.project_code]);
    } finally {
      db.close();
    }
  }

  it('keeps one pair per credit code and project, however many anchors, and finds the projects', () => {
    const index = ChainIndex.open(file);
    try {
      for (let n = 1; n <= 60; n++) {
        const anchor = milestone(n, n % 3 === 0 ? OTHER_PROJECT : PROJECT, n % 10 === 0 ? null : USCC);
        index.applyBlock(indexedBlock(n, 1, 1), { ...empty, anchors: [anchor] });
      }
      expect(index.searchProjects(USCC, 10)).to.deep.equal([OTHER_PROJECT, PROJECT]);
      expect(index.searchProjects(OTHER_USCC, 10)).to.deep.equal([]);
    } finally {
      index.close();
    }
    expect(pairs()).to.deep.equal([
      [USCC, PROJECT],
      [USCC, OTHER_PROJECT],
    ]);
  });

  it('forgets a pair a correction leaves without anchors, and keeps one another anchor still has', () => {
    const index = ChainIndex.open(file);
    try {
      index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, PROJECT, USCC)] });
      index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [milestone(2, OTHER_PROJECT, USCC)] });
      index.applyBlock(indexedBlock(3, 1, 1), { ...empty, anchors: [milestone(3, OTHER_PROJECT, USCC)] });
      // M-1, PROJECT's only anchor of USCC, is corrected to OTHER_USCC: the pair goes
      const corrected = { anchorJson: '{"version":2}', commitment: 'b'.repeat(64), txId: 'tx-v2' };
      index.applyBlock(indexedBlock(4, 1, 1), {
        ...empty,
        anchors: [milestone(1, PROJECT, OTHER_USCC, { ...corrected, blockNumber: 4 })],
      });
      expect(index.searchProjects(USCC, 10)).to.deep.equal([OTHER_PROJECT]);
      expect(index.searchProjects(OTHER_USCC, 10)).to.deep.equal([PROJECT]);
      // M-2 is corrected too, but M-3 keeps (USCC, OTHER_PROJECT)
      index.applyBlock(indexedBlock(5, 1, 1), {
        ...empty,
        anchors: [milestone(2, OTHER_PROJECT, OTHER_USCC, { ...corrected, blockNumber: 5 })],
      });
      expect(index.searchProjects(USCC, 10)).to.deep.equal([OTHER_PROJECT]);
      expect(index.searchProjects(OTHER_USCC, 10)).to.deep.equal([OTHER_PROJECT, PROJECT]);
    } finally {
      index.close();
    }
    expect(pairs()).to.deep.equal([
      [USCC, OTHER_PROJECT],
      [OTHER_USCC, PROJECT],
      [OTHER_USCC, OTHER_PROJECT],
    ]);
  });

  it('writes a pair again once a correction took it away, though the pair was written before', () => {
    const index = ChainIndex.open(file);
    try {
      index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, PROJECT, USCC)] });
      const corrected = { anchorJson: '{"version":2}', commitment: 'b'.repeat(64), txId: 'tx-v2' };
      index.applyBlock(indexedBlock(2, 1, 1), {
        ...empty,
        anchors: [milestone(1, PROJECT, OTHER_USCC, { ...corrected, blockNumber: 2 })],
      });
      expect(index.searchProjects(USCC, 10)).to.deep.equal([]);
      // a new anchor of the pair the correction took away: the pair is back
      index.applyBlock(indexedBlock(3, 1, 1), { ...empty, anchors: [milestone(3, PROJECT, USCC)] });
      expect(index.searchProjects(USCC, 10)).to.deep.equal([PROJECT]);
    } finally {
      index.close();
    }
    expect(pairs()).to.deep.equal([
      [USCC, PROJECT],
      [OTHER_USCC, PROJECT],
    ]);
  });

  it('writes a pair again after the transaction that first wrote it was rolled back', () => {
    const index = ChainIndex.open(file);
    try {
      expect(() =>
        index.inOneTransaction(() => {
          index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, PROJECT, USCC)] });
          throw new Error('the commit fails');
        }),
      ).to.throw('the commit fails');
      expect(index.nextBlock).to.equal(0);
      index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, PROJECT, USCC)] });
      expect(index.searchProjects(USCC, 10)).to.deep.equal([PROJECT]);
    } finally {
      index.close();
    }
    expect(pairs()).to.deep.equal([[USCC, PROJECT]]);
  });

  it('converts an index made with ix_anchors_uscc: the pairs of its anchors, the index dropped', () => {
    let index = ChainIndex.open(file);
    for (let n = 1; n <= 6; n++) {
      const anchor = milestone(n, n % 2 === 0 ? OTHER_PROJECT : PROJECT, n <= 3 ? USCC : OTHER_USCC);
      index.applyBlock(indexedBlock(n, 1, 1), { ...empty, anchors: [anchor] });
    }
    index.close();
    // as a build before `applicants` left the file: the per-anchor index, and no pairs
    const db = new Database(file);
    db.exec('DELETE FROM applicants; CREATE INDEX ix_anchors_uscc ON anchors (uscc)');
    db.close();
    expect(pairs()).to.deep.equal([]);

    index = ChainIndex.open(file);
    try {
      expect(index.searchProjects(USCC, 10)).to.deep.equal([OTHER_PROJECT, PROJECT]);
      expect(index.searchProjects(OTHER_USCC, 10)).to.deep.equal([OTHER_PROJECT, PROJECT]);
    } finally {
      index.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      expect(
        check.prepare("SELECT name FROM sqlite_master WHERE name = 'ix_anchors_uscc'").all(),
      ).to.deep.equal([]);
    } finally {
      check.close();
    }
    expect(pairs()).to.have.length(4);
  });
});

// A transaction's anchors (GET /transactions/{txId}): read through the block's rows and the revoked rows, never by
// reading every anchor; the same answers on an index file made before those two indexes.
describe('ChainIndex: anchors by transaction', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-tx-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fill(index: ChainIndex): void {
    const inTx = (
      key: string,
      txId: string,
      txIndex: number,
      kind: 'milestone' | 'certificate' = 'milestone',
    ) => indexedMilestone({ key, decidedAt: '2025-03-06T16:30:00+08:00', txId, txIndex, kind });
    index.applyBlock(indexedBlock(1, 2, 3), {
      ...empty,
      anchors: [inTx('M-2', 'tx-a', 0), inTx('C-1', 'tx-a', 0, 'certificate'), inTx('M-1', 'tx-b', 1)],
    });
    index.applyBlock(indexedBlock(2, 2, 1), {
      ...empty,
      anchors: [{ ...inTx('M-3', 'tx-c', 1), blockNumber: 2 }],
      revocations: [
        {
          number: 'C-1',
          revokedAt: '2025-04-01T10:00:00+08:00',
          reason: 'expired',
          txId: 'tx-r',
          blockNumber: 2,
        },
      ],
    });
  }

  const keys = (index: ChainIndex, txId: string, block: number): string[] =>
    index.byTransaction(txId, block).map((a) => `${a.kind} ${a.key}`);

  function expectAnswers(index: ChainIndex): void {
    expect(keys(index, 'tx-a', 1)).to.deep.equal(['certificate C-1', 'milestone M-2']);
    expect(keys(index, 'tx-b', 1)).to.deep.equal(['milestone M-1']);
    expect(keys(index, 'tx-c', 2)).to.deep.equal(['milestone M-3']);
    // the revocation's transaction finds the certificate it revoked, and only in its own block
    expect(keys(index, 'tx-r', 2)).to.deep.equal(['certificate C-1']);
    expect(keys(index, 'tx-r', 1)).to.deep.equal([]);
    expect(keys(index, 'tx-a', 2)).to.deep.equal([]);
  }

  it('finds what a transaction recorded and what it revoked, in key order', () => {
    const index = ChainIndex.open(file);
    try {
      fill(index);
      expectAnswers(index);
    } finally {
      index.close();
    }
  });

  it('makes its indexes on an index file made without them', () => {
    let index = ChainIndex.open(file);
    fill(index);
    index.close();
    const db = new Database(file);
    db.exec('DROP INDEX ix_anchors_block; DROP INDEX ix_anchors_revocation');
    db.close();
    index = ChainIndex.open(file);
    try {
      expectAnswers(index);
    } finally {
      index.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      const names = check
        .prepare("SELECT name FROM sqlite_master WHERE name IN ('ix_anchors_block', 'ix_anchors_revocation')")
        .pluck()
        .all();
      expect(names).to.have.members(['ix_anchors_block', 'ix_anchors_revocation']);
    } finally {
      check.close();
    }
  });
});
