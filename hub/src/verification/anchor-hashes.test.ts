import { createHash } from 'node:crypto';
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
import { ChainIndex, type IndexChanges, type IndexedAnchor } from './chain-index';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const SUFFIXES = [...'0123456789abcdef'];
/**
 * A SHA-256 of `text` moved into partition `first` (its first hex digit): the tests put their entries in one or two
 * partitions, so that a small limit makes those merge (random hashes would spread a few entries over all 16).
 */
const hash = (text: string, first = '7'): string =>
  first + createHash('sha256').update(text).digest('hex').slice(1);

/** Milestone n of block b: its own commitment and two documents, the second shared with milestone n + 1. */
const milestone = (n: number, b: number, version = 1, first = '7'): IndexedAnchor =>
  indexedMilestone({
    key: `M-${n}`,
    decidedAt: '2025-03-06T16:30:00+08:00',
    blockNumber: b,
    txId: `tx-${b}`,
    commitment: hash(`commitment ${n} v${version}`, first),
    documentDigests: [hash(`document ${n} v${version}`, first), hash(`shared ${Math.floor(n / 2)}`, first)],
  });

/** What `byHash` must answer, from the anchors as last written (the reference the index is held to). */
class Reference {
  readonly #current = new Map<string, IndexedAnchor>();
  /** Every document digest ever indexed for a key: document entries stay when a correction drops one. */
  readonly #documents = new Map<string, Set<string>>();

  apply(anchors: readonly IndexedAnchor[]): void {
    for (const a of anchors) {
      this.#current.set(a.key, a);
      for (const d of a.documentDigests) {
        const keys = this.#documents.get(d) ?? new Set<string>();
        keys.add(a.key);
        this.#documents.set(d, keys);
      }
    }
  }

  hashes(): string[] {
    return [...new Set([...[...this.#current.values()].map((a) => a.commitment), ...this.#documents.keys()])];
  }

  byHash(sha256: string): string[] {
    const byCommitment = [...this.#current.values()]
      .filter((a) => a.commitment === sha256)
      .map((a) => `commitment ${a.key}`)
      .sort();
    const byDocument = [...(this.#documents.get(sha256) ?? [])].map((key) => `document ${key}`).sort();
    return [...byCommitment, ...byDocument];
  }
}

const answer = (index: ChainIndex, sha256: string): string[] =>
  index.byHash(sha256).map((m) => `${m.matchedBy} ${m.anchor.key}`);

/** Entries in each partition's log. */
const logCounts = (file: string): number[] => SUFFIXES.map((s) => tableCount(file, `hash_log_${s}`));

// Lookups by hash in two levels (anchor-hashes.ts): an appended log and a main level the log is merged into.
// Whatever level an entry is in, before, during and after merges, on the writing connection and on another one,
// across reopening, the answers must be those of the anchors as written.
describe('ChainIndex: lookups by hash in a log and a main level', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anchor-hashes-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every hash as the anchors say, on both connections, while merges move entries', () => {
    const writer = ChainIndex.open(file, { minHashLogEntries: 5 });
    const reader = ChainIndex.open(file, { checkpoints: false, minHashLogEntries: 5 });
    const reference = new Reference();
    let merged = 0;
    try {
      let n = 0;
      for (let b = 1; b <= 30; b++) {
        // 1-3 new milestones a block, in partitions 3 and c; every fifth block corrects an earlier one (new
        // commitment and documents)
        const anchors = Array.from({ length: 1 + (b % 3) }, () => milestone(n, b, 1, n++ % 2 ? '3' : 'c'));
        if (b % 5 === 0) anchors.push(milestone(b - 3, b, 2, 'c'));
        const logsBefore = logCounts(file);
        writer.applyBlock(indexedBlock(b, 1, anchors.length), { ...empty, anchors });
        reference.apply(anchors);
        const shrunk = logCounts(file).filter((count, p) => count < (logsBefore[p] as number)).length;
        expect(shrunk, `partitions merged by block ${b}`).to.be.at.most(1);
        merged += shrunk;
        for (const sha of reference.hashes()) {
          const expected = reference.byHash(sha);
          expect(answer(writer, sha), `writer, block ${b}`).to.deep.equal(expected);
          expect(answer(reader, sha), `reader, block ${b}`).to.deep.equal(expected);
        }
      }
      expect(answer(reader, hash('never indexed'))).to.deep.equal([]);
      // the logs were merged several times (each time once it held half its main level, at least 5 entries)
      expect(merged).to.be.greaterThan(4);
      expect(tableCount(file, 'anchor_hashes_3')).to.be.greaterThan(0);
      expect(tableCount(file, 'anchor_hashes_c')).to.be.greaterThan(0);
      expect(levelCount(file, 'anchor_hashes')).to.be.greaterThan(levelCount(file, 'hash_log'));
    } finally {
      reader.close();
      writer.close();
    }
    const reopened = ChainIndex.open(file, { checkpoints: false });
    try {
      for (const sha of reference.hashes())
        expect(answer(reopened, sha)).to.deep.equal(reference.byHash(sha));
    } finally {
      reopened.close();
    }
  });

  it('finds by commitment only the current version, and by document every version it was indexed with', () => {
    const index = ChainIndex.open(file, { minHashLogEntries: 4 });
    try {
      const first = milestone(7, 1);
      const corrected = milestone(7, 2, 2);
      index.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [first] });
      expect(index.byCommitment(first.commitment).map((a) => a.key)).to.deep.equal(['M-7']);
      index.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [corrected] });
      for (let b = 3; b <= 6; b++)
        index.applyBlock(indexedBlock(b, 1, 1), { ...empty, anchors: [milestone(100 + b, b)] });
      expect(levelCount(file, 'anchor_hashes')).to.be.greaterThan(0);
      expect(index.byCommitment(first.commitment)).to.deep.equal([]);
      expect(index.byCommitment(corrected.commitment).map((a) => a.blockNumber)).to.deep.equal([2]);
      expect(index.byDocument(hash('document 7 v1')).map((a) => a.blockNumber)).to.deep.equal([2]);
      expect(index.byDocument(hash('document 7 v2')).map((a) => a.key)).to.deep.equal(['M-7']);
    } finally {
      index.close();
    }
  });

  it('sees entries a merge moved while its map held them, and entries appended after it', () => {
    const writer = ChainIndex.open(file, { minHashLogEntries: 6 });
    const reader = ChainIndex.open(file, { checkpoints: false });
    try {
      writer.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, 1)] });
      const one = milestone(1, 1);
      // the reader's map now holds the log's rows 1-3
      expect(answer(reader, one.commitment)).to.deep.equal(['commitment M-1']);
      // two more blocks: the log reaches 6 entries at the second and is merged into the main level; rowids restart
      writer.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [milestone(2, 2)] });
      expect(levelCount(file, 'hash_log')).to.equal(0);
      writer.applyBlock(indexedBlock(3, 1, 1), { ...empty, anchors: [milestone(4, 3)] });
      expect(levelCount(file, 'hash_log')).to.equal(3);
      // rowid 1 of the log is now M-4's commitment: the reader must not take it for M-1's
      expect(answer(reader, one.commitment)).to.deep.equal(['commitment M-1']);
      expect(answer(reader, milestone(4, 3).commitment)).to.deep.equal(['commitment M-4']);
      expect(answer(reader, hash('shared 0'))).to.deep.equal(['document M-1']);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('with announced writes, reads the log again only once told of a commit, then finds what it holds', () => {
    const writer = ChainIndex.open(file);
    const reader = ChainIndex.open(file, { checkpoints: false, announcedWrites: true });
    try {
      writer.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, 1)] });
      // a reader reads the log at its first lookup, told or not
      expect(answer(reader, milestone(1, 1).commitment)).to.deep.equal(['commitment M-1']);
      writer.applyBlock(indexedBlock(2, 1, 1), { ...empty, anchors: [milestone(2, 2)] });
      expect(answer(reader, milestone(2, 2).commitment)).to.deep.equal([]);
      reader.writesCommitted();
      expect(answer(reader, milestone(2, 2).commitment)).to.deep.equal(['commitment M-2']);
      expect(answer(reader, hash('shared 1'))).to.deep.equal(['document M-2']);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('moves an index of before (anchor_documents and a commitment index) into the partitions when opened', () => {
    let index = ChainIndex.open(file);
    const anchors = [milestone(1, 1, 1, '2'), milestone(2, 1, 1, 'e'), milestone(3, 1)];
    index.applyBlock(indexedBlock(1, 1, 3), { ...empty, anchors });
    index.close();
    // rewrite the file as the layout before the two levels held it
    const db = new Database(file);
    db.exec(`CREATE TABLE anchor_documents (
               sha256 TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (sha256, kind, key)
             ) WITHOUT ROWID;
             CREATE INDEX ix_anchors_commitment ON anchors (commitment);`);
    for (const s of SUFFIXES) {
      db.exec(`INSERT INTO anchor_documents SELECT sha256, kind, key FROM hash_log_${s} WHERE by_document = 1;
               DROP TABLE hash_log_${s}; DROP TABLE anchor_hashes_${s};`);
    }
    db.close();

    index = ChainIndex.open(file);
    try {
      const check = new Database(file, { readonly: true });
      const objects = check
        .prepare("SELECT name FROM sqlite_master WHERE name IN ('anchor_documents', 'ix_anchors_commitment')")
        .all();
      check.close();
      expect(objects).to.deep.equal([]);
      // 3 commitments, 3 own documents, 3 shared rows, each in its partition
      expect(levelCount(file, 'anchor_hashes')).to.equal(9);
      expect(tableCount(file, 'anchor_hashes_2')).to.equal(3);
      expect(tableCount(file, 'anchor_hashes_e')).to.equal(3);
      expect(levelCount(file, 'hash_log')).to.equal(0);
      const reference = new Reference();
      reference.apply(anchors);
      for (const sha of reference.hashes()) expect(answer(index, sha)).to.deep.equal(reference.byHash(sha));
    } finally {
      index.close();
    }
  });

  // Hashes are checked by the protocol as lowercase hex, but the index must place any text in the partition a
  // lookup reads (partitionOf in JavaScript, ranges in SQL for the conversion): first characters at and around
  // every bound, uppercase, empty and non-ASCII text.
  const oddFirsts = [
    '',
    '/',
    '0',
    '1',
    '9',
    ':',
    'A',
    'F',
    'Z',
    '`',
    'a',
    'f',
    'g',
    '~',
    '\u00e9',
    '\u4e2d',
    '\u{1f600}',
  ];

  it('converts the one-log layout of before into the partitions, each hash where lookups look for it', () => {
    let index = ChainIndex.open(file, { minHashLogEntries: 1_000 });
    const anchors = oddFirsts.map((first, n) =>
      indexedMilestone({
        key: `M-${n}`,
        decidedAt: '2025-03-06T16:30:00+08:00',
        commitment: `${first}${hash(`commitment ${n}`)}`,
        documentDigests: [`${first}${hash(`document ${n}`)}`],
      }),
    );
    index.applyBlock(indexedBlock(1, 1, anchors.length), { ...empty, anchors });
    index.close();
    // the layout of before: one log, one main level; half the entries in each
    const db = new Database(file);
    db.exec(`CREATE TABLE hash_log (sha256 TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, by_document INTEGER NOT NULL);
             CREATE TABLE anchor_hashes (
               sha256 TEXT NOT NULL, by_document INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
               PRIMARY KEY (sha256, by_document, kind, key)
             ) WITHOUT ROWID;
             INSERT INTO meta VALUES ('hashGeneration', '3'), ('hashMainEntries', '17');`);
    for (const s of SUFFIXES) {
      db.exec(`INSERT INTO hash_log SELECT sha256, kind, key, by_document FROM hash_log_${s} WHERE by_document = 1;
               INSERT INTO anchor_hashes SELECT sha256, by_document, kind, key FROM hash_log_${s} WHERE by_document = 0;
               DROP TABLE hash_log_${s}; DROP TABLE anchor_hashes_${s};`);
    }
    db.close();
    expect(tableCount(file, 'hash_log')).to.equal(oddFirsts.length);

    index = ChainIndex.open(file);
    try {
      const check = new Database(file, { readonly: true });
      const left = check
        .prepare("SELECT name FROM sqlite_master WHERE name IN ('hash_log', 'anchor_hashes')")
        .all();
      const meta = check.prepare("SELECT key FROM meta WHERE key LIKE 'hash%' AND key NOT LIKE '%.%'").all();
      check.close();
      expect(left).to.deep.equal([]);
      expect(meta).to.deep.equal([]);
      expect(levelCount(file, 'anchor_hashes')).to.equal(2 * oddFirsts.length);
      for (const [n, first] of oddFirsts.entries()) {
        expect(answer(index, `${first}${hash(`commitment ${n}`)}`), `commitment of "${first}"`).to.deep.equal(
          [`commitment M-${n}`],
        );
        expect(answer(index, `${first}${hash(`document ${n}`)}`), `document of "${first}"`).to.deep.equal([
          `document M-${n}`,
        ]);
      }
    } finally {
      index.close();
    }
  });

  it('merges each partition on its own, one a transaction, and keeps every hash in its range', () => {
    const writer = ChainIndex.open(file, { minHashLogEntries: 2 });
    const reader = ChainIndex.open(file, { checkpoints: false });
    try {
      // block 1: two milestones in every partition, three entries each (commitment, document, shared document)
      const anchors = SUFFIXES.flatMap((first, p) => [
        milestone(2 * p, 1, 1, first),
        milestone(2 * p + 1, 1, 1, first),
      ]);
      writer.inOneTransaction(() => {
        writer.applyBlock(indexedBlock(1, 1, anchors.length), { ...empty, anchors });
        writer.applyBlock(indexedBlock(2, 0, 0), empty);
      });
      // every partition was due (5 entries each, limit 2); the transaction merged one, the one furthest past
      expect(logCounts(file).filter((count) => count === 0)).to.have.length(1);
      for (let b = 3; b <= 17; b++) {
        const before = logCounts(file);
        writer.applyBlock(indexedBlock(b, 0, 0), empty);
        const after = logCounts(file);
        expect(
          after.filter((count, p) => count < (before[p] as number)),
          `block ${b}`,
        ).to.have.length(1);
      }
      expect(levelCount(file, 'hash_log')).to.equal(0);
      const check = new Database(file, { readonly: true });
      for (const [p, s] of SUFFIXES.entries()) {
        const firsts = check
          .prepare(`SELECT DISTINCT substr(sha256, 1, 1) FROM anchor_hashes_${s}`)
          .pluck()
          .all();
        expect(firsts, `partition ${p}`).to.deep.equal([s]);
      }
      check.close();
      const reference = new Reference();
      reference.apply(anchors);
      for (const sha of reference.hashes()) expect(answer(reader, sha)).to.deep.equal(reference.byHash(sha));
    } finally {
      reader.close();
      writer.close();
    }
  });
});
