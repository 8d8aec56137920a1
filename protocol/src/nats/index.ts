/**
 * `@approval-ledger/protocol/nats` (Node only): the one place that creates the JetStream streams protocol defines,
 * and reads JetStream API errors by their codes (nats.js's `JetStreamApiCodes`) rather than by their text.
 * The hub and the adapters both call it; whichever starts first creates the streams.
 */
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, STREAMS, streamConfig, type StreamName } from '../nats-subjects.js';

/** JetStream API error codes this project reacts to (nats.js names the first ones; the others are the server's). */
export const JETSTREAM_API_CODES = {
  streamNotFound: JetStreamApiCodes.StreamNotFound,
  /** `JetStream system temporarily unavailable` (10008), e.g. while the server restarts its JetStream. */
  temporarilyUnavailable: 10008,
  /** `message size exceeds maximum allowed` (10054): the stream's own message size limit. */
  messageTooLarge: 10054,
} as const;

/** The JetStream API error code of a failure, or undefined when it is not a JetStream API error. */
export function jetStreamApiCode(error: unknown): number | undefined {
  return error instanceof JetStreamApiError ? error.code : undefined;
}

export function isStreamNotFound(error: unknown): boolean {
  return jetStreamApiCode(error) === JETSTREAM_API_CODES.streamNotFound;
}

/**
 * Creates each named stream that does not exist yet, exactly as protocol's STREAMS define it (subjects, file
 * storage, de-duplication window); an existing stream is left exactly as it is. Safe when the hub and adapters
 * race: a stream created by someone else between the look and the add is fine. Returns the names it added
 * (JetStream accepts the add of an identical existing stream, so two racers may both report one).
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: readonly StreamName[] = STREAM_NAMES,
): Promise<StreamName[]> {
  const created: StreamName[] = [];
  for (const name of names) {
    const definition = STREAMS[name];
    if (await streamExists(jsm, definition.name)) continue;
    try {
      await jsm.streams.add(streamConfig(name));
      created.push(name);
    } catch (error) {
      if (!(await streamExists(jsm, definition.name))) throw error;
    }
  }
  return created;
}

async function streamExists(jsm: JetStreamManager, name: string): Promise<boolean> {
  try {
    await jsm.streams.info(name);
    return true;
  } catch (error) {
    if (isStreamNotFound(error)) return false;
    throw error;
  }
}
