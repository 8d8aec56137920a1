import { get } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type SupervisedProcess, describeExit } from './process-supervisor';
import { ServerStartError } from './server-start.error';

const POLL_INTERVAL_MS = 25;
const PROBE_TIMEOUT_MS = 1000;

export interface ReadinessWait {
  readonly server: string;
  readonly process: SupervisedProcess;
  readonly timeoutMs: number;
  readonly logTail: () => string;
  /** True once the server answers; false (not an exception) while it does not yet. */
  readonly isReady: () => Promise<boolean>;
}

/** Polls `isReady` until it is true; a `ServerStartError` with the log tail if the process exits or time runs out. */
export async function waitUntilReady(wait: ReadinessWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const exit = wait.process.exitInfo;
    if (exit !== undefined) {
      await wait.process.exited; // read its last words before quoting them
      const detail = `exited with ${describeExit(exit)} before it was ready`;
      throw new ServerStartError(wait.server, 'exited', detail, wait.logTail(), { exit });
    }
    if (await wait.isReady()) return;
    if (Date.now() > deadline) {
      const detail = `not ready after ${wait.timeoutMs} ms`;
      throw new ServerStartError(wait.server, 'timeout', detail, wait.logTail());
    }
    await delay(POLL_INTERVAL_MS);
  }
}

/** Whether a TCP connection to host:port succeeds. */
export function tcpConnects(host: string, port: number): Promise<boolean> {
  return firstBytes(host, port).then((bytes) => bytes !== undefined);
}

/**
 * The first bytes the server sends after a TCP connect ([] when it accepts but sends nothing before we
 * give up waiting), or undefined when the connection fails.
 */
export function firstBytes(host: string, port: number, waitForData = false): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let connected = false;
    const finish = (bytes: Buffer | undefined): void => {
      socket.destroy();
      resolve(bytes);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(connected ? Buffer.alloc(0) : undefined));
    socket.once('error', () => finish(undefined));
    socket.once('connect', () => {
      connected = true;
      if (!waitForData) finish(Buffer.alloc(0));
    });
    socket.once('data', (data: Buffer) => finish(data));
  });
}

/** Whether an HTTP GET of `url` answers 200. */
export function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
