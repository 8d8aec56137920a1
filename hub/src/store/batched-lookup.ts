/**
 * Lookups by key that arrive while others are being answered are answered together: one `IN (...)` query for
 * all the keys waiting, instead of one query each.
 *
 * Why: on MySQL/MariaDB a point lookup costs little in the index and much around it. Measured on the 2-core
 * machine (store.bench.ts, 50,000 records): one statement per lookup cost the server 120-170 µs of CPU and the
 * client 70-100 µs (parse, packets, the pool), a ceiling of about 3,000-9,000 lookups/s however many were in
 * flight; 32 keys in one statement cost 30-40 µs of server CPU and about 10 µs of client CPU per key.
 *
 * How: a key asked for is queued; a queue flush is scheduled on the microtask queue (so keys asked for in the
 * same turn go together). A flush sends at most `maxBatch` waiting keys as one query if fewer than
 * `maxInFlight` queries are out; otherwise the keys wait for the next query to return, which flushes again.
 * A lone lookup therefore goes out at once and alone (no timer, no added latency); under load the batches grow
 * with the queue. The same key asked for twice while waiting is one key in the query, both callers get the
 * answer. A failed query rejects exactly the lookups it carried.
 */

/** Answers a batch of distinct keys: the rows of each key (keys with none may be missing from the map). */
export type FetchBatch<Row> = (keys: readonly string[]) => Promise<Map<string, Row[]>>;

export interface BatchedLookupOptions {
  /** Keys per query at most. */
  readonly maxBatch: number;
  /** Queries out at once at most (each holds a pool connection while it runs). */
  readonly maxInFlight: number;
}

interface Waiter<Row> {
  resolve(rows: Row[]): void;
  reject(error: unknown): void;
}

export class BatchedLookup<Row> {
  readonly #fetch: FetchBatch<Row>;
  readonly #options: BatchedLookupOptions;
  /** Keys waiting for a query, in arrival order, with everyone waiting for each. */
  readonly #waiting = new Map<string, Waiter<Row>[]>();
  #inFlight = 0;
  #flushScheduled = false;
  /** Queries sent so far (for the bench and the tests: how well lookups were batched). */
  #queries = 0;

  constructor(fetch: FetchBatch<Row>, options: BatchedLookupOptions) {
    if (!(options.maxBatch >= 1) || !(options.maxInFlight >= 1))
      throw new RangeError('BatchedLookup: maxBatch and maxInFlight must be at least 1');
    this.#fetch = fetch;
    this.#options = options;
  }

  /** The rows of `key` (empty when there are none). */
  load(key: string): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      const waiters = this.#waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#waiting.set(key, [{ resolve, reject }]);
      this.#scheduleFlush();
    });
  }

  /** How many queries have been sent. */
  get queries(): number {
    return this.#queries;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#waiting.size > 0 && this.#inFlight < this.#options.maxInFlight) {
      const batch = new Map<string, Waiter<Row>[]>();
      for (const [key, waiters] of this.#waiting) {
        batch.set(key, waiters);
        this.#waiting.delete(key);
        if (batch.size >= this.#options.maxBatch) break;
      }
      this.#send(batch);
    }
  }

  #send(batch: Map<string, Waiter<Row>[]>): void {
    this.#inFlight++;
    this.#queries++;
    // a fetch that throws instead of rejecting still rejects its lookups
    const answer = Promise.resolve().then(() => this.#fetch([...batch.keys()]));
    answer.then(
      (rows) => {
        this.#done();
        for (const [key, waiters] of batch) {
          const found = rows.get(key) ?? [];
          // each caller its own array: one may sort or change what it got
          for (const w of waiters) w.resolve(found.slice());
        }
      },
      (error: unknown) => {
        this.#done();
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      },
    );
  }

  #done(): void {
    this.#inFlight--;
    if (this.#waiting.size > 0) this.#scheduleFlush();
  }
}
