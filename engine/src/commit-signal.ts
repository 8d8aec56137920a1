/** Wakes event streams when a block is committed (or when they are closed). */
export class CommitSignal {
  #waiters = new Set<() => void>();

  /** Resolves at the next commit, or when `until` settles. */
  next(until?: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      void until?.then(wake);
    });
  }

  notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
