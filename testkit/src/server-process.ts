/**
 * The life of one local server process, written once for nats-server, MariaDB and anvil: launch it and wait until
 * it is ready (killing it if it never is), `stop()` once and for good, `kill()` with SIGKILL, `restart()` on the
 * same settings (refused after `stop()`), and the lines it printed. Each server says only what is its own: its
 * command line, how it shows it is ready, and what its `logTail()` holds.
 */
import { LogBuffer } from './log-buffer';
import { SupervisedProcess } from './process-supervisor';
import { waitUntilReady } from './readiness';
import { ServerStoppedError } from './server-stopped.error';

/** What every local server offers a test: its process, and stopping, killing and restarting it. */
export interface LocalServer {
  readonly port: number;
  /** The pid of the current (or, after `kill()`, the last) server process. */
  readonly pid: number;
  readonly running: boolean;
  /** SIGTERM (a clean shutdown), wait, remove the temp dirs unless kept. Final: no `restart()` after it. */
  stop(): Promise<void>;
  /** SIGKILL. The data stays for `restart()` (MariaDB then runs InnoDB crash recovery). */
  kill(): Promise<void>;
  /** Start again on the same port with the same data (stopping it first if it runs). */
  restart(): Promise<void>;
  /** The last lines the server logged (all runs of it; MariaDB: its error log, then its output). */
  logTail(lines?: number): string;
}

/** How one launch of the server shows that it is ready (fresh for each launch, so it may keep state). */
export interface LaunchWatch {
  /** Sees every line the process prints (after the output buffer does). */
  readonly onLine?: (line: string) => void;
  /** True once the server answers; false (not an exception) while it does not yet. */
  readonly isReady: () => Promise<boolean>;
}

export interface ServerProcessSpec {
  /** The name errors and log notes use (`nats-server`). */
  readonly server: string;
  readonly command: string;
  /** The command line of the next launch. */
  readonly args: () => readonly string[];
  readonly startTimeoutMs: number;
  readonly watch: () => LaunchWatch;
  /** What a start-up error quotes; default: the process's output. */
  readonly logTail?: (lines: number) => string;
}

export class ServerProcess {
  /** The lines the process printed on stdout and stderr, across its launches. */
  readonly output = new LogBuffer();
  #process: SupervisedProcess | undefined;
  #stopped = false;

  constructor(private readonly spec: ServerProcessSpec) {}

  /** The pid of the current (or, after `kill()`, the last) process. */
  get pid(): number {
    return this.#process?.pid ?? 0;
  }

  get running(): boolean {
    return this.#process?.running ?? false;
  }

  /** Starts the process and waits until it is ready; on failure it is killed and the error says why. */
  async launch(): Promise<void> {
    const watch = this.spec.watch();
    const proc = await SupervisedProcess.spawn({
      command: this.spec.command,
      args: this.spec.args(),
      onLine: (line) => {
        this.output.push(line);
        watch.onLine?.(line);
      },
    });
    this.#process = proc;
    try {
      await waitUntilReady({
        server: this.spec.server,
        process: proc,
        timeoutMs: this.spec.startTimeoutMs,
        logTail: () => this.spec.logTail?.(50) ?? this.output.tail(50),
        isReady: watch.isReady,
      });
    } catch (error) {
      await proc.kill();
      throw error;
    }
  }

  /** SIGTERM and wait for the exit; false when it was stopped before (stopping is final). */
  async stop(): Promise<boolean> {
    if (this.#stopped) return false;
    this.#stopped = true;
    await this.#process?.terminate();
    return true;
  }

  /** SIGKILL; `restart()` may follow. */
  async kill(): Promise<void> {
    await this.#process?.kill();
  }

  /** Stops the process if it runs and launches it again on the same settings. */
  async restart(): Promise<void> {
    if (this.#stopped) throw new ServerStoppedError(this.spec.server);
    await this.#process?.terminate();
    this.output.push(`--- testkit: restarting ${this.spec.server} ---`);
    await this.launch();
  }
}

/**
 * The part of a {@link LocalServer} that is its process (pid, running, kill, restart, the output as its log), for
 * the server classes to extend; each adds its own `stop()` (what it removes afterwards) and whatever else it is.
 */
export abstract class ProcessBackedServer {
  protected abstract readonly process: ServerProcess;

  get pid(): number {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.running;
  }

  kill(): Promise<void> {
    return this.process.kill();
  }

  restart(): Promise<void> {
    return this.process.restart();
  }

  logTail(lines = 50): string {
    return this.process.output.tail(lines);
  }
}
