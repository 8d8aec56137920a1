/** The last lines a server wrote, kept in memory for `logTail()` and start-up error messages. */
export class LogBuffer {
  readonly #lines: string[] = [];

  constructor(private readonly capacity = 1000) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.capacity) this.#lines.shift();
  }

  /** The last `count` lines, joined with newlines. */
  tail(count = 50): string {
    return this.#lines.slice(-count).join('\n');
  }
}
