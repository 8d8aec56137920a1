/** Which NATS / JetStream failures are worth retrying (server down, reconnecting, stream missing). */
import { JETSTREAM_API_CODES, jetStreamApiCode } from '@approval-ledger/protocol/nats';

const TRANSIENT = new Set([
  'TimeoutError',
  'RequestError',
  'ConnectionError',
  'NoResponders',
  'NoRespondersError',
  // no responders on a JetStream subject: no stream (yet) takes the subject, or JetStream is restarting
  'JetStreamNotEnabled',
  'StreamNotFoundError',
]);

/** JetStream API codes that mean "not there yet" rather than "never". */
const TRANSIENT_API_CODES = new Set<number>([
  JETSTREAM_API_CODES.streamNotFound,
  JETSTREAM_API_CODES.temporarilyUnavailable,
]);

export function isTransientNatsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isPayloadTooLarge(error)) return false;
  if (TRANSIENT.has(error.name)) return true;
  const code = jetStreamApiCode(error);
  if (code !== undefined) {
    return TRANSIENT_API_CODES.has(code) || (error as Error & { status?: number }).status === 503;
  }
  return /timeout|disconnect|reconnect|connection (closed|refused|lost)/i.test(error.message);
}

/** The JetStream answer says the stream the subject belongs to does not exist. */
export function meansStreamMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'JetStreamNotEnabled') return true;
  return jetStreamApiCode(error) === JETSTREAM_API_CODES.streamNotFound;
}

/**
 * The message is larger than the server takes: the client's `max_payload` check (InvalidArgumentError
 * `'payload' max_payload size exceeded`, thrown before anything is sent) or JetStream's own limit on a
 * stream's message size (API error 10054, `message size exceeds maximum allowed`). Permanent: the same
 * bytes will never fit, however often they are retried.
 */
export function isPayloadTooLarge(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/max_payload|maximum payload|message size exceeds/i.test(error.message)) return true;
  return jetStreamApiCode(error) === JETSTREAM_API_CODES.messageTooLarge;
}
