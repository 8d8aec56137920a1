/** Reads what the adapters wrote to JetStream, for assertions. */
import { jetstreamManager, type StoredMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Envelope } from '@approval-ledger/protocol';

export interface StoredEnvelope {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string | undefined;
  readonly envelope: Envelope;
}

export interface StoredDeadLetter {
  readonly seq: number;
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export async function connectTest(url: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
    waitOnFirstConnect: true,
  });
}

/** Every message of a stream (small test streams only). */
export async function storedMessages(nc: NatsConnection, stream: string): Promise<StoredMsg[]> {
  const jsm = await jetstreamManager(nc);
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch {
    return [];
  }
  const out: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m) out.push(m);
  }
  return out;
}

/** Envelopes in LEGACY from one source system. */
export async function envelopesFrom(nc: NatsConnection, system: string): Promise<StoredEnvelope[]> {
  const messages = await storedMessages(nc, 'LEGACY');
  return messages
    .map((m) => ({
      seq: m.seq,
      subject: m.subject,
      msgId: m.header?.get('Nats-Msg-Id'),
      envelope: m.json<Envelope>(),
    }))
    .filter((e) => e.envelope.source.system === system);
}

/** Dead letters from one adapter origin whose source starts with `sourcePrefix`. */
export async function deadLettersFrom(nc: NatsConnection, sourcePrefix: string): Promise<StoredDeadLetter[]> {
  const messages = await storedMessages(nc, 'DLQ');
  return messages
    .map((m) => ({
      seq: m.seq,
      subject: m.subject,
      headers: Object.fromEntries([...(m.header?.keys() ?? [])].map((k) => [k, m.header?.get(k) ?? ''])),
      body: Buffer.from(m.data),
    }))
    .filter((d) => (d.headers['Ledger-Dlq-Source'] ?? '').startsWith(sourcePrefix));
}

/** Polls `probe` until it returns a value that `done` accepts; a probe that throws (server restarting) is retried. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 600)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
