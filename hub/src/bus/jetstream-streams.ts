/**
 * The hub's streams (protocol's STREAMS): created at start when absent, with file storage and a
 * de-duplication window; an existing stream (e.g. created by an adapter first) is left as it is.
 */
import { type JetStreamManager, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS } from '@approval-ledger/protocol';

export type StreamName = keyof typeof STREAMS;

/** De-duplication windows by stream: LEGACY keeps adapter re-publishes out for 15 minutes. */
export const DUPLICATE_WINDOW_MS: Readonly<Record<StreamName, number>> = {
  LEGACY: 15 * 60_000,
  RECEIPTS: 10 * 60_000,
  RECOGNITIONS: 10 * 60_000,
  DLQ: 10 * 60_000,
};

/** Creates each stream that does not exist; returns the names created. */
export async function ensureStreams(jsm: JetStreamManager): Promise<StreamName[]> {
  const created: StreamName[] = [];
  for (const name of Object.keys(STREAMS) as StreamName[]) {
    const definition = STREAMS[name];
    if (await streamExists(jsm, definition.name)) continue;
    try {
      await jsm.streams.add({
        name: definition.name,
        subjects: [...definition.subjects],
        storage: StorageType.File,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS[name]),
      });
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
