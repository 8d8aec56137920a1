import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { type MariaDbServer, ServerStoppedError, startMariaDb, useMariaDb } from '../src/index';
import { isAlive } from './process-state';

/** 北京市行政审批局 ("Beijing administrative approval bureau"); its GBK bytes as `iconv -t gbk` gives them. */
const BUREAU = '北京市行政审批局';
const BUREAU_GBK_HEX = 'B1B1BEA9CAD0D0D0D5FEC9F3C5FABED6';

function connectTo(server: MariaDbServer, database?: string): Promise<Connection> {
  return createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    charset: 'utf8mb4',
  });
}

async function withConnection<T>(
  server: MariaDbServer,
  database: string,
  work: (db: Connection) => Promise<T>,
): Promise<T> {
  const db = await connectTo(server, database);
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

async function countRows(server: MariaDbServer, table: string): Promise<number> {
  return withConnection(server, 'ledger', async (db) => {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  });
}

describe('mariadbd (real process)', () => {
  const mariadb = useMariaDb({ database: 'ledger' });

  it('answers SELECT 1 over TCP as root with an empty password, on its own port', async () => {
    const server = mariadb();
    expect(server.port).to.not.equal(3306);
    expect(server.url).to.equal(`mysql://root@127.0.0.1:${server.port}/ledger`);
    expect(isAlive(server.pid)).to.be.true;
    await withConnection(server, 'ledger', async (db) => {
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT 1 AS one, DATABASE() AS db, @@skip_name_resolve AS snr',
      );
      expect(rows[0]).to.deep.equal({ one: 1, db: 'ledger', snr: 1 });
    });
  });

  it('stores Chinese text in a GBK column and reads it back unchanged', async () => {
    await withConnection(mariadb(), 'ledger', async (db) => {
      await db.query(
        `CREATE TABLE bureau (id INT PRIMARY KEY, name VARCHAR(64) CHARACTER SET gbk NOT NULL) ENGINE=InnoDB`,
      );
      await db.execute('INSERT INTO bureau (id, name) VALUES (?, ?)', [1, BUREAU]);
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT name, HEX(name) AS stored FROM bureau WHERE id = 1',
      );
      expect(rows[0]).to.deep.equal({ name: BUREAU, stored: BUREAU_GBK_HEX });
    });
  });

  it('creates databases with createDatabase() and gives their URL', async () => {
    const server = mariadb();
    const url = await server.createDatabase('audit`trail', { charset: 'gbk' });
    expect(url).to.equal(`mysql://root@127.0.0.1:${server.port}/audit%60trail`);
    expect(server.urlFor('x')).to.equal(`mysql://root@127.0.0.1:${server.port}/x`);
    await withConnection(server, 'audit`trail', async (db) => {
      const [rows] = await db.query<RowDataPacket[]>('SELECT @@character_set_database AS cs');
      expect(rows[0]?.cs).to.equal('gbk');
    });
  });

  it('keeps every acknowledged commit when killed with SIGKILL mid-write, and recovers on restart', async () => {
    const server = mariadb();
    const { port, dataDir } = server;
    await withConnection(server, 'ledger', (db) =>
      db.query(
        'CREATE TABLE receipt (id INT PRIMARY KEY, body VARCHAR(200) CHARACTER SET gbk) ENGINE=InnoDB',
      ),
    );
    // An open transaction that must vanish, and an autocommit writer that is still writing when we kill.
    const uncommitted = await connectTo(server, 'ledger');
    await uncommitted.query('BEGIN');
    await uncommitted.execute('INSERT INTO receipt VALUES (-1, ?)', ['never committed']);
    const writer = await connectTo(server, 'ledger');
    let acknowledged = 0;
    const writing = (async () => {
      for (let id = 1; ; id++) {
        await writer.execute('INSERT INTO receipt VALUES (?, ?)', [id, `${BUREAU} ${id}`]);
        acknowledged = id;
      }
    })().catch(() => undefined); // ends when the server dies
    while (acknowledged < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const killedPid = server.pid;

    await server.kill();
    await writing;
    writer.destroy();
    uncommitted.destroy();
    expect(isAlive(killedPid)).to.be.false;

    await server.restart();
    expect(server.port).to.equal(port);
    expect(server.dataDir).to.equal(dataDir);
    expect(server.logTail(200)).to.match(/crash recovery/i);
    const rows = await countRows(server, 'receipt WHERE id > 0');
    expect(rows)
      .to.be.at.least(acknowledged)
      .and.at.most(acknowledged + 1); // one commit may beat its ack
    expect(await countRows(server, 'receipt WHERE id = -1')).to.equal(0);
    await withConnection(server, 'ledger', async (db) => {
      const [check] = await db.query<RowDataPacket[]>('CHECK TABLE receipt');
      expect(check[0]?.Msg_text).to.equal('OK');
      const [first] = await db.query<RowDataPacket[]>('SELECT body FROM receipt WHERE id = 1');
      expect(first[0]?.body).to.equal(`${BUREAU} 1`);
    });
  });

  it('stop() shuts down cleanly and removes its temp dirs; restart() after it is refused', async () => {
    const server = await startMariaDb();
    const { pid, dataDir, socketPath } = server;
    expect(existsSync(socketPath)).to.be.true;
    await server.stop();
    expect(isAlive(pid)).to.be.false;
    expect(existsSync(dataDir)).to.be.false;
    expect(server.logTail()).to.contain('Shutdown complete');
    let error: unknown;
    await server.restart().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ServerStoppedError).with.property('server', 'mariadbd');
  });

  it('initialises a data dir the caller passed, keeps it, and reuses it next time', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'testkit-caller-mariadb-')), 'data');
    try {
      const first = await startMariaDb({ dataDir, database: 'kept', templateCache: false });
      await withConnection(first, 'kept', (db) =>
        db.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB'),
      );
      await first.stop();
      expect(existsSync(join(dataDir, 'kept'))).to.be.true;

      const second = await startMariaDb({ dataDir });
      try {
        expect(await countRowsIn(second, 'kept', 't')).to.equal(0);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});

async function countRowsIn(server: MariaDbServer, database: string, table: string): Promise<number> {
  return withConnection(server, database, async (db) => {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  });
}
