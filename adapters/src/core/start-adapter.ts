/**
 * The wiring every adapter shares, in one place: the core's runtime (NATS, health, metrics, journal) on the
 * LEGACY, DLQ and RECEIPTS streams, the receipts consumer, and, for a polling adapter, the polling loop over its
 * legacy client and checkpoint. An adapter's `main.ts` says only what is its own: its department, its client and
 * what it logs once it runs.
 */
import { type DepartmentCode, type Receipt } from '@approval-ledger/protocol';
import { type z } from 'zod';
import { type BaseConfig } from './adapter-config';
import { AdapterRuntime } from './adapter-runtime';
import { runPollingLoop, type PollingSource } from './polling-loop';
import { runReceiptConsumer } from './receipts-consumer';
import { runtimeOptions, type RunningAdapter, type StartOptions } from './running-adapter';

/** Who an adapter is to the core. */
export interface AdapterIdentity {
  readonly name: string;
  readonly dept: DepartmentCode;
  /** The legacy system's name of a record field (dead letters and logs name the field as the clerk knows it). */
  readonly legacyField: (path: string) => string | undefined;
}

/** Starts the core of an adapter: every adapter publishes to LEGACY, dead-letters to DLQ, reads RECEIPTS. */
export function startAdapterRuntime(
  config: BaseConfig,
  options: StartOptions,
  adapter: AdapterIdentity,
): Promise<AdapterRuntime> {
  return AdapterRuntime.start(
    runtimeOptions(config, options, { ...adapter, streams: ['LEGACY', 'DLQ', 'RECEIPTS'] }),
  );
}

/** A polling adapter's `<system>-client.ts`: a {@link PollingSource}, perhaps with a write-back and a connection. */
export interface LegacyClient<C> extends PollingSource<C> {
  /** Writes a receipt back into the legacy system (used where the config turns write-back on). */
  writeBack?(receipt: Receipt): Promise<'written' | 'ignored'>;
  /** Closes the connection to the legacy system, after the runtime stopped. */
  close?(): Promise<void>;
}

export interface PollingAdapter<C> extends AdapterIdentity {
  readonly checkpointSchema: z.ZodType<C>;
  client(runtime: AdapterRuntime): LegacyClient<C>;
  /** Receipts go back into the legacy system too (the client must have `writeBack`). */
  readonly writeBack?: boolean;
  /** What the adapter logs once it runs, e.g. `['watching', { inbox }]` (the health URL is added). */
  readonly started: readonly [message: string, fields: Record<string, unknown>];
}

/** Starts a polling adapter: runtime, polling loop from the saved checkpoint, receipts consumer. */
export async function startPollingAdapter<C>(
  config: BaseConfig & { readonly pollIntervalMs: number },
  options: StartOptions,
  adapter: PollingAdapter<C>,
): Promise<RunningAdapter> {
  const runtime = await startAdapterRuntime(config, options, adapter);
  const client = adapter.client(runtime);
  const checkpoints = runtime.checkpoints(adapter.checkpointSchema);
  runtime.run('poll', () =>
    runPollingLoop(runtime, client, checkpoints, {
      pollIntervalMs: config.pollIntervalMs,
      onBatch: options.onBatch,
    }),
  );
  const writeBack = adapter.writeBack === true ? client.writeBack?.bind(client) : undefined;
  runtime.run('receipts', () =>
    runReceiptConsumer(runtime, { sourceSystem: config.sourceSystem, writeBack }),
  );
  const [message, fields] = adapter.started;
  runtime.log.info(message, { ...fields, health: runtime.healthUrl });
  return {
    name: adapter.name,
    healthUrl: runtime.healthUrl,
    runtime,
    stop: async () => {
      await runtime.stop();
      await client.close?.();
    },
  };
}
