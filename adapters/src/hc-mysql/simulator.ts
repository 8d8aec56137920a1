/**
 * A legacy permit system that behaves like the real one: a MariaDB with the T_SGXK table as deployed (GBK,
 * loaded from the sample schema and rows), and a clerk who keeps issuing, refusing, revoking, cancelling,
 * correcting and deleting permits, sometimes several changes within one second.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RegionCode } from '@approval-ledger/protocol';
import { type MariaDbServer } from '@approval-ledger/testkit';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { PACKAGE_DIR } from '../core/adapter-config';
import { silentLogger, type Logger } from '../core/logger';
import { startClerkTicker } from '../simulation/clerk-ticker';
import {
  Random,
  makeCompanyName,
  makeProjectCode,
  makeProjectName,
  makeUscc,
  shanghaiLocal,
} from '../simulation/legacy-fixtures';

export const SAMPLE_SQL = join(PACKAGE_DIR, 'samples', 'hc-construction-permit-legacy.sql');
export const DATABASE = 'sgxk';

export interface HcMysqlSimulator {
  readonly server: MariaDbServer;
  readonly database: string;
  stop(): Promise<void>;
}

export interface HcMysqlSimulatorOptions {
  /** Where MariaDB keeps its data (survives restarts). */
  readonly dataDir: string;
  readonly region?: RegionCode;
  /** Time between two clerk actions; 0: no clerk. */
  readonly intervalMs?: number;
  readonly preferredPort?: number;
  readonly log?: Logger;
}

export async function startHcMysqlSimulator(options: HcMysqlSimulatorOptions): Promise<HcMysqlSimulator> {
  const { startMariaDb } = await import('@approval-ledger/testkit');
  const server = await startMariaDb({ dataDir: options.dataDir, preferredPort: options.preferredPort });
  await server.createDatabase(DATABASE, { charset: 'gbk' });
  const conn = await connectLegacy(server, DATABASE);
  await loadLegacySchema(conn);
  const log = options.log ?? silentLogger;
  const clerk = new Clerk(conn, options.region ?? 'BJ');
  const ticker = startClerkTicker(
    () => clerk.act(),
    options.intervalMs,
    log,
    'simulated clerk action failed',
  );
  return {
    server,
    database: DATABASE,
    stop: async () => {
      await ticker.stop();
      await conn.end().catch(() => undefined);
      await server.stop();
    },
  };
}

/** A connection as the legacy application would open one: local time zone +08:00. */
export async function connectLegacy(server: MariaDbServer, database: string): Promise<Connection> {
  const conn = await createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    charset: 'UTF8MB4_GENERAL_CI',
    dateStrings: true,
    multipleStatements: true,
  });
  await conn.query("SET time_zone = '+08:00'");
  return conn;
}

/** Creates T_SGXK from the sample (a UTF-8 file describing a GBK table) and loads its rows, once. */
export async function loadLegacySchema(conn: Connection): Promise<boolean> {
  const [tables] = await conn.query<RowDataPacket[]>("SHOW TABLES LIKE 'T_SGXK'");
  if (tables.length > 0) return false;
  await conn.query(await readFile(SAMPLE_SQL, 'utf8'));
  return true;
}

/** The permit clerk: each action issues, refuses, revokes, cancels, corrects or deletes a permit. */
class Clerk {
  readonly #random = new Random(Date.now() & 0xffff);
  #serial = 0;

  constructor(
    private readonly conn: Connection,
    private readonly region: RegionCode,
  ) {}

  act(): Promise<void> {
    return this.#act();
  }

  async #act(): Promise<void> {
    const roll = this.#random.next();
    if (roll < 0.45) return this.#issue('01');
    if (roll < 0.55) return this.#issue('02');
    const target = await this.#somePermit();
    if (target === undefined) return this.#issue('01');
    if (roll < 0.65) return this.#revokeByNewRow(target);
    if (roll < 0.72) return this.#update(target, "BLJG = '04', FZRQ = NOW()");
    if (roll < 0.8) return this.#update(target, "ZT = '0'");
    return this.#correctTwiceInOneSecond(target);
  }

  async #issue(result: '01' | '02'): Promise<void> {
    const random = this.#random;
    const code = makeProjectCode(
      random,
      this.region,
      random.pick(['01', '02', '03'] as const),
      500_000 + this.#serial++,
    );
    const division = code.slice(5, 11);
    const number =
      result === '01'
        ? `${division}${shanghaiLocal().slice(0, 10).replaceAll('-', '')}${String(random.int(10_000)).padStart(4, '0')}`
        : null;
    await this.conn.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, BLJG, FZRQ, ZT)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(), '1')`,
      [
        code,
        makeProjectName(random, this.region),
        number,
        makeCompanyName(random, this.region),
        makeUscc(random, this.region),
        `地上${3 + random.int(30)}层 建筑面积${1000 * (5 + random.int(60))}平方米`,
        (100 + random.int(50_000)).toFixed(2),
        result,
      ],
    );
  }

  async #somePermit(): Promise<number | undefined> {
    const [rows] = await this.conn.query<RowDataPacket[]>(
      "SELECT ID FROM T_SGXK WHERE BLJG = '01' AND ZT = '1' AND SGXKZH IS NOT NULL ORDER BY RAND() LIMIT 1",
    );
    return rows[0]?.ID as number | undefined;
  }

  /** As in the sample: the revocation is a new row with the permit's project and number. */
  async #revokeByNewRow(id: number): Promise<void> {
    await this.conn.query(
      `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, BLJG, FZRQ, ZT)
       SELECT XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, '03', NOW(), '1' FROM T_SGXK WHERE ID = ?`,
      [id],
    );
  }

  async #update(id: number, assignments: string): Promise<void> {
    await this.conn.query(`UPDATE T_SGXK SET ${assignments} WHERE ID = ?`, [id]);
  }

  /** Two corrections of the same row within one second: the second has the same GXSJ. */
  async #correctTwiceInOneSecond(id: number): Promise<void> {
    await this.#update(id, "JSGM = CONCAT(LEFT(JSGM, 40), '（更正）')");
    await this.#update(id, `HTJE = HTJE + 1`);
  }
}
