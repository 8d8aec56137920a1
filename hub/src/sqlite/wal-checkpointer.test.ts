import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { WalCheckpointer, writerAutoCheckpointPragma } from './wal-checkpointer';

describe('WalCheckpointer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the committed WAL into the database file from its worker, while the writer goes on', async () => {
    const file = join(dir, 'db.sqlite');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma(writerAutoCheckpointPragma(4096));
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    const checkpointer = WalCheckpointer.start(file, { intervalMs: 60_000 });
    try {
      writer.transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
      })();
      const before = statSync(file).size;
      const result = await checkpointer.checkpoint();
      expect(result).to.not.equal(undefined);
      expect(result?.log).to.be.greaterThan(0);
      expect(result?.checkpointed).to.equal(result?.log);
      expect(statSync(file).size).to.be.greaterThan(before);
      // the writer's next transaction starts the WAL over; nothing is lost
      insert.run('after');
      expect(writer.prepare('SELECT count(*) AS n FROM t').get()).to.deep.equal({ n: 2001 });
    } finally {
      await checkpointer.close();
      writer.close();
    }
  });

  it('closes its connection once, and a second close resolves too', async () => {
    const file = join(dir, 'db.sqlite');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const checkpointer = WalCheckpointer.start(file);
    await checkpointer.close();
    await checkpointer.close();
    // with the worker's connection gone, the writer is the last one: closing it removes the WAL
    writer.close();
    expect(() => statSync(`${file}-wal`)).to.throw();
  });

  it('keeps a process with nothing else to do alive until it has closed (a CLI run ends after its shutdown)', function () {
    this.timeout(60_000);
    const file = join(dir, 'db.sqlite');
    const script = `
      const Database = require('better-sqlite3');
      const { WalCheckpointer } = require(${JSON.stringify(join(__dirname, 'wal-checkpointer'))});
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      const checkpointer = WalCheckpointer.start(${JSON.stringify(file)});
      checkpointer.close().then(() => { db.close(); console.log('closed'); });
    `;
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(child.stderr).to.equal('');
    expect(child.stdout.trim()).to.equal('closed');
    expect(child.status).to.equal(0);
  });
});
