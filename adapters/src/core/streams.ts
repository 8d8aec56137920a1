/** The streams the adapters need, created from protocol's definitions when absent and never altered. */
import { type JetStreamManager } from '@nats-io/jetstream';
import { STREAMS, streamConfig, type StreamName } from '@approval-ledger/protocol';

export { type StreamName } from '@approval-ledger/protocol';

/**
 * Creates each named stream that does not exist yet, exactly as protocol's STREAMS define it (subjects, file
 * storage, de-duplication window: the same as the hub's); an existing stream is left exactly as it is.
 */
export async function ensureStreams(jsm: JetStreamManager, names: readonly StreamName[]): Promise<void> {
  for (const name of names) {
    const definition = STREAMS[name];
    if (await streamExists(jsm, definition.name)) continue;
    try {
      await jsm.streams.add(streamConfig(name));
    } catch (error) {
      // another adapter or the hub created it between our look and our add: fine, as long as it is there now
      if (!(await streamExists(jsm, definition.name))) throw error;
    }
  }
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

function isStreamNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'StreamNotFoundError' || error.message === 'stream not found') return true;
  return (error as Error & { code?: number }).code === 10059;
}
