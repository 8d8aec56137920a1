import { mkdir } from 'node:fs/promises';
import { requireBinary } from './binaries';
import { trackTempDir } from './exit-cleanup';
import { choosePort, retryOnPortClash } from './free-port';
import { httpOk, tcpConnects } from './readiness';
import { type LocalServer, ProcessBackedServer, ServerProcess } from './server-process';
import { makeTempDir, removeDir } from './temp-dir';

export interface NatsServerOptions {
  /** Client port; start-up fails if it is taken. Default: a free port. */
  readonly port?: number;
  /** Client port to use when it is free, else a free one (`npm start` asks for 4222). */
  readonly preferredPort?: number;
  /** JetStream store directory (`-sd`). Default: a new temp dir. A directory you pass is never deleted. */
  readonly storeDir?: string;
  /** Keep the temp store dir after `stop()`, e.g. to look at it after a failure. */
  readonly keepStoreDir?: boolean;
  /** HTTP monitoring (`-m`): `true` for a free port, or a port number. Default: off. */
  readonly monitor?: boolean | number;
  /** Extra nats-server arguments, after the testkit's own. */
  readonly args?: readonly string[];
  /** How long to wait for the server to be ready. Default 15 s. */
  readonly startTimeoutMs?: number;
}

/** A nats-server with JetStream on 127.0.0.1, owned by the test process. */
export interface NatsServer extends LocalServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  /** `http://127.0.0.1:<port>` when monitoring is on. */
  readonly monitorUrl: string | undefined;
  readonly storeDir: string;
}

const HOST = '127.0.0.1';
const SERVER = 'nats-server';
const DEFAULT_START_TIMEOUT_MS = 15_000;

interface NatsConfig {
  readonly binary: string;
  readonly port: number;
  readonly monitorPort: number | undefined;
  readonly storeDir: string;
  readonly removeStoreDirOnStop: boolean;
  readonly args: readonly string[];
  readonly startTimeoutMs: number;
}

/** Start a nats-server with JetStream on 127.0.0.1 and wait until it accepts clients. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = requireBinary(SERVER, 'nats-server');
  const ownsStoreDir = options.storeDir === undefined;
  const kept = options.keepStoreDir === true;
  const storeDir = options.storeDir ?? (await makeTempDir('nats', { kept }));
  await mkdir(storeDir, { recursive: true });
  const removeStoreDirOnStop = ownsStoreDir && !kept;
  try {
    return await retryOnPortClash(options, async () =>
      LocalNatsServer.start({
        binary,
        port: await choosePort(options, HOST),
        monitorPort: await monitorPort(options.monitor),
        storeDir,
        removeStoreDirOnStop,
        args: options.args ?? [],
        startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      }),
    );
  } catch (error) {
    if (removeStoreDirOnStop) await removeDir(storeDir);
    throw error;
  }
}

async function monitorPort(monitor: boolean | number | undefined): Promise<number | undefined> {
  if (typeof monitor === 'number') return monitor;
  return monitor === true ? choosePort({}, HOST) : undefined;
}

class LocalNatsServer extends ProcessBackedServer implements NatsServer {
  readonly host = HOST;
  readonly url: string;
  readonly monitorUrl: string | undefined;
  readonly #untrackStoreDir: () => void;
  protected readonly process: ServerProcess;

  private constructor(private readonly config: NatsConfig) {
    super();
    this.url = `nats://${HOST}:${config.port}`;
    this.monitorUrl = config.monitorPort === undefined ? undefined : `http://${HOST}:${config.monitorPort}`;
    this.#untrackStoreDir = config.removeStoreDirOnStop ? trackTempDir(config.storeDir) : () => undefined;
    this.process = new ServerProcess({
      server: SERVER,
      command: config.binary,
      args: () => this.#args(),
      startTimeoutMs: config.startTimeoutMs,
      watch: () => {
        let announcedReady = false;
        return {
          onLine: (line) => {
            if (line.includes('Server is ready')) announcedReady = true;
          },
          isReady: async () =>
            announcedReady && (await tcpConnects(HOST, this.port)) && (await this.#healthy()),
        };
      },
    });
  }

  static async start(config: NatsConfig): Promise<LocalNatsServer> {
    const server = new LocalNatsServer(config);
    try {
      await server.process.launch();
    } catch (error) {
      server.#untrackStoreDir(); // the caller removes or keeps the dir
      throw error;
    }
    return server;
  }

  get port(): number {
    return this.config.port;
  }

  get storeDir(): string {
    return this.config.storeDir;
  }

  async stop(): Promise<void> {
    if (!(await this.process.stop())) return;
    if (this.config.removeStoreDirOnStop) await removeDir(this.config.storeDir);
    this.#untrackStoreDir();
  }

  #args(): string[] {
    const monitor = this.config.monitorPort === undefined ? [] : ['-m', String(this.config.monitorPort)];
    const core = ['-a', HOST, '-p', String(this.port), '-js', '-sd', this.storeDir];
    return [...core, ...monitor, ...this.config.args];
  }

  async #healthy(): Promise<boolean> {
    if (this.monitorUrl === undefined) return true;
    return httpOk(`${this.monitorUrl}/healthz?js-enabled-only=true`);
  }
}
