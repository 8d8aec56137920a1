import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { LedgerDatabase } from './ledger-database';

describe('ledger database file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-db-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a new ledger with 4 KiB pages', () => {
    const db = LedgerDatabase.open(join(dir, 'ledger.sqlite'));
    try {
      expect(db.pageSize()).to.equal(4096);
      expect(db.height()).to.equal(0);
    } finally {
      db.close();
    }
  });

  it('keeps the page size of a ledger made with 16 KiB pages, and opens it as before', () => {
    const file = join(dir, 'old.sqlite');
    const raw = new Database(file);
    raw.pragma('page_size = 16384');
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE earlier (x INTEGER)');
    raw.close();
    const db = LedgerDatabase.open(file);
    try {
      expect(db.pageSize()).to.equal(16384);
      db.commitBlock({ number: 0, hash: 'h', header: '{}', metadata: '{}', txCount: 0 }, [], [], []);
      expect(db.height()).to.equal(1);
    } finally {
      db.close();
    }
  });
});
