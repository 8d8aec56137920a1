/** NATS cannot take the work now (disconnected, or no answer in time); the caller may retry later. */
export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';

  constructor(
    readonly detail: string,
    /** Seconds after which a retry is sensible (the client reconnects every half second). */
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}
