/**
 * The keys seen lately, at most about `2 × perGeneration` of them, in two generations: a key is looked up in
 * both, a hit in the older one is carried into the current one, and when the current generation is full the
 * older one is dropped whole. Each operation is O(1) without an LRU list to keep; a key seen again within about
 * `perGeneration` others is always still there.
 */
export class RecentKeys {
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(private readonly perGeneration: number) {
    if (!Number.isInteger(perGeneration) || perGeneration < 1)
      throw new RangeError(`RecentKeys: perGeneration must be a positive integer, not ${perGeneration}`);
  }

  /** Whether `key` was seen lately; remembers it either way (as the most recent). */
  seen(key: string): boolean {
    if (this.has(key)) return true;
    this.add(key);
    return false;
  }

  /** Whether `key` is remembered (a hit is remembered as the most recent). */
  has(key: string): boolean {
    if (this.#current.has(key)) return true;
    if (!this.#previous.has(key)) return false;
    this.add(key);
    return true;
  }

  /** Remembers `key` as the most recent. */
  add(key: string): void {
    if (this.#current.has(key)) return;
    if (this.#current.size >= this.perGeneration) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(key);
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#current.delete(key);
    this.#previous.delete(key);
  }

  /** How many keys it holds now (between `perGeneration` and twice that once full). */
  get size(): number {
    let n = this.#current.size;
    for (const key of this.#previous) if (!this.#current.has(key)) n++;
    return n;
  }
}
