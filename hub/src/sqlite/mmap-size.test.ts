import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SQLITE_MMAP_BYTES } from './mmap-size';

describe('SQLITE_MMAP_BYTES', () => {
  it("is what SQLite really maps, not more than this build's cap (a larger setting is silently cut)", () => {
    const db = new Database(':memory:');
    try {
      db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
      expect(db.pragma('mmap_size', { simple: true })).to.equal(SQLITE_MMAP_BYTES);
      db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES * 2}`);
      expect(db.pragma('mmap_size', { simple: true })).to.equal(SQLITE_MMAP_BYTES);
    } finally {
      db.close();
    }
  });
});
