/**
 * Collects items per key and hands each key's items over as one batch when it reaches `maxSize`; `maxWaitMs`
 * after the oldest item waiting, every key's items are handed over together (one timer for all keys). Handed
 * over together, the batches of all keys reach the store at the same moment and share its commits
 * (group-commit.ts): with a timer per key they came one after the other and each committed alone. No item
 * waits longer than `maxWaitMs`. `drain()` flushes everything and waits for every batch handed over to be
 * processed.
 */
export interface BatcherOptions {
  readonly maxSize: (key: string) => number;
  readonly maxWaitMs: number;
}

export class KeyedBatcher<T> {
  readonly #pending = new Map<string, T[]>();
  readonly #processing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly process: (key: string, items: T[]) => Promise<void>,
  ) {}

  add(key: string, item: T): void {
    let items = this.#pending.get(key);
    if (!items) {
      items = [];
      this.#pending.set(key, items);
    }
    items.push(item);
    if (items.length >= this.options.maxSize(key)) this.flush(key);
    else this.#timer ??= setTimeout(() => this.#flushAll(), this.options.maxWaitMs);
  }

  flush(key: string): void {
    const items = this.#pending.get(key);
    if (!items) return;
    this.#pending.delete(key);
    if (this.#pending.size === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const work = this.process(key, items).finally(() => this.#processing.delete(work));
    this.#processing.add(work);
  }

  /** Items waiting plus batches being processed. */
  get busy(): boolean {
    return this.#pending.size > 0 || this.#processing.size > 0;
  }

  async drain(): Promise<void> {
    this.#flushAll();
    while (this.#processing.size > 0) await Promise.allSettled([...this.#processing]);
  }

  #flushAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const key of [...this.#pending.keys()]) this.flush(key);
  }
}
