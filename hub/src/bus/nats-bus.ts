/**
 * The hub's NATS connection: JetStream publishing (with `Nats-Msg-Id` de-duplication), the streams, and
 * plain subscriptions for the live event feed. The only module besides the consumers that imports NATS.
 */
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  headers as natsHeaders,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { BusUnavailableError } from './bus-unavailable.error';
import { type OutgoingMessage, PipelinedPublisher } from './pipelined-publisher';

export { type OutgoingMessage } from './pipelined-publisher';
import { type StreamName } from '@approval-ledger/protocol';
import { ensureStreams } from '@approval-ledger/protocol/nats';

/** JetStream API and publish acknowledgements may take long on a busy server; the default is 5 s. */
export const JETSTREAM_TIMEOUT_MS = 30_000;

/** Runs a start-up step again (up to 5 times, 1 s apart) when the server does not answer in time. */
export async function withRetries<T>(what: string, step: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts || !isTimeout(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * nats.js creates a RequestError and a TimeoutError for every JetStream publish, in case the request fails;
 * capturing their stack traces was a fifth of ingest's CPU time. They are created synchronously when the
 * publish starts, so the stack-trace limit is lowered around that call only (a failure still says what failed).
 */
function withoutStackTraces<T>(start: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.message === 'timeout');
}

export interface PublishOptions {
  /** `Nats-Msg-Id`: JetStream drops a second message with the same id within the stream's window. */
  readonly msgId?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How long to wait for the PubAck (default JETSTREAM_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

export interface PublishResult {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

/** What the hub's services need from the bus (a port: tests drive the real implementation). */
export interface Bus {
  /**
   * False while the connection is down (the client reconnects meanwhile): work a caller waits on (an HTTP
   * request) is refused at once with a BusUnavailableError instead of waiting for the PubAck timeout.
   */
  readonly connected: boolean;
  publish(subject: string, data: Uint8Array | string, options?: PublishOptions): Promise<PublishResult>;
  /**
   * Publishes every message at once (pipelined: no wait for one PubAck before the next) and resolves with
   * their PubAcks in order once all came; rejects when one is refused or missing after `timeoutMs`.
   */
  publishMany(
    messages: readonly OutgoingMessage[],
    options?: { readonly timeoutMs?: number },
  ): Promise<PublishResult[]>;
  /** A plain (non-JetStream) subscription; returns a function that ends it. */
  subscribe(subject: string, onMessage: (subject: string, data: Uint8Array) => void): () => void;
  /** Resolves when the server answers. */
  ping(): Promise<void>;
}

export class NatsBus implements Bus {
  readonly js: JetStreamClient;
  #subscriptions = new Set<Subscription>();
  #disconnected = false;
  readonly #pipelined: PipelinedPublisher;

  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
  ) {
    this.js = jetstream(nc, { timeout: JETSTREAM_TIMEOUT_MS });
    this.#pipelined = new PipelinedPublisher(nc);
    void this.#watchStatus();
  }

  get connected(): boolean {
    return !this.#disconnected && !this.nc.isClosed();
  }

  /** Throws a BusUnavailableError naming `what` while the connection is down. */
  assertConnected(what: string): void {
    if (!this.connected) {
      throw new BusUnavailableError(
        `NATS is unavailable (${this.nc.isClosed() ? 'connection closed' : 'reconnecting'}): cannot ${what} now`,
      );
    }
  }

  async #watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') this.#disconnected = true;
      else if (status.type === 'reconnect') this.#disconnected = false;
    }
  }

  static async connect(url: string, name = 'approval-ledger-hub'): Promise<NatsBus> {
    const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    return new NatsBus(
      nc,
      await withRetries('JetStream', () => jetstreamManager(nc, { timeout: JETSTREAM_TIMEOUT_MS })),
    );
  }

  /** Creates the streams that are missing. */
  ensureStreams(): Promise<StreamName[]> {
    return withRetries('creating the streams', () => ensureStreams(this.jsm));
  }

  async publish(
    subject: string,
    data: Uint8Array | string,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    const h = natsHeaders();
    for (const [key, value] of Object.entries(options.headers ?? {})) h.set(key, value);
    const ack = await withoutStackTraces(() =>
      this.js.publish(subject, data, {
        ...(options.msgId === undefined ? {} : { msgID: options.msgId }),
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        headers: h,
      }),
    );
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  publishMany(
    messages: readonly OutgoingMessage[],
    options: { readonly timeoutMs?: number } = {},
  ): Promise<PublishResult[]> {
    return this.#pipelined.publish(messages, options.timeoutMs ?? JETSTREAM_TIMEOUT_MS);
  }

  subscribe(subject: string, onMessage: (subject: string, data: Uint8Array) => void): () => void {
    const subscription = this.nc.subscribe(subject, {
      callback: (_error, msg) => onMessage(msg.subject, msg.data),
    });
    this.#subscriptions.add(subscription);
    return () => {
      this.#subscriptions.delete(subscription);
      subscription.unsubscribe();
    };
  }

  async ping(): Promise<void> {
    this.assertConnected('answer a ping');
    await this.nc.flush();
  }

  /** Drains subscriptions and closes the connection. */
  async close(): Promise<void> {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions.clear();
    this.#pipelined.close();
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}
