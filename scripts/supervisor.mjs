// What `npm start` needs to keep a system of processes up, without dependencies (it runs before `npm ci`
// has finished building anything): a supervised service that is restarted with backoff when it dies, a local
// nats-server with JetStream as such a service, and a port chooser.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

const HOST = '127.0.0.1';
/** Backoff after an unexpected exit: 1 s, 2 s, 4 s, … up to 30 s; a run of a minute resets it. */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
/** Exit code by which a service says its configuration is wrong: restarting cannot help. */
const CONFIG_REFUSED = 2;

function restartDelay(restarts) {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(restarts, 10));
}

/**
 * One process, kept running: started by `start()`, restarted with backoff when it exits on its own (unless it
 * exits with code 2, a refused configuration), stopped with SIGTERM (SIGKILL after `stopTimeoutMs`) by
 * `stop()`. `ready` resolves once the first start answers `readyProbe` (or at once without one).
 */
export class Service {
  #child;
  #stopping = false;
  #restarts = 0;
  #timer;
  #resolveReady;

  constructor({ name, command, args = [], env = process.env, cwd, log, readyProbe, stdio, stopTimeoutMs }) {
    Object.assign(this, { name, command, args, env, cwd, log, readyProbe, stdio });
    this.stopTimeoutMs = stopTimeoutMs ?? 20_000;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  async start() {
    if (this.#stopping) return;
    const child = spawn(this.command, this.args, {
      cwd: this.cwd,
      env: this.env,
      stdio: this.stdio ?? 'inherit',
    });
    this.#child = child;
    const startedAt = Date.now();
    child.on('error', (error) => this.log(`${this.name} could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.#exited(code, signal, startedAt));
    if (this.readyProbe) await this.readyProbe();
    this.#resolveReady();
  }

  #exited(code, signal, startedAt) {
    if (this.#stopping) return;
    const ran = Date.now() - startedAt;
    if (code === CONFIG_REFUSED) {
      this.log(`${this.name} refused its configuration (exit 2); not restarted: fix it and start again`);
      return;
    }
    if (ran > STABLE_AFTER_MS) this.#restarts = 0;
    const delay = restartDelay(this.#restarts++);
    this.log(
      `${this.name} exited (${signal ?? `code ${code}`}) after ${Math.round(ran / 1000)} s; ` +
        `restarting in ${delay / 1000} s (restart ${this.#restarts})`,
    );
    this.#timer = setTimeout(() => void this.start(), delay);
  }

  stop() {
    this.#stopping = true;
    clearTimeout(this.#timer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), this.stopTimeoutMs);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** `preferred` when nothing listens on it, else a free port the OS gives. */
export async function choosePort(preferred) {
  const listenOn = (port) =>
    new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, HOST, () => {
        const chosen = server.address().port;
        server.close(() => resolve(chosen));
      });
    });
  try {
    return await listenOn(preferred);
  } catch {
    return listenOn(0);
  }
}

/** Resolves once something accepts TCP connections on HOST:port (rejects after `timeoutMs`). */
export async function tcpReady(port, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, HOST);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${HOST}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A local nats-server with JetStream in `storeDir`, on `port` (the same on every restart, so clients reconnect),
 * logging to `<storeDir>/nats-server.log`.
 */
export function natsServerSpec({ port, storeDir, binary = 'nats-server' }) {
  return {
    command: binary,
    args: ['-a', HOST, '-p', String(port), '-js', '-sd', storeDir, '-l', join(storeDir, 'nats-server.log')],
    stdio: 'ignore',
    readyProbe: () => tcpReady(port),
  };
}
