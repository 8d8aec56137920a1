/**
 * Counts events in a sliding window (default one minute) and reports the rate per minute. Fed by the live
 * event stream: transactions per committed block, milestones per receipt.
 */
export class ThroughputMeter {
  readonly #windowMs: number;
  #samples: { readonly at: number; readonly count: number }[] = [];
  #first: number | undefined;

  constructor(windowMs = 60_000) {
    this.#windowMs = windowMs;
  }

  record(count: number, at: number = Date.now()): void {
    if (count <= 0) return;
    this.#first ??= at;
    this.#samples.push({ at, count });
  }

  /**
   * Events per minute over the window ending at `now`. While the meter has watched for less than the window,
   * the count is scaled from the time watched (at least ten seconds, so one early event does not read as a
   * burst); undefined before the first event.
   */
  perMinute(now: number = Date.now()): number | undefined {
    if (this.#first === undefined) return undefined;
    const from = now - this.#windowMs;
    this.#samples = this.#samples.filter((s) => s.at > from);
    const total = this.#samples.reduce((sum, s) => sum + s.count, 0);
    const watched = Math.min(this.#windowMs, Math.max(10_000, now - this.#first));
    return Math.round((total * 60_000) / watched);
  }
}
