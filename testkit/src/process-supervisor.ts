import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { type Readable } from 'node:stream';
import { findBinary } from './binaries';
import { trackChild } from './exit-cleanup';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Called with every line the process writes to stdout or stderr. */
  readonly onLine?: (line: string) => void;
}

/** How long `terminate()` waits after SIGTERM before it sends SIGKILL. */
const DEFAULT_GRACE_MS = 15_000;

let deathSignalWrapper: string | null | undefined;

/**
 * `setpriv --pdeathsig KILL --` when available (Linux, util-linux): it sets PR_SET_PDEATHSIG and execs the
 * server, so the server keeps its own pid and the kernel kills it when this process dies, even by SIGKILL.
 */
function deathSignalPrefix(): string[] {
  if (deathSignalWrapper === undefined) {
    deathSignalWrapper = process.platform === 'linux' ? (findBinary('setpriv') ?? null) : null;
  }
  return deathSignalWrapper === null ? [] : [deathSignalWrapper, '--pdeathsig', 'KILL', '--'];
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
}

/**
 * A server process owned by the test process. It runs in its own process group (so a Ctrl-C in the
 * terminal reaches the test runner, which decides the order of shutdown), it never keeps the event loop
 * alive, and it is killed when this process exits.
 */
export class SupervisedProcess {
  /** Resolves once the process has exited and all its output has been read. */
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {
    const untrack = trackChild(pid);
    child.once('exit', (code, signal) => {
      this.#exit = { code, signal };
      untrack();
    });
    this.exited = new Promise((resolve) => {
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
    });
  }

  static async spawn(spec: SpawnSpec): Promise<SupervisedProcess> {
    const [command = spec.command, ...prefixArgs] = [...deathSignalPrefix(), spec.command];
    const child = spawn(command, [...prefixArgs, ...spec.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    await once(child, 'spawn'); // rejects with the 'error' event when the program cannot be run
    child.on('error', () => {
      // a failed kill() of an already-dead child; exit and close still report the outcome
    });
    if (child.pid === undefined) throw new Error(`${spec.command} was spawned without a pid`);
    forwardLines(child.stdout, spec.onLine);
    forwardLines(child.stderr, spec.onLine);
    child.unref();
    return new SupervisedProcess(child, child.pid);
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Set once the process has exited. */
  get exitInfo(): ProcessExit | undefined {
    return this.#exit;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async terminate(graceMs = DEFAULT_GRACE_MS): Promise<ProcessExit> {
    this.#holdEventLoopUntilExit();
    if (this.#exit === undefined) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: the process gets no chance to shut down cleanly. */
  async kill(): Promise<ProcessExit> {
    this.#holdEventLoopUntilExit();
    if (this.#exit === undefined) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Whoever awaits the exit needs the event loop to stay alive until the process and its pipes close. */
  #holdEventLoopUntilExit(): void {
    this.child.ref();
    for (const stream of [this.child.stdout, this.child.stderr]) asSocket(stream)?.ref();
  }
}

function forwardLines(stream: Readable | null, onLine: ((line: string) => void) | undefined): void {
  if (stream === null) return;
  asSocket(stream)?.unref(); // the pipe must not keep the event loop alive either
  if (onLine === undefined) {
    stream.resume();
    return;
  }
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** A pipe from spawn() is a net.Socket (its type says only Readable), whose handle can be (un)ref'd. */
function asSocket(stream: Readable | null): Socket | undefined {
  return stream instanceof Socket ? stream : undefined;
}
