import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { indexedBlock, indexedMilestone } from '../../test/support/chain-index-fixtures';
import { type ChainStats, ChainIndex, type IndexChanges, type IndexedAnchor } from './chain-index';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const REGIONS = ['BJ', 'TJ', 'HE'] as const;
const DEPTS = ['HC', 'PN', 'EE', null] as const;
const KINDS = ['milestone', 'certificate', 'credit'] as const;

/** Anchor n: its kind, region, department and project cycle with n, so that every count has several rows. */
function anchor(n: number, block: number, fields: Partial<IndexedAnchor> = {}): IndexedAnchor {
  return indexedMilestone({
    kind: KINDS[n % 3],
    region: REGIONS[n % 3],
    dept: DEPTS[n % 4] as IndexedAnchor['dept'],
    projectCode: n % 5 === 4 ? null : `2025-110105-47-03-${String(n % 7).padStart(6, '0')}`,
    blockNumber: block,
    txId: `tx-${block}`,
    ...fields,
    key: `K-${n}`,
    decidedAt: '2025-03-06T16:30:00+08:00',
  });
}

/** The counts as the index's rows say, counted by reading every row (what `stats()` did until 2026-12). */
function recount(file: string): ChainStats {
  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const grouped = (column: string): Record<string, number> =>
      Object.fromEntries(
        db
          .prepare(`SELECT ${column}, COUNT(*) FROM anchors WHERE ${column} IS NOT NULL GROUP BY 1`)
          .raw()
          .all() as [string, number][],
      );
    return {
      milestones: count("SELECT COUNT(*) FROM anchors WHERE kind = 'milestone'"),
      certificates: count("SELECT COUNT(*) FROM anchors WHERE kind = 'certificate'"),
      revokedCertificates: count(
        "SELECT COUNT(*) FROM anchors WHERE kind = 'certificate' AND revoked_at IS NOT NULL",
      ),
      credits: count("SELECT COUNT(*) FROM anchors WHERE kind = 'credit'"),
      projects: count('SELECT COUNT(DISTINCT project_code) FROM anchors WHERE project_code IS NOT NULL'),
      recognitions: count('SELECT COUNT(*) FROM recognitions'),
      byRegion: grouped('region'),
      byDept: grouped('dept'),
    };
  } finally {
    db.close();
  }
}

// stats() reads counts the writer keeps per block (chain-counts.ts): after inserts, corrections (to another
// project, the same version again, an older version that changes nothing), revocations (and a second one of the
// same certificate), a failed block, reopening and the conversion of a file without counts, they must be what
// reading every row says.
describe('ChainIndex: counts kept by the writer', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-counts-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fill(index: ChainIndex): void {
    let n = 0;
    for (let b = 1; b <= 30; b++) {
      const anchors = Array.from({ length: 1 + (b % 4) }, () => anchor(n++, b));
      // corrections: to another project (and a department it cannot change), the same version again, and one
      // recorded before the version indexed
      if (b % 4 === 0)
        anchors.push(anchor(b - 3, b, { anchorJson: `{"version":${b}}`, projectCode: null, dept: 'EE' }));
      if (b % 5 === 0) anchors.push(anchor(b - 2, b));
      // a project of one anchor, which a correction then moves to another project: it is counted no more
      const lone = '2025-120116-47-03-000001';
      if (b === 2) anchors.push(anchor(1000, b, { projectCode: lone }));
      if (b === 9) anchors.push(anchor(1000, b, { anchorJson: '{"version":2}' }));
      if (b % 6 === 0) anchors.push(anchor(b - 4, b - 1, { txIndex: -1, anchorJson: `{"version":${b}}` }));
      const revocations = [b - 5, b - 6]
        .filter((k) => k >= 0 && k % 3 === 1)
        .map((k) => ({
          number: `K-${k}`,
          revokedAt: '2025-04-01T10:00:00+08:00',
          reason: 'r',
          txId: `tx-${b}`,
          blockNumber: b,
        }));
      index.applyBlock(indexedBlock(b, 1, anchors.length), { ...empty, anchors, revocations });
      expect(index.stats(), `block ${b}`).to.deep.equal(recount(file));
    }
  }

  it('counts as the rows say after every block, and after reopening', () => {
    let index = ChainIndex.open(file);
    try {
      fill(index);
      const stats = index.stats();
      expect(stats.revokedCertificates).to.be.greaterThan(0);
      expect(stats.projects).to.be.greaterThan(0);
      // a block that fails leaves the counts as they were
      const before = index.stats();
      expect(() =>
        index.applyBlock(indexedBlock(31, 1, 1), {
          ...empty,
          anchors: [anchor(500, 31), { ...anchor(501, 31), commitment: null as unknown as string }],
        }),
      ).to.throw();
      expect(index.stats()).to.deep.equal(before);
      index.applyBlock(indexedBlock(31, 1, 1), { ...empty, anchors: [anchor(500, 31)] });
      expect(index.stats()).to.deep.equal(recount(file));
    } finally {
      index.close();
    }
    index = ChainIndex.open(file);
    try {
      expect(index.stats()).to.deep.equal(recount(file));
    } finally {
      index.close();
    }
  });

  it('counts an index made before the counts once, when opened', () => {
    let index = ChainIndex.open(file);
    fill(index);
    index.close();
    const db = new Database(file);
    db.exec('DROP TABLE counts');
    db.close();
    index = ChainIndex.open(file);
    try {
      expect(index.stats()).to.deep.equal(recount(file));
      index.applyBlock(indexedBlock(31, 1, 1), { ...empty, anchors: [anchor(500, 31)] });
      expect(index.stats()).to.deep.equal(recount(file));
    } finally {
      index.close();
    }
  });
});
