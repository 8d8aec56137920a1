/** The streams the adapters need, created from protocol's definitions when absent and never altered. */
import { StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS } from '@approval-ledger/protocol';

export type StreamName = keyof typeof STREAMS;

/**
 * De-duplication windows, the same as the hub's (hub/src/bus/jetstream-streams.ts), so that a stream behaves
 * the same whoever creates it first: LEGACY keeps adapter re-publishes out for 15 minutes. They belong in
 * protocol's STREAMS; until they are there, this mirrors the hub's table.
 */
export const DUPLICATE_WINDOW_MS: Readonly<Record<StreamName, number>> = {
  LEGACY: 15 * 60_000,
  RECEIPTS: 10 * 60_000,
  RECOGNITIONS: 10 * 60_000,
  DLQ: 10 * 60_000,
};

/** Creates each named stream that does not exist yet; an existing stream is left exactly as it is. */
export async function ensureStreams(jsm: JetStreamManager, names: readonly StreamName[]): Promise<void> {
  for (const name of names) {
    const definition = STREAMS[name];
    if (await streamExists(jsm, definition.name)) continue;
    try {
      await jsm.streams.add({
        name: definition.name,
        subjects: [...definition.subjects],
        storage: StorageType.File,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS[name]),
      });
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
