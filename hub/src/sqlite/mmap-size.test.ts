import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SQLITE_MMAP_BYTES } from './mmap-size';

describe('SQLITE_MMAP_BYTES', () => {
  it("is what SQLite really maps, not more than this build's cap (a larger setting is silently cut)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmap-size-'));
    const db = new Database(join(dir, 'db.sqlite'));
    try {
      db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
      expect(db.pragma('mmap_size', { simple: true })).to.equal(SQLITE_MMAP_BYTES);
      db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES * 2}`);
      expect(db.pragma('mmap_size', { simple: true })).to.equal(SQLITE_MMAP_BYTES);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
