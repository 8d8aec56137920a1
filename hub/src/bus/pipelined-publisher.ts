/**
 * JetStream publishes sent all at once, their PubAcks collected on one subscription. A JetStream publish is a
 * core publish with a reply subject; the stream answers on it once the message is stored. nats.js's
 * `js.publish()` makes each one a request of its own: a reply subscription entry, a timer, an Error captured
 * for its stack, a promise. Here a batch of publishes (a batch's receipts) shares one wildcard inbox
 * subscription, one timer and one promise: each message is one core publish with the reply
 * `<inbox>.<token>`, and the batch resolves, in order, when every PubAck has come (or rejects at the first
 * refusal, or when the timer fires). The guarantee is the one of `js.publish()`: resolved means stored (or
 * already stored under the same `Nats-Msg-Id`, `duplicate`).
 */
import {
  createInbox,
  headers as natsHeaders,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { PubAckTimeoutError, PublishRefusedError } from './publish-refused.error';

export interface OutgoingMessage {
  readonly subject: string;
  readonly data: Uint8Array | string;
  /** `Nats-Msg-Id`: JetStream drops a second message with the same id within the stream's window. */
  readonly msgId?: string;
}

export interface PubAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

interface Batch {
  readonly subjects: readonly string[];
  readonly results: PubAck[];
  readonly tokens: number[];
  left: number;
  timer: NodeJS.Timeout | undefined;
  readonly resolve: (acks: PubAck[]) => void;
  readonly reject: (error: Error) => void;
}

const MSG_ID = 'Nats-Msg-Id';

export class PipelinedPublisher {
  readonly #prefix = createInbox();
  readonly #waiting = new Map<number, { batch: Batch; index: number }>();
  #subscription: Subscription | undefined;
  #next = 0;

  constructor(private readonly nc: NatsConnection) {}

  /** Publishes every message now; resolves with their PubAcks in order. */
  publish(messages: readonly OutgoingMessage[], timeoutMs: number): Promise<PubAck[]> {
    if (messages.length === 0) return Promise.resolve([]);
    this.#subscription ??= this.nc.subscribe(`${this.#prefix}.*`, {
      callback: (error, msg) => {
        if (!error) this.#answered(msg);
      },
    });
    return new Promise<PubAck[]>((resolve, reject) => {
      const batch: Batch = {
        subjects: messages.map((m) => m.subject),
        results: new Array<PubAck>(messages.length),
        tokens: [],
        left: messages.length,
        timer: undefined,
        resolve,
        reject,
      };
      batch.timer = setTimeout(
        () => this.#fail(batch, new PubAckTimeoutError(batch.left, timeoutMs)),
        timeoutMs,
      );
      try {
        messages.forEach((m, index) => {
          const token = this.#next++;
          this.#waiting.set(token, { batch, index });
          batch.tokens.push(token);
          const h = natsHeaders();
          if (m.msgId !== undefined) h.set(MSG_ID, m.msgId);
          this.nc.publish(m.subject, m.data, { reply: `${this.#prefix}.${token}`, headers: h });
        });
      } catch (error) {
        // the connection is closed or draining: nothing more is sent; what was sent may still be stored
        this.#fail(batch, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Fails every batch still waiting and ends the subscription. */
  close(): void {
    for (const { batch } of [...this.#waiting.values()])
      this.#fail(batch, new Error('the publisher was closed'));
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  #answered(msg: Msg): void {
    const token = Number(msg.subject.slice(this.#prefix.length + 1));
    const waiting = this.#waiting.get(token);
    if (!waiting) return; // its batch already failed (timeout or refusal)
    this.#waiting.delete(token);
    const { batch, index } = waiting;
    const ack = pubAckOf(msg, batch.subjects[index] as string);
    if (ack instanceof Error) {
      this.#fail(batch, ack);
      return;
    }
    batch.results[index] = ack;
    if (--batch.left === 0) {
      clearTimeout(batch.timer);
      batch.resolve(batch.results);
    }
  }

  #fail(batch: Batch, error: Error): void {
    clearTimeout(batch.timer);
    for (const token of batch.tokens) this.#waiting.delete(token);
    batch.reject(error);
  }
}

interface PubAckJson {
  readonly stream?: unknown;
  readonly seq?: unknown;
  readonly duplicate?: unknown;
  readonly error?: { readonly code?: number; readonly description?: string };
}

/** A PubAck, or the refusal: a status message (503: no stream takes the subject) or a JSON API error. */
function pubAckOf(msg: Msg, subject: string): PubAck | PublishRefusedError {
  if (msg.data.length === 0 || (msg.headers?.code ?? 0) >= 300) return statusRefusal(subject, msg);
  const answer = msg.json<PubAckJson>();
  const { stream, seq } = answer;
  if (answer.error || typeof stream !== 'string' || typeof seq !== 'number')
    return apiRefusal(subject, answer);
  return { stream, seq, duplicate: answer.duplicate === true };
}

function statusRefusal(subject: string, msg: Msg): PublishRefusedError {
  return new PublishRefusedError(
    subject,
    msg.headers?.code || 503,
    msg.headers?.description || 'no responders',
  );
}

function apiRefusal(subject: string, answer: PubAckJson): PublishRefusedError {
  const { code = 500, description = 'the PubAck is malformed' } = answer.error ?? {};
  return new PublishRefusedError(subject, code, description);
}
