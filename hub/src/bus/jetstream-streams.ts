/**
 * The hub's streams, created at start when absent exactly as protocol's STREAMS define them (subjects, file
 * storage, de-duplication window: LEGACY 15 minutes, the others 10); an existing stream (e.g. created by an
 * adapter first) is left as it is.
 */
import { type JetStreamManager } from '@nats-io/jetstream';
import { STREAM_NAMES, STREAMS, streamConfig, type StreamName } from '@approval-ledger/protocol';

export { type StreamName } from '@approval-ledger/protocol';

/** Creates each stream that does not exist; returns the names created. */
export async function ensureStreams(jsm: JetStreamManager): Promise<StreamName[]> {
  const created: StreamName[] = [];
  for (const name of STREAM_NAMES) {
    const definition = STREAMS[name];
    if (await streamExists(jsm, definition.name)) continue;
    try {
      await jsm.streams.add(streamConfig(name));
      created.push(name);
    } catch (error) {
      // an adapter created it between our look and our add: fine as long as it exists now
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

/** JetStream answers API error code 10059 for an unknown stream. */
function isStreamNotFound(error: unknown): boolean {
  const apiError = error as { code?: unknown; apiError?: () => { err_code?: number } } | undefined;
  if (apiError?.apiError?.().err_code === 10059) return true;
  return error instanceof Error && error.name === 'StreamNotFoundError';
}
