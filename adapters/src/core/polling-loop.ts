/**
 * The loop every polling adapter runs: read the next batch after the checkpoint, deliver it (each record
 * acknowledged by JetStream or dead-lettered), then, and only then, save the new checkpoint. Any failure
 * (legacy system down, NATS down) is retried with capped exponential backoff and full jitter from the same
 * checkpoint, so nothing is skipped; what was already published is de-duplicated by `Nats-Msg-Id`.
 */
import { isDeepStrictEqual } from 'node:util';
import { type AdapterRuntime } from './adapter-runtime';
import { backoffDelay, retrying, sleep } from './backoff';
import { type CheckpointStore } from './checkpoint-store';
import { type DeliveryOutcome, type LegacyRecord } from './ledger-publisher';
import { errorMessage } from './logger';

/** A legacy system read in batches from a checkpoint (the `<system>-client.ts` of a polling adapter). */
export interface PollingSource<C> {
  /** The records after `checkpoint` (undefined: from the beginning), at most one batch of them. */
  next(checkpoint: C | undefined, signal: AbortSignal): Promise<SourceBatch<C>>;
  /** How many records (or files) wait in the legacy system after `checkpoint`, if it can tell cheaply. */
  backlog?(checkpoint: C | undefined): Promise<number | undefined>;
}

export interface SourceBatch<C> {
  readonly records: readonly LegacyRecord[];
  /** The checkpoint once every record of this batch is acknowledged. */
  readonly checkpoint: C | undefined;
  /** More is waiting right now: poll again without sleeping. */
  readonly more: boolean;
  /** Called after the checkpoint is saved (e.g. to archive a finished file). */
  readonly committed?: () => Promise<void>;
  /** A problem with the legacy system's answer (dead-lettered, cannot move on): shown on `/healthz`. */
  readonly problem?: Error;
}

export interface PollingLoopOptions {
  readonly pollIntervalMs: number;
  /** Called after each committed batch (tests and the benchmark watch progress with it). */
  readonly onBatch?: (outcomes: readonly DeliveryOutcome[]) => void;
}

export async function runPollingLoop<C>(
  runtime: AdapterRuntime,
  source: PollingSource<C>,
  store: CheckpointStore<C>,
  options: PollingLoopOptions,
): Promise<void> {
  const { signal, health, metrics, log } = runtime;
  const policy = runtime.options.retry;
  const checkpoint: C | undefined = await retrying(() => store.load(), {
    policy,
    signal,
    onRetry: (error) => health.failed('checkpoint-load', error),
  });
  const state = { checkpoint };
  health.backlogProbe = () => source.backlog?.(state.checkpoint) ?? Promise.resolve(undefined);
  log.info('polling', {
    from: checkpoint === undefined ? 'the beginning' : JSON.stringify(checkpoint).slice(0, 200),
  });
  let failures = 0;
  while (!signal.aborted) {
    try {
      const more = await pollOnce(runtime, source, store, state, options);
      failures = 0;
      health.batchDone();
      if (!more) await sleep(options.pollIntervalMs, signal);
    } catch (error) {
      if (signal.aborted) break;
      metrics.retries.inc({ operation: 'poll' });
      health.batchFailed('poll', error);
      const delay = backoffDelay(failures++, policy);
      log.warn('poll failed; retrying', { error: errorMessage(error), inMs: delay });
      await sleep(delay, signal).catch(() => undefined);
    }
  }
}

/** One batch: read, deliver, checkpoint, commit. Whether more is waiting. */
async function pollOnce<C>(
  runtime: AdapterRuntime,
  source: PollingSource<C>,
  store: CheckpointStore<C>,
  state: { checkpoint: C | undefined },
  options: PollingLoopOptions,
): Promise<boolean> {
  const { health } = runtime;
  const batch = await source.next(state.checkpoint, runtime.signal);
  health.legacyContact(!batch.more);
  const outcomes = await runtime.publisher.deliverAll(batch.records);
  if (batch.checkpoint !== undefined && !isDeepStrictEqual(batch.checkpoint, state.checkpoint)) {
    await saveCheckpoint(runtime, store, batch.checkpoint);
    state.checkpoint = batch.checkpoint;
  }
  await batch.committed?.();
  if (batch.problem === undefined) health.succeeded();
  else health.failed('legacy-answer', batch.problem);
  options.onBatch?.(outcomes);
  return batch.more;
}

function saveCheckpoint<C>(runtime: AdapterRuntime, store: CheckpointStore<C>, checkpoint: C): Promise<void> {
  return retrying(() => store.save(checkpoint), {
    policy: runtime.options.retry,
    signal: runtime.signal,
    onRetry: (error) => {
      runtime.metrics.retries.inc({ operation: 'checkpoint' });
      runtime.health.failed('checkpoint', error);
    },
  });
}
