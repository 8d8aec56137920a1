/**
 * Collects items per key and hands each key's items over as one batch when it reaches `maxSize` or
 * `maxWaitMs` after its first item, whichever comes first. `drain()` flushes everything and waits for every
 * batch handed over to be processed.
 */
export interface BatcherOptions {
  readonly maxSize: (key: string) => number;
  readonly maxWaitMs: number;
}

interface Pending<T> {
  items: T[];
  timer: NodeJS.Timeout | undefined;
}

export class KeyedBatcher<T> {
  readonly #pending = new Map<string, Pending<T>>();
  readonly #processing = new Set<Promise<void>>();

  constructor(
    private readonly options: BatcherOptions,
    private readonly process: (key: string, items: T[]) => Promise<void>,
  ) {}

  add(key: string, item: T): void {
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = { items: [], timer: undefined };
      this.#pending.set(key, pending);
    }
    pending.items.push(item);
    if (pending.items.length >= this.options.maxSize(key)) this.flush(key);
    else pending.timer ??= setTimeout(() => this.flush(key), this.options.maxWaitMs);
  }

  flush(key: string): void {
    const pending = this.#pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(key);
    const work = this.process(key, pending.items).finally(() => this.#processing.delete(work));
    this.#processing.add(work);
  }

  /** Items waiting plus batches being processed. */
  get busy(): boolean {
    return this.#pending.size > 0 || this.#processing.size > 0;
  }

  async drain(): Promise<void> {
    for (const key of [...this.#pending.keys()]) this.flush(key);
    while (this.#processing.size > 0) await Promise.allSettled([...this.#processing]);
  }
}
