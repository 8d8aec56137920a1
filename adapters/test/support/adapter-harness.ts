/**
 * What every adapter's integration suite sets up the same way, inside its `describe()`: a real nats-server
 * (testkit), a test connection to it, a fresh source system and checkpoint key per test, the config fields every
 * test adapter shares, and the adapters a test starts, stopped after it (before the suite's own `afterEach`
 * hooks, so that a simulator outlives its adapter).
 */
import { ADAPTER_CHECKPOINT_BUCKET } from '@approval-ledger/protocol';
import { useNatsServer } from '@approval-ledger/testkit';
import { Kvm } from '@nats-io/kv';
import { type NatsConnection } from '@nats-io/transport-node';
import { type RunningAdapter } from '../../src/core/running-adapter';
import { connectTest, envelopesFrom, waitFor, type StoredEnvelope } from './jetstream-reader';

export interface AdapterHarness {
  /** The suite's nats-server (kill it, restart it). */
  readonly nats: ReturnType<typeof useNatsServer>;
  /** The suite's test connection. */
  nc(): NatsConnection;
  /**
   * The next test's own source system (`<systemPrefix><n>`), checkpoint key (`<adapter>.test<n>`) and the config
   * fields every test adapter shares (a Beijing system, free health port, quick retries and polling).
   */
  next(): { readonly serial: number; readonly system: string; readonly base: Record<string, unknown> };
  /** Stops `adapter` after the test. */
  started<A extends RunningAdapter>(adapter: A): A;
  /** Stops the test's adapters now. */
  stopAdapters(): Promise<void>;
  /** Waits until `system` has published at least `atLeast` envelopes, and returns them. */
  readonly envelopes: (system: string, atLeast: number, timeoutMs?: number) => Promise<StoredEnvelope[]>;
  /** The checkpoint saved under `key`, if any. */
  checkpoint<C>(key: string): Promise<C | undefined>;
}

export function useAdapterHarness(adapter: string, systemPrefix: string): AdapterHarness {
  const nats = useNatsServer();
  let nc: NatsConnection | undefined;
  let serial = 0;
  const running: RunningAdapter[] = [];
  before(async () => {
    nc = await connectTest(nats().url);
  });
  after(async () => {
    await nc?.close();
  });
  const stopAdapters = async (): Promise<void> => {
    await Promise.all(running.splice(0).map((a) => a.stop()));
  };
  afterEach(stopAdapters);
  const connection = (): NatsConnection => {
    if (nc === undefined) throw new Error('the test connection is opened in before()');
    return nc;
  };
  return {
    nats,
    nc: connection,
    next() {
      serial++;
      const system = `${systemPrefix}${serial}`;
      const base = {
        region: 'BJ',
        sourceSystem: system,
        health: { port: 0 },
        nats: { url: nats().url, publishTimeoutMs: 1_500 },
        retry: { initialMs: 50, maxMs: 400 },
        pollIntervalMs: 100,
        checkpointKey: `${adapter}.test${serial}`,
      };
      return { serial, system, base };
    },
    started(a) {
      running.push(a);
      return a;
    },
    stopAdapters,
    envelopes: (system, atLeast, timeoutMs) =>
      waitFor(
        () => envelopesFrom(connection(), system),
        (e) => e.length >= atLeast,
        `${atLeast} envelopes from ${system}`,
        timeoutMs,
      ),
    async checkpoint<C>(key: string) {
      const kv = await new Kvm(connection()).open(ADAPTER_CHECKPOINT_BUCKET);
      return (await kv.get(key))?.json<C>();
    },
  };
}
