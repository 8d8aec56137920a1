import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './binaries';
import { trackTempDir } from './exit-cleanup';
import { choosePort, retryOnPortClash } from './free-port';
import { INNODB_LOG_FILE_SIZE, commandOutput, prepareDataDir, runningAsRoot } from './mariadb-datadir';
import { firstBytes } from './readiness';
import { ServerCommandError } from './server-command.error';
import { type LocalServer, ProcessBackedServer, ServerProcess } from './server-process';
import { makeTempDir, removeDir } from './temp-dir';

const run = promisify(execFile);

export interface MariaDbOptions {
  /** TCP port; start-up fails if it is taken. Default: a free port. */
  readonly port?: number;
  /** TCP port to use when it is free, else a free one. */
  readonly preferredPort?: number;
  /** Data directory; initialised when empty. Default: a new temp dir. A directory you pass is never deleted. */
  readonly dataDir?: string;
  /** Keep the temp directories (data, socket, error log) after `stop()`. */
  readonly keepDataDir?: boolean;
  /** A database to create at start-up; `url` then points at it. */
  readonly database?: string;
  /**
   * Copy a cached, initialised data dir (made once per mariadbd version in os.tmpdir()) instead of running
   * mariadb-install-db for every server. Default true.
   */
  readonly templateCache?: boolean;
  /** Extra mariadbd arguments, after the testkit's own (so they override them). */
  readonly args?: readonly string[];
  /** How long to wait for the server to be ready. Default 30 s. */
  readonly startTimeoutMs?: number;
}

/** A MariaDB server on 127.0.0.1 with user root and an empty password, owned by the test process. */
export interface MariaDbServer extends LocalServer {
  /** `mysql://root@127.0.0.1:<port>/<database>` (no database unless `database` was given). */
  readonly url: string;
  readonly host: string;
  readonly user: string;
  readonly password: string;
  readonly socketPath: string;
  readonly dataDir: string;
  /** The URL of database `name` on this server. */
  urlFor(database: string): string;
  /** `CREATE DATABASE IF NOT EXISTS` (utf8mb4 unless told otherwise); resolves to its URL. */
  createDatabase(name: string, options?: { charset?: string }): Promise<string>;
}

const HOST = '127.0.0.1';
const SERVER = 'mariadbd';
const USER = 'root';
const DEFAULT_START_TIMEOUT_MS = 30_000;
/** First payload byte of the MySQL protocol's initial handshake packet (protocol version 10). */
const HANDSHAKE_V10 = 0x0a;
const LOG_LINES_KEPT = 500;

interface MariaDbConfig {
  readonly mariadbd: string;
  readonly client: string;
  readonly port: number;
  readonly runDir: string;
  readonly dataDir: string;
  readonly removeRunDirOnStop: boolean;
  readonly database: string | undefined;
  readonly args: readonly string[];
  readonly startTimeoutMs: number;
}

/** Start a MariaDB server on 127.0.0.1 in its own data dir and wait until `SELECT 1` works over TCP. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbServer> {
  const mariadbd = requireBinary(SERVER, 'mariadb-server');
  const client = requireBinary('mariadb', 'mariadb-client');
  // Socket, pid file and error log always live in a short temp path (a socket path is limited to 107 bytes).
  const removeRunDirOnStop = options.keepDataDir !== true;
  const runDir = await makeTempDir('mariadb', { kept: !removeRunDirOnStop });
  try {
    const dataDir = options.dataDir ?? join(runDir, 'data');
    await prepareDataDir(dataDir, options.templateCache ?? true);
    const server = await retryOnPortClash(options, async () =>
      LocalMariaDbServer.start({
        mariadbd,
        client,
        port: await choosePort(options, HOST),
        runDir,
        dataDir,
        removeRunDirOnStop,
        database: options.database,
        args: options.args ?? [],
        startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      }),
    );
    if (options.database !== undefined) await server.createDatabase(options.database);
    return server;
  } catch (error) {
    if (removeRunDirOnStop) await removeDir(runDir);
    throw error;
  }
}

class LocalMariaDbServer extends ProcessBackedServer implements MariaDbServer {
  readonly host = HOST;
  readonly user = USER;
  readonly password = '';
  readonly socketPath: string;
  readonly #errorLog: string;
  readonly #untrackRunDir: () => void;
  protected readonly process: ServerProcess;
  /** The error log's tail, saved by `stop()` before it removes the file. */
  #finalLog: string | undefined;

  private constructor(private readonly config: MariaDbConfig) {
    super();
    this.socketPath = join(config.runDir, 'mysqld.sock');
    this.#errorLog = join(config.runDir, 'mariadb.err');
    this.#untrackRunDir = config.removeRunDirOnStop ? trackTempDir(config.runDir) : () => undefined;
    this.process = new ServerProcess({
      server: SERVER,
      command: config.mariadbd,
      args: () => this.#args(),
      startTimeoutMs: config.startTimeoutMs,
      watch: () => ({ isReady: async () => (await this.#greets()) && (await this.#answersOverTcp()) }),
      logTail: (lines: number) => this.logTail(lines),
    });
  }

  static async start(config: MariaDbConfig): Promise<LocalMariaDbServer> {
    const server = new LocalMariaDbServer(config);
    try {
      await server.process.launch();
    } catch (error) {
      server.#untrackRunDir(); // the caller removes or keeps the dir
      throw error;
    }
    return server;
  }

  get port(): number {
    return this.config.port;
  }

  get dataDir(): string {
    return this.config.dataDir;
  }

  get url(): string {
    return this.urlFor(this.config.database ?? '');
  }

  urlFor(database: string): string {
    return `mysql://${USER}@${HOST}:${this.port}/${encodeURIComponent(database)}`;
  }

  async createDatabase(name: string, options: { charset?: string } = {}): Promise<string> {
    const charset = options.charset ?? 'utf8mb4';
    if (!/^\w+$/.test(charset)) throw new RangeError(`not a character set name: ${charset}`);
    const identifier = '`' + name.replaceAll('`', '``') + '`';
    await this.#sql(`CREATE DATABASE IF NOT EXISTS ${identifier} CHARACTER SET ${charset}`);
    return this.urlFor(name);
  }

  async stop(): Promise<void> {
    if (!(await this.process.stop())) return;
    this.#finalLog = tailOfFile(this.#errorLog, LOG_LINES_KEPT);
    if (this.config.removeRunDirOnStop) await removeDir(this.config.runDir);
    this.#untrackRunDir();
  }

  override logTail(lines = 50): string {
    const output = this.process.output.tail(lines);
    const log =
      this.#finalLog === undefined ? tailOfFile(this.#errorLog, lines) : lastLines(this.#finalLog, lines);
    return output === '' ? log : `${log}\n--- stdout/stderr ---\n${output}`;
  }

  #args(): string[] {
    const { runDir, dataDir } = this.config;
    return [
      '--no-defaults', // must come first: ignore /etc/mysql, which configures the system server
      `--datadir=${dataDir}`,
      `--socket=${this.socketPath}`,
      `--pid-file=${join(runDir, 'mysqld.pid')}`,
      `--log-error=${this.#errorLog}`,
      `--port=${this.port}`,
      `--bind-address=${HOST}`,
      '--skip-networking=0',
      ...(runningAsRoot() ? ['--user=root'] : []),
      // fast start and small footprint; durable across kill -9 (only an OS crash could lose commits)
      '--innodb-buffer-pool-size=64M',
      `--innodb-log-file-size=${INNODB_LOG_FILE_SIZE}`,
      '--innodb-flush-log-at-trx-commit=2',
      '--innodb-doublewrite=0',
      '--innodb-buffer-pool-load-at-startup=0',
      '--innodb-buffer-pool-dump-at-shutdown=0',
      '--skip-log-bin',
      '--performance-schema=OFF',
      '--skip-name-resolve',
      '--max-connections=200',
      '--table-open-cache=1000', // with max-connections: fewer open files than the usual 32k ulimit request
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      ...this.config.args,
    ];
  }

  /** The server accepts a TCP connection and sends the protocol-10 greeting (not an error packet). */
  async #greets(): Promise<boolean> {
    const bytes = await firstBytes(HOST, this.port, true);
    return bytes !== undefined && bytes[4] === HANDSHAKE_V10;
  }

  async #answersOverTcp(): Promise<boolean> {
    const args = [
      '--no-defaults',
      '--protocol=TCP',
      `--host=${HOST}`,
      `--port=${this.port}`,
      `--user=${USER}`,
    ];
    try {
      await run(this.config.client, [...args, '--batch', '--execute=SELECT 1']);
      return true;
    } catch {
      return false;
    }
  }

  async #sql(sql: string): Promise<void> {
    const args = ['--no-defaults', `--socket=${this.socketPath}`, `--user=${USER}`, '--batch'];
    try {
      await run(this.config.client, [...args, `--execute=${sql}`]);
    } catch (error) {
      throw new ServerCommandError(SERVER, sql, commandOutput(error), { cause: error });
    }
  }
}

/** The last `lines` lines of a text file ('' if it does not exist), reading at most its last 64 KiB. */
function tailOfFile(path: string, lines: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = statSync(path).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), lines);
  } finally {
    closeSync(fd);
  }
}

function lastLines(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
