/**
 * Group commit of ingest's store writes. Each ingest batch writes the store twice (its pending records, then
 * their anchoring and receipts), and batches of the nine (kind, region, department) keys run side by side:
 * as separate transactions that is a commit for every 50-100 records, and a commit costs most of what its
 * rows cost again (every page it dirties goes to the WAL once per commit: the B-tree's right edges, interior
 * pages and the leaves of the random-key indexes are written anew by each). Here the store work that comes
 * in while a commit is under way waits for it and then runs, with everything else that came, in the next
 * transaction: one commit for many batches, with no timer (an idle hub commits a lone batch at once).
 *
 * Each caller's promise settles only after the commit that holds its work: what a caller does next
 * (anchoring, publishing receipts, acking) still follows its own durable write, as before. A work that
 * throws would roll back its companions: then each work of the group runs again in a transaction of its
 * own, so one batch's failure stays its own. Works must therefore be safe to run again (ingest's are: they
 * write what their arguments say, and a rolled-back transaction left nothing behind).
 */
import { type Store, type StoreRepositories } from '../store';

type Work<T> = (tx: StoreRepositories) => Promise<T>;

interface Queued {
  readonly work: Work<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  /** Works run, and the commits that held them. */
  readonly works: number;
  readonly commits: number;
}

export class GroupCommitter {
  readonly #queue: Queued[] = [];
  #running = false;
  #works = 0;
  #commits = 0;

  constructor(
    private readonly store: Pick<Store, 'transaction'>,
    /** Works per transaction at most (a bound on one commit's size and on what a retry repeats). */
    private readonly maxWorks = 64,
  ) {}

  /** Runs `work` in the next group transaction; resolves with its result once that transaction committed. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  get stats(): GroupCommitStats {
    return { works: this.#works, commits: this.#commits };
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.maxWorks));
    } finally {
      this.#running = false;
    }
  }

  async #commit(group: readonly Queued[]): Promise<void> {
    let results: unknown[];
    try {
      results = await this.store.transaction(async (tx) => {
        const out: unknown[] = [];
        for (const queued of group) out.push(await queued.work(tx));
        return out;
      });
    } catch (error) {
      if (group.length === 1) {
        (group[0] as Queued).reject(error);
        return;
      }
      // one work's failure rolled back the whole group: each runs alone, and fails alone
      for (const queued of group) await this.#commit([queued]);
      return;
    }
    this.#commits++;
    this.#works += group.length;
    group.forEach((queued, i) => queued.resolve(results[i]));
  }
}
