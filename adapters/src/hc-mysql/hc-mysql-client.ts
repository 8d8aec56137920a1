/**
 * The only code that knows the legacy permit system: the T_SGXK table in a MySQL/MariaDB database with GBK
 * text, pinyin column names, zone-less local times and a one-second update stamp. It reads changed rows in
 * (GXSJ, ID) order with the change capture of change-capture.ts, decodes text columns from their bytes (so that
 * nothing is ever replaced by '?'), maps each row, and writes CHAIN_TXID back from receipts.
 */
import { type Receipt, DLQ_CODES } from '@approval-ledger/protocol';
import { createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { issue, mappingFailure } from '../core/dead-letter';
import { decodeLegacyText } from '../core/legacy-text';
import { LegacyUnavailableError } from '../core/legacy-unavailable.error';
import { type LegacyRecord } from '../core/ledger-publisher';
import { type PollingSource, type SourceBatch } from '../core/polling-loop';
import {
  START,
  captureChanges,
  gxsjOfVersion,
  rowHash,
  windowStart,
  type HcCheckpoint,
  type ObservedRow,
} from './change-capture';
import { type HcMysqlSettings } from './config';
import { sgxkToEnvelopes, type SgxkRow } from './to-envelope';

/** Text columns, selected as bytes and decoded here. */
const TEXT_COLUMNS = ['XMDM', 'XMMC', 'SGXKZH', 'JSDW', 'TYSHXYDM', 'JSGM', 'BLJG', 'ZT'] as const;
type TextColumn = (typeof TEXT_COLUMNS)[number];

/** A row as it comes off the wire. */
interface WireRow extends RowDataPacket {
  ID: number | string;
  HTJE: string | null;
  FZRQ: string | null;
  GXSJ: string;
  GXSJ_TS: number | string;
  CHAIN_TXID: string | null;
}

/** Errors of the MySQL client that mean "cannot reach the database right now". */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_GONE_ERROR',
]);

export class HcMysqlClient implements PollingSource<HcCheckpoint> {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #columns: string;
  /** Re-read the overlap window on the first poll of a cycle (not between pages of one backlog). */
  #windowDue = true;

  constructor(private readonly settings: HcMysqlSettings) {
    const { mysql } = settings.config;
    this.#pool = createPool({
      host: mysql.host,
      port: mysql.port,
      user: mysql.user,
      password: settings.password,
      database: mysql.database,
      charset: 'UTF8MB4_GENERAL_CI',
      dateStrings: true,
      supportBigNumbers: true,
      connectTimeout: mysql.connectTimeoutMs,
      connectionLimit: 3,
      maxIdle: 1,
      idleTimeout: 30_000,
    });
    this.#table = `\`${mysql.table}\``;
    const text = TEXT_COLUMNS.map((c) => `CAST(\`${c}\` AS BINARY) AS \`${c}\``);
    this.#columns = [
      'ID',
      ...text,
      'HTJE',
      'FZRQ',
      'GXSJ',
      'UNIX_TIMESTAMP(GXSJ) AS GXSJ_TS',
      'CHAIN_TXID',
    ].join(', ');
  }

  async next(previous: HcCheckpoint | undefined): Promise<SourceBatch<HcCheckpoint>> {
    const checkpoint = previous ?? START;
    const { batchSize, overlapSeconds, maxRememberedRows } = this.settings.config;
    const { window, forward } = await this.#withConnection(async (conn) => ({
      window:
        this.#windowDue && checkpoint.gxsj > 0
          ? await this.#readWindow(conn, checkpoint, overlapSeconds)
          : [],
      forward: await this.#readForward(conn, checkpoint, batchSize),
    }));
    const rows = [...window, ...forward].map((wire) => this.#decode(wire));
    const capture = captureChanges(checkpoint, rows.map(observed), {
      overlapSeconds,
      maxRemembered: maxRememberedRows,
    });
    const emittedAt = new Date().toISOString();
    const records: LegacyRecord[] = [];
    capture.verdicts.forEach((verdict, i) => {
      if (verdict.changed)
        records.push(this.#record(rows[i] as DecodedRow, verdict.version, verdict.updated, emittedAt));
    });
    const more = forward.length === batchSize;
    this.#windowDue = !more;
    return { records, checkpoint: capture.checkpoint, more };
  }

  async backlog(previous: HcCheckpoint | undefined): Promise<number> {
    const checkpoint = previous ?? START;
    const [rows] = await this.#withConnection((conn) =>
      conn.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM ${this.#table} WHERE GXSJ > FROM_UNIXTIME(?) OR (GXSJ = FROM_UNIXTIME(?) AND ID > ?)`,
        [checkpoint.gxsj, checkpoint.gxsj, checkpoint.id],
      ),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Writes the receipt's transaction id into CHAIN_TXID of the row it came from, if the row still has the
   * version the receipt is about. `GXSJ = GXSJ` keeps the update stamp, so the write-back is not a change.
   */
  async writeBack(receipt: Receipt): Promise<'written' | 'ignored'> {
    if ((receipt.status !== 'ANCHORED' && receipt.status !== 'DUPLICATE') || receipt.txId === undefined)
      return 'ignored';
    const match = /^[^:]+:(\d+)\.(?:milestone|certificate|revocation):(\d+)$/.exec(receipt.recordId);
    if (!match) return 'ignored';
    const [result] = await this.#withConnection((conn) =>
      conn.query<RowDataPacket[]>(
        `UPDATE ${this.#table} SET CHAIN_TXID = ?, GXSJ = GXSJ WHERE ID = ? AND UNIX_TIMESTAMP(GXSJ) = ?`,
        [receipt.txId, Number(match[1]), gxsjOfVersion(Number(match[2]))],
      ),
    );
    return (result as unknown as { affectedRows: number }).affectedRows > 0 ? 'written' : 'ignored';
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }

  async #readWindow(
    conn: PoolConnection,
    checkpoint: HcCheckpoint,
    overlapSeconds: number,
  ): Promise<WireRow[]> {
    const [rows] = await conn.query<WireRow[]>(
      `SELECT ${this.#columns} FROM ${this.#table}
        WHERE GXSJ >= FROM_UNIXTIME(?) AND GXSJ <= FROM_UNIXTIME(?) ORDER BY GXSJ, ID`,
      [windowStart(checkpoint, overlapSeconds), checkpoint.gxsj],
    );
    return rows;
  }

  async #readForward(conn: PoolConnection, checkpoint: HcCheckpoint, limit: number): Promise<WireRow[]> {
    const [rows] = await conn.query<WireRow[]>(
      `SELECT ${this.#columns} FROM ${this.#table}
        WHERE GXSJ > FROM_UNIXTIME(?) OR (GXSJ = FROM_UNIXTIME(?) AND ID > ?) ORDER BY GXSJ, ID LIMIT ?`,
      [checkpoint.gxsj, checkpoint.gxsj, checkpoint.id, limit],
    );
    return rows;
  }

  async #withConnection<T>(work: (conn: PoolConnection) => Promise<T>): Promise<T> {
    let conn: PoolConnection | undefined;
    try {
      conn = await this.#pool.getConnection();
      await conn.query(`SET time_zone = '${this.settings.config.mysql.timeZone}'`);
      return await work(conn);
    } catch (error) {
      conn?.destroy();
      conn = undefined;
      throw asUnavailable(error);
    } finally {
      conn?.release();
    }
  }

  #decode(wire: WireRow): DecodedRow {
    const encoding = this.settings.config.mysql.textEncoding;
    const text: Partial<Record<TextColumn, string | null>> = {};
    const raw: Record<string, unknown> = { ID: Number(wire.ID) };
    let failure: { column: string; message: string } | undefined;
    for (const column of TEXT_COLUMNS) {
      const bytes = wire[column] as Buffer | null;
      const decoded = bytes === null ? { ok: true as const, text: null } : decodeLegacyText(bytes, encoding);
      if (decoded.ok) {
        text[column] = decoded.text;
        raw[column] = decoded.text;
      } else {
        failure ??= { column, message: decoded.message };
        raw[column] = { undecodableHex: (bytes as Buffer).toString('hex') };
      }
    }
    Object.assign(raw, { HTJE: wire.HTJE, FZRQ: wire.FZRQ, GXSJ: wire.GXSJ });
    const row = {
      ...text,
      ID: Number(wire.ID),
      HTJE: wire.HTJE,
      FZRQ: wire.FZRQ,
      GXSJ: wire.GXSJ,
    } as SgxkRow;
    // CHAIN_TXID is the adapter's own write-back: not part of the row's content (hash), only a sign it was sent
    return { row, raw, gxsj: Number(wire.GXSJ_TS), sent: wire.CHAIN_TXID !== null, failure };
  }

  #record(decoded: DecodedRow, version: number, updated: boolean, emittedAt: string): LegacyRecord {
    const { config } = this.settings;
    const source = `${config.sourceSystem}:${decoded.row.ID}:${version}`;
    const raw = new TextEncoder().encode(JSON.stringify({ table: config.mysql.table, row: decoded.raw }));
    const changedAtMs = decoded.gxsj * 1000;
    if (decoded.failure !== undefined) {
      const why = issue(decoded.failure.column, 'text.encoding', decoded.failure.message);
      return { source, raw, changedAtMs, mapped: mappingFailure(DLQ_CODES.DECODING_FAILED, [why]) };
    }
    const mapped = sgxkToEnvelopes(decoded.row, {
      region: config.region,
      sourceSystem: config.sourceSystem,
      dataClass: config.dataClass,
      version,
      emittedAt,
      ...correction(decoded, updated),
    });
    return { source, raw, changedAtMs, mapped, skipReason: 'deleted-without-certificate' };
  }
}

interface DecodedRow {
  readonly row: SgxkRow;
  /** The row as read, for the dead-letter body (undecodable text as hex). */
  readonly raw: Record<string, unknown>;
  readonly gxsj: number;
  /** CHAIN_TXID is set: an earlier version of the row was anchored. */
  readonly sent: boolean;
  readonly failure: { column: string; message: string } | undefined;
}

/**
 * An update of a row already sent (更正): its CHAIN_TXID says an earlier version was anchored, or the change
 * capture remembers publishing an earlier state of it (within its overlap window, e.g. a same-second revision).
 * An update that neither shows (the first version's receipt not yet back, the capture moved on) goes out as a
 * plain record; the hub recognises it as a later version of the same row (source system and record id) and
 * makes it the correction all the same (hub `ingest/correction-resolver.ts`).
 */
function correction(decoded: DecodedRow, updated: boolean): { correctionReason?: string } {
  if (!decoded.sent && !updated) return {};
  return { correctionReason: `更正：T_SGXK 第 ${decoded.row.ID} 行于 ${decoded.row.GXSJ} 更新` };
}

function observed(row: DecodedRow): ObservedRow {
  return { id: row.row.ID, gxsj: row.gxsj, hash: rowHash(row.raw) };
}

function asUnavailable(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE.has(code)) {
    return new LegacyUnavailableError('T_SGXK database', `${code}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error;
}
