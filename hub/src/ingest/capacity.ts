/** A counting semaphore: at most `limit` units in use; `acquire()` waits for a free one. */
export class Capacity {
  #used = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  async acquire(): Promise<void> {
    if (this.#used < this.limit) {
      this.#used++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(count = 1): void {
    for (let i = 0; i < count; i++) {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#used = Math.max(0, this.#used - 1);
    }
  }
}
