/** JetStream answered a publish with an error (no stream takes the subject, a stream limit, ...): not stored. */
export class PublishRefusedError extends Error {
  override readonly name = 'PublishRefusedError';

  constructor(
    readonly subject: string,
    /** The server's status or API error code (503: no stream takes the subject). */
    readonly code: number,
    readonly description: string,
  ) {
    super(`JetStream refused the message on ${subject}: ${code} ${description}`);
  }
}

/** A publish whose PubAck did not come in time: it may or may not be stored (a retry with its msgId is safe). */
export class PubAckTimeoutError extends Error {
  /** The name nats.js gives its own timeouts, which `isTimeout()` recognises. */
  override readonly name = 'TimeoutError';

  constructor(
    readonly missing: number,
    readonly timeoutMs: number,
  ) {
    super(`${missing} PubAck(s) did not come within ${timeoutMs} ms`);
  }
}
