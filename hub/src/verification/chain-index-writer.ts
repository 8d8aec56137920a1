/**
 * The chain index on a thread of its own. Indexing a block is reading each record from its transaction's
 * argument and SQLite work: about 1 KB of row and four index entries per anchor, 20 µs per record on the
 * thread that does it (measured in `npm run bench -- ingest`). The main thread hands over each block's
 * transactions as `indexableTransactions` keeps them (strings, cheap to copy between threads); the writer
 * thread reads them (`block-changes.ts`), applies them in order on its own connection and answers when they
 * are committed. Whatever arrives while it commits is committed next, together, in one transaction: under load
 * several blocks share each commit, and the pages they share are written once.
 *
 * Guarantees do not change: a block and the cursor past it are committed together (a crash leaves the index at
 * some block, and the indexer goes on from its cursor), blocks are committed in the order they were given, and
 * `apply` resolves only once the block is committed, so a reader on another connection (the API's) sees it.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type IndexableTransaction } from './block-changes';
import { type IndexedBlock, type IndexName } from './chain-index';
import { RecentKeys } from './recent-keys';

/**
 * (project, name) pairs remembered as sent, per generation of `RecentKeys`: a project's records carry the same
 * names, so after its first record they would be an `INSERT OR IGNORE` each that finds the row already there
 * (two per record: the project's and the applicant's name; the hub README's issue 16 notes of 2026-12-08
 * measure it). At most twice 65,536 pairs: 28 MB of the main thread's heap once full (measured with the
 * bench's names).
 */
const NAMES_REMEMBERED = 65_536;

/** What the main thread sends the writer thread. */
export type WriterRequest =
  | {
      readonly type: 'block';
      readonly seq: number;
      readonly block: IndexedBlock;
      readonly transactions: readonly IndexableTransaction[];
    }
  | { readonly type: 'names'; readonly entries: readonly IndexName[] }
  | { readonly type: 'close' };

/** What the writer thread answers: the blocks of a commit with the records each indexed, or of a failed one. */
export type WriterResponse =
  | { readonly type: 'ready' }
  | { readonly type: 'startFailed'; readonly message: string }
  | { readonly type: 'committed'; readonly seqs: readonly number[]; readonly records: readonly number[] }
  | { readonly type: 'failed'; readonly seqs: readonly number[]; readonly message: string };

export interface ChainIndexWriterData {
  readonly file: string;
}

/** The worker from TypeScript sources under ts-node (tests), from JavaScript once built. */
function workerOptions(data: ChainIndexWriterData): {
  file: string;
  options: ConstructorParameters<typeof Worker>[1];
} {
  const typescript = __filename.endsWith('.ts');
  return {
    file: join(__dirname, typescript ? 'chain-index-worker.ts' : 'chain-index-worker.js'),
    options: {
      workerData: data,
      ...(typescript
        ? {
            execArgv: ['--require', 'ts-node/register'],
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
          }
        : {}),
    },
  };
}

interface Pending {
  readonly resolve: (records: number) => void;
  readonly reject: (error: Error) => void;
}

export class ChainIndexWriter {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  /** Blocks sent and not yet committed, by sequence number (in the order sent). */
  readonly #pending = new Map<number, Pending>();
  #nextSeq = 0;
  /**
   * Names sent lately. Sent is as good as written: the writer commits them with the next block or alone, and a
   * commit that fails stops this writer for good (every later block fails too), as a crash would have lost them.
   */
  readonly #namesSent = new RecentKeys(NAMES_REMEMBERED);
  #stopped: Error | undefined;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (response: WriterResponse) => this.#answer(response));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the chain index writer exited with code ${code}`)));
  }

  /**
   * Starts the writer thread on the index at `file` (opened, and so created or converted, by the caller's own
   * `ChainIndex.open` first); resolves once its connection is open.
   */
  static async start(file: string): Promise<ChainIndexWriter> {
    const { file: script, options } = workerOptions({ file });
    const worker = new Worker(script, options);
    const first = await new Promise<WriterResponse>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the chain index writer exited with code ${code} while starting`)),
      );
    });
    if (first.type === 'startFailed') {
      await worker.terminate();
      throw new Error(`the chain index writer could not open ${file}: ${first.message}`);
    }
    return new ChainIndexWriter(worker);
  }

  /** Blocks handed over and not yet committed. */
  get backlog(): number {
    return this.#pending.size;
  }

  /**
   * Indexes a block's transactions (those `indexableTransactions` keeps) and moves the cursor past it; resolves
   * once committed, with the number of records it indexed.
   */
  apply(block: IndexedBlock, transactions: readonly IndexableTransaction[]): Promise<number> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const seq = this.#nextSeq++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#send({ type: 'block', seq, block, transactions });
    });
  }

  /**
   * Remembers names for search, committed with the next block (or alone); a failure is the next block's. A
   * (project, name) pair sent lately is not sent again.
   */
  addNames(entries: readonly IndexName[]): void {
    if (this.#stopped) return;
    const fresh = entries.filter((e) => !this.#namesSent.seen(`${e.projectCode}\u0000${e.name}`));
    if (fresh.length > 0) this.#send({ type: 'names', entries: fresh });
  }

  /** Commits what was handed over, then closes the writer's connection and ends its thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#stopped) this.#send({ type: 'close' });
      await this.#exited;
    })();
    return this.#closing;
  }

  #send(request: WriterRequest): void {
    this.#worker.postMessage(request);
  }

  #answer(response: WriterResponse): void {
    if (response.type === 'committed') {
      response.seqs.forEach((seq, i) => {
        this.#pending.get(seq)?.resolve(response.records[i] ?? 0);
        this.#pending.delete(seq);
      });
    } else if (response.type === 'failed') {
      const error = new Error(`the chain index could not commit: ${response.message}`);
      for (const seq of response.seqs) {
        this.#pending.get(seq)?.reject(error);
        this.#pending.delete(seq);
      }
    }
  }

  /** The thread is gone: every block not yet committed fails, and so does every later one. */
  #fail(error: Error): void {
    this.#stopped ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
  }
}
