import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { BlockFileError } from './block-file';
import { LedgerDatabase, type StoredBlock, type StoredTransaction } from './ledger-database';

const block = (number: number, txCount: number): StoredBlock => ({
  number,
  hash: `h${number}`,
  header: '{}',
  metadata: '{}',
  txCount,
});

/** A transaction whose envelope names its place and carries text beyond Latin-1 (UTF-8 of 1-4 bytes). */
function transaction(
  blockNumber: number,
  txIndex: number,
  chaincode = 'approval-beijing',
): StoredTransaction {
  const envelope = JSON.stringify({
    proposal: { args: [`朝阳区望京 ${blockNumber}.${txIndex} 😀`], chaincode },
    type: 'endorser',
  });
  return {
    blockNumber,
    txIndex,
    txId: `tx-${blockNumber}-${txIndex}`,
    validationCode: 'VALID',
    envelope,
    eventName: 'Recorded',
    eventPayload: new Uint8Array([blockNumber, txIndex]),
  };
}

function commit(db: LedgerDatabase, number: number, count: number): StoredTransaction[] {
  const txs = Array.from({ length: count }, (_, i) => transaction(number, i));
  db.commitBlock(block(number, count), txs, [], []);
  return txs;
}

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

  describe('the envelopes in the block file', () => {
    it('writes each envelope once, to ledger.blocks, and reads it back on the writer and a read-only connection', () => {
      const file = join(dir, 'ledger.sqlite');
      const db = LedgerDatabase.open(file);
      const written = [commit(db, 0, 1), commit(db, 1, 3), commit(db, 2, 2)].flat();
      const bytes = written.reduce((n, tx) => n + Buffer.byteLength(tx.envelope, 'utf8'), 0);
      expect(statSync(join(dir, 'ledger.blocks')).size).to.equal(bytes);
      // the table holds none of their text
      const raw = new Database(file, { readonly: true });
      expect(raw.prepare('SELECT sum(length(envelope)) AS n FROM transactions').get()).to.deep.equal({
        n: 0,
      });
      raw.close();
      const reader = LedgerDatabase.open(file, { readonly: true });
      try {
        for (const from of [db, reader]) {
          expect(from.transactionsOfBlocks(0, 2).map((tx) => tx.envelope)).to.deep.equal(
            written.map((tx) => tx.envelope),
          );
          expect(from.transactionById('tx-1-2')?.envelope).to.equal(written[3]?.envelope);
          expect(from.envelopeAt(2, 1)).to.equal(written[5]?.envelope);
          expect(from.eventsOfBlocks(1, 1).map((e) => [e.txId, e.chaincodeName])).to.deep.equal([
            ['tx-1-0', 'approval-beijing'],
            ['tx-1-1', 'approval-beijing'],
            ['tx-1-2', 'approval-beijing'],
          ]);
        }
        // the writer's own recent blocks are served from memory: a new connection reads the file
        const again = LedgerDatabase.open(join(dir, 'ledger.sqlite'), { readonly: true });
        expect(again.transactionsOfBlock(1).map((tx) => tx.envelope)).to.deep.equal(
          written.slice(1, 4).map((tx) => tx.envelope),
        );
        again.close();
      } finally {
        reader.close();
        db.close();
      }
    });

    it('reads the file on a read-only connection opened before the writer made it', () => {
      const file = join(dir, 'ledger.sqlite');
      LedgerDatabase.open(file).close(); // the schema, no block yet
      rmSync(join(dir, 'ledger.blocks'));
      const early = LedgerDatabase.open(file, { readonly: true });
      const db = LedgerDatabase.open(file);
      try {
        const written = commit(db, 0, 2);
        expect(early.transactionsOfBlock(0).map((tx) => tx.envelope)).to.deep.equal(
          written.map((tx) => tx.envelope),
        );
      } finally {
        early.close();
        db.close();
      }
    });

    it('cuts bytes past the last committed envelope when opened (a block whose commit never happened), and writes the next block there', () => {
      const file = join(dir, 'ledger.sqlite');
      const db = LedgerDatabase.open(file);
      const first = commit(db, 0, 2);
      db.close();
      const committed = statSync(join(dir, 'ledger.blocks')).size;
      appendFileSync(join(dir, 'ledger.blocks'), 'half of an envelope that was never committed');
      const reopened = LedgerDatabase.open(file);
      try {
        expect(statSync(join(dir, 'ledger.blocks')).size).to.equal(committed);
        const next = commit(reopened, 1, 1);
        expect(reopened.transactionsOfBlocks(0, 1).map((tx) => tx.envelope)).to.deep.equal(
          [...first, ...next].map((tx) => tx.envelope),
        );
        expect(readFileSync(join(dir, 'ledger.blocks'), 'utf8')).to.equal(
          [...first, ...next].map((tx) => tx.envelope).join(''),
        );
      } finally {
        reopened.close();
      }
    });

    it('refuses to open a ledger whose block file lacks committed envelopes, naming the file and both sizes', () => {
      const file = join(dir, 'ledger.sqlite');
      const db = LedgerDatabase.open(file);
      commit(db, 0, 2);
      db.close();
      const size = statSync(join(dir, 'ledger.blocks')).size;
      truncateSync(join(dir, 'ledger.blocks'), size - 1);
      for (const readonly of [false, true]) {
        let error: unknown;
        try {
          LedgerDatabase.open(file, { readonly }).close();
        } catch (e) {
          error = e;
        }
        expect(error, `readonly: ${readonly}`).to.be.instanceOf(BlockFileError);
        expect((error as Error).message)
          .to.contain(join(dir, 'ledger.blocks'))
          .and.contain(`holds ${size - 1} bytes`)
          .and.contain(`name ${size}`);
      }
      rmSync(join(dir, 'ledger.blocks'));
      expect(() => LedgerDatabase.open(file)).to.throw(BlockFileError, /holds 0 bytes/);
    });

    it('opens a ledger from before the block file: its envelopes stay in the table, new ones go to the file', () => {
      const file = join(dir, 'ledger.sqlite');
      // schema 1, as ledgers were made until the block file
      const raw = new Database(file);
      raw.pragma('journal_mode = WAL');
      raw.exec(`
        CREATE TABLE blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, header TEXT NOT NULL,
          metadata TEXT NOT NULL, tx_count INTEGER NOT NULL);
        CREATE TABLE transactions (block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL, tx_id TEXT NOT NULL,
          validation_code TEXT NOT NULL, envelope TEXT NOT NULL, event_name TEXT, event_payload BLOB,
          PRIMARY KEY (block_number, tx_index));
        CREATE TABLE tx_by_id (tx_id TEXT PRIMARY KEY, block_number INTEGER NOT NULL, tx_index INTEGER NOT NULL)
          WITHOUT ROWID;
        CREATE TABLE state (key BLOB PRIMARY KEY, value BLOB NOT NULL, block_num INTEGER NOT NULL,
          tx_num INTEGER NOT NULL, metadata TEXT);
        CREATE TABLE history (key BLOB NOT NULL, block_num INTEGER NOT NULL, tx_num INTEGER NOT NULL,
          tx_id TEXT NOT NULL, is_delete INTEGER NOT NULL, ts_seconds INTEGER NOT NULL, ts_nanos INTEGER NOT NULL,
          PRIMARY KEY (key, block_num, tx_num)) WITHOUT ROWID;
        PRAGMA user_version = 1;`);
      const old = transaction(0, 0, 'approval-tianjin');
      raw.prepare("INSERT INTO blocks VALUES (0, 'h0', '{}', '{}', 1)").run();
      raw
        .prepare('INSERT INTO transactions VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(0, 0, old.txId, 'VALID', old.envelope, old.eventName, Buffer.from(old.eventPayload ?? []));
      raw.prepare('INSERT INTO tx_by_id VALUES (?, 0, 0)').run(old.txId);
      raw.close();
      // read-only before any writer migrated it (the CLI on an old data dir)
      const before = LedgerDatabase.open(file, { readonly: true });
      expect(before.transactionsOfBlock(0).map((tx) => tx.envelope)).to.deep.equal([old.envelope]);
      expect(before.eventsOfBlocks(0, 0).map((e) => e.chaincodeName)).to.deep.equal(['approval-tianjin']);
      before.close();
      const db = LedgerDatabase.open(file);
      try {
        const next = commit(db, 1, 2);
        expect(statSync(join(dir, 'ledger.blocks')).size).to.equal(
          next.reduce((n, tx) => n + Buffer.byteLength(tx.envelope, 'utf8'), 0),
        );
        expect(db.transactionsOfBlocks(0, 1).map((tx) => tx.envelope)).to.deep.equal(
          [old, ...next].map((tx) => tx.envelope),
        );
        expect(db.transactionById(old.txId)?.envelope).to.equal(old.envelope);
        expect(db.eventsOfBlocks(0, 1).map((e) => e.chaincodeName)).to.deep.equal([
          'approval-tianjin',
          'approval-beijing',
          'approval-beijing',
        ]);
      } finally {
        db.close();
      }
    });
  });
});
