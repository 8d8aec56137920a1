/** The legacy system could not be reached (connection refused, timeout, server error): retried with backoff. */
export class LegacyUnavailableError extends Error {
  override readonly name = 'LegacyUnavailableError';

  constructor(
    readonly system: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${system}: ${message}`, options);
  }
}
