/** What `/healthz` reports: NATS, the legacy system, the last error, how far behind. */
import { type JournalCounts } from './delivery-journal';
import { errorMessage } from './logger';
import { type AdapterMetrics } from './metrics';

export interface HealthSnapshot {
  readonly adapter: string;
  readonly status: 'ok' | 'starting' | 'degraded';
  readonly nats: 'connected' | 'disconnected';
  /** Legacy change time of the newest record read. */
  readonly lastLegacySeenAt: string | null;
  /** Last time the legacy system answered. */
  readonly lastLegacyContactAt: string | null;
  readonly caughtUp: boolean;
  readonly backlog: number | null;
  readonly lagSeconds: number;
  readonly lastError: { readonly at: string; readonly operation: string; readonly message: string } | null;
  readonly published: number;
  readonly deadLettered: number;
  /** The delivery journal's distinct counts (they survive restarts; the two above are this process's). */
  readonly journal: JournalCounts | null;
}

interface ErrorRecord {
  readonly at: number;
  readonly operation: string;
  readonly message: string;
}

export class AdapterHealth {
  #natsConnected = false;
  #lastLegacySeenAt: number | undefined;
  #lastLegacyContactAt: number | undefined;
  #lastSuccessAt: number | undefined;
  #caughtUp = false;
  #lastError: ErrorRecord | undefined;
  /** The batch in hand failed and is being retried (records of it may still succeed meanwhile). */
  #batchFailing = false;
  #backlog: () => Promise<number | undefined> = () => Promise.resolve(undefined);
  /** Set by the runtime once its journal is open. */
  journalCounts: (() => JournalCounts) | undefined;

  constructor(
    readonly adapter: string,
    private readonly metrics: AdapterMetrics,
  ) {
    this.metrics.lag.reset();
  }

  set natsConnected(connected: boolean) {
    this.#natsConnected = connected;
  }

  /** How to ask the legacy system for its backlog. */
  set backlogProbe(probe: () => Promise<number | undefined>) {
    this.#backlog = probe;
  }

  /** The legacy system answered; `caughtUp` when it has nothing more right now. */
  legacyContact(caughtUp: boolean): void {
    this.#lastLegacyContactAt = Date.now();
    this.#caughtUp = caughtUp;
    this.#updateLag();
  }

  /** A legacy record changed at `changedAtMs` has been read. */
  legacySeen(changedAtMs: number | undefined): void {
    if (changedAtMs === undefined || !Number.isFinite(changedAtMs)) return;
    if (this.#lastLegacySeenAt === undefined || changedAtMs > this.#lastLegacySeenAt) {
      this.#lastLegacySeenAt = changedAtMs;
      this.metrics.lastLegacySeen.set(changedAtMs / 1000);
    }
  }

  succeeded(): void {
    this.#lastSuccessAt = Date.now();
  }

  failed(operation: string, error: unknown): void {
    this.#lastError = { at: Date.now(), operation, message: errorMessage(error) };
  }

  /**
   * The batch failed as a whole and will be read again: degraded until a batch is done, whatever single
   * records of it succeed meanwhile (a batch stuck on one record must not look healthy).
   */
  batchFailed(operation: string, error: unknown): void {
    this.failed(operation, error);
    this.#batchFailing = true;
  }

  /** A batch was delivered and its checkpoint saved. */
  batchDone(): void {
    this.#batchFailing = false;
  }

  async snapshot(): Promise<HealthSnapshot> {
    const backlog = await this.#backlog().catch(() => undefined);
    if (backlog !== undefined) this.metrics.backlog.set(backlog);
    this.#updateLag();
    return {
      adapter: this.adapter,
      status: this.#status(),
      nats: this.#natsConnected ? 'connected' : 'disconnected',
      lastLegacySeenAt: iso(this.#lastLegacySeenAt),
      lastLegacyContactAt: iso(this.#lastLegacyContactAt),
      caughtUp: this.#caughtUp,
      backlog: backlog ?? null,
      lagSeconds: (await this.metrics.lag.get()).values[0]?.value ?? 0,
      lastError: this.#lastError
        ? {
            at: new Date(this.#lastError.at).toISOString(),
            operation: this.#lastError.operation,
            message: this.#lastError.message,
          }
        : null,
      published: await this.metrics.total(this.metrics.published),
      deadLettered: await this.metrics.total(this.metrics.deadLettered),
      journal: this.journalCounts?.() ?? null,
    };
  }

  #status(): HealthSnapshot['status'] {
    if (!this.#natsConnected || this.#batchFailing) return 'degraded';
    const errorIsCurrent = this.#lastError !== undefined && this.#lastError.at >= (this.#lastSuccessAt ?? 0);
    if (errorIsCurrent) return 'degraded';
    return this.#lastSuccessAt === undefined ? 'starting' : 'ok';
  }

  #updateLag(): void {
    const behind = !this.#caughtUp && this.#lastLegacySeenAt !== undefined;
    this.metrics.lag.set(behind ? Math.max(0, (Date.now() - (this.#lastLegacySeenAt ?? 0)) / 1000) : 0);
  }
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
