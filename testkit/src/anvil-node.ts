/**
 * A local EVM node for tests and for `npm start`: anvil (Foundry) from the npm package `@foundry-rs/anvil`,
 * whose binary comes in the platform package (`@foundry-rs/anvil-linux-amd64`, …). It runs on 127.0.0.1 on a
 * free port with a fixed chain id; with `stateFile` it loads that file at start and dumps to it every second
 * and on SIGTERM (`--state`, `--state-interval 1`), so a restart keeps accounts, contracts, blocks and receipts.
 */
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { choosePort, retryOnPortClash } from './free-port';
import { type LocalServer, ProcessBackedServer, ServerProcess } from './server-process';

export interface AnvilOptions {
  /** Default: a free port. */
  readonly port?: number;
  /** Used when free, else a free port. */
  readonly preferredPort?: number;
  /** Default {@link DEFAULT_ANVIL_CHAIN_ID}. */
  readonly chainId?: number;
  /** Load from and dump to this file (created on first dump). Default: state in memory only. */
  readonly stateFile?: string;
  /** Extra anvil arguments after the testkit's own. */
  readonly args?: readonly string[];
  /** Default 15 s. */
  readonly startTimeoutMs?: number;
}

/** A local anvil; `stop()` is SIGTERM (anvil dumps its state on the way out), `kill()` loses at most the last second. */
export interface AnvilNode extends LocalServer {
  /** `http://127.0.0.1:<port>` (JSON-RPC) */
  readonly url: string;
  readonly chainId: number;
  readonly stateFile: string | undefined;
}

const HOST = '127.0.0.1';
const SERVER = 'anvil';
/** Anvil's and Hardhat's development chain id. */
export const DEFAULT_ANVIL_CHAIN_ID = 31337;

/** The anvil executable inside `@foundry-rs/anvil`'s platform package; throws when it is not installed. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const manifest = createRequire(__filename).resolve(`${pkg}/package.json`);
    return join(dirname(manifest), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  } catch {
    throw new Error(
      `anvil not found: ${pkg} is not installed (npm install brings it with @foundry-rs/anvil, a testkit dependency)`,
    );
  }
}

/** Starts anvil and waits until it answers `eth_chainId` with the expected chain id. */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilNode> {
  const binary = anvilBinary();
  if (options.stateFile) await mkdir(dirname(options.stateFile), { recursive: true });
  return retryOnPortClash(options, async () => {
    const node = new LocalAnvil(binary, await choosePort(options, HOST), options);
    await node.launch();
    return node;
  });
}

/** The arguments `npm start` and the testkit give anvil. */
export function anvilArgs(port: number, chainId: number, stateFile: string | undefined): string[] {
  const state = stateFile === undefined ? [] : ['--state', stateFile, '--state-interval', '1'];
  return ['--host', HOST, '--port', String(port), '--chain-id', String(chainId), ...state];
}

/** The chain id a JSON-RPC node answers, or undefined when it does not answer. */
export function rpcChainId(url: string, timeoutMs = 1000): Promise<number | undefined> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(Number((JSON.parse(text) as { result: string }).result));
          } catch {
            resolve(undefined);
          }
        });
      },
    );
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

class LocalAnvil extends ProcessBackedServer implements AnvilNode {
  readonly url: string;
  readonly chainId: number;
  protected readonly process: ServerProcess;

  constructor(
    binary: string,
    readonly port: number,
    private readonly options: AnvilOptions,
  ) {
    super();
    this.url = `http://${HOST}:${port}`;
    this.chainId = options.chainId ?? DEFAULT_ANVIL_CHAIN_ID;
    this.process = new ServerProcess({
      server: SERVER,
      command: binary,
      args: () => [...anvilArgs(this.port, this.chainId, this.stateFile), ...(this.options.args ?? [])],
      startTimeoutMs: options.startTimeoutMs ?? 15_000,
      watch: () => ({ isReady: async () => (await rpcChainId(this.url)) === this.chainId }),
    });
  }

  get stateFile(): string | undefined {
    return this.options.stateFile;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }

  launch(): Promise<void> {
    return this.process.launch();
  }
}
