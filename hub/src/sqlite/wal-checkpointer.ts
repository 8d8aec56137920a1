/**
 * WAL checkpoints of a SQLite file in a worker thread, off the writer's thread. With SQLite's automatic
 * checkpoint, the COMMIT that crosses the threshold copies the whole WAL into the database file and fsyncs it,
 * on the thread that committed: on the hub's main thread that stalled ingest for 50-200 ms at a time. Here
 * the writer's automatic checkpoint is raised to a safety limit (`writerAutoCheckpointPragma`, only reached when
 * this worker falls far behind or is gone) and a connection of its own, in a worker, runs a PASSIVE checkpoint
 * every `intervalMs`: it never blocks the writer nor waits for readers, and a checkpoint with nothing new to
 * copy costs a read of the WAL index. Once every frame is copied, the writer's next transaction starts the WAL
 * over from its beginning, as before.
 *
 * Durability does not change: a transaction is durable once its COMMIT has written it to the WAL (synchronous
 * NORMAL: against a crash of the process; FULL: also of the machine); checkpoints only move committed pages.
 */
import { basename, extname } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /**
   * How often the worker checkpoints (default 1 s). A checkpoint copies each page changed since the last one
   * once, however often it changed: under ingest the same interior and right-edge pages change in every
   * commit, so a longer interval copies fewer pages (measured in `npm run bench -- ingest`, 60,000 records,
   * alternating runs: 20.2-20.6 KB written per record at 1 s against 23.1-25.0 KB at 200 ms, the checkpointer
   * threads' share 7.0-7.1 against 10.7-11.8 KB, CPU no worse) for a WAL of about one second of commits.
   */
  readonly intervalMs?: number;
  /** The `synchronous` setting of the database (the checkpoint's fsyncs follow it; default NORMAL). */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/**
 * The WAL size at which the writer's connection checkpoints by itself while a checkpointer runs: a safety
 * limit, not the usual trigger.
 */
const WRITER_AUTOCHECKPOINT_BYTES = 200 * 1024 * 1024;

const DEFAULT_INTERVAL_MS = 1000;

/** `PRAGMA wal_autocheckpoint = <pages>` for the writer's connection of a database with pages of `pageSize`. */
export function writerAutoCheckpointPragma(pageSize: number): string {
  return `wal_autocheckpoint = ${Math.ceil(WRITER_AUTOCHECKPOINT_BYTES / pageSize)}`;
}

/** The worker: plain JavaScript (no TypeScript loader in the worker), better-sqlite3 resolved by the parent. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.threadNamer).nameThisThread(workerData.threadName);
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 0');
let closed = false;
function checkpoint() {
  if (closed) return undefined;
  try { return db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch (error) { return undefined; /* busy: the next tick retries */ }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    parentPort.postMessage(checkpoint() ?? null);
    return;
  }
  if (message !== 'close') return;
  closed = true;
  clearInterval(timer);
  try { db.close(); } finally { parentPort.close(); }
});
`;

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  }

  /** Starts checkpointing `file` (which must exist, in WAL mode). */
  static start(file: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        threadNamer: require.resolve('@approval-ledger/fabric-engine/thread-name'),
        // as top -H and the bench's thread budget show it: wal:offchain, wal:ledger, wal:chain-index
        threadName: `wal:${basename(file, extname(file))}`,
        file,
        intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
        synchronous: options.synchronous ?? 'NORMAL',
      },
    });
    // a checkpointer that fails leaves the writer's own (safety-limit) checkpoints: nothing is lost
    worker.on('error', () => undefined);
    worker.unref();
    return new WalCheckpointer(worker);
  }

  /**
   * Runs a PASSIVE checkpoint now, besides the periodic ones: frames in the WAL and frames copied into the
   * database file (`undefined` when the checkpoint could not run).
   */
  checkpoint(): Promise<{ log: number; checkpointed: number } | undefined> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error('the WAL checkpointer has stopped'));
      this.#worker.once('exit', onExit);
      this.#worker.once('message', (result: { log: number; checkpointed: number } | null) => {
        this.#worker.off('exit', onExit);
        resolve(result ?? undefined);
      });
      this.#worker.postMessage('checkpoint');
    });
  }

  /** Stops the worker after its current checkpoint, and closes its connection. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // the worker is unref'd so that it never keeps a process alive; while we wait for it, it must (else a
      // process with nothing else to do would exit here, in the middle of its shutdown)
      this.#worker.ref();
      this.#worker.postMessage('close'); // a worker that has exited already ignores it
      await this.#exited;
    })();
    return this.#closing;
  }
}
