/**
 * Dead letters for operators (API) and `ledger dlq` (CLI): list, show, and replay. A replay publishes the
 * message unchanged on its original `legacy.*` subject under a fresh `Nats-Msg-Id` (`replay:<seq>:<n>`, so
 * JetStream's de-duplication does not drop it), where ingest validates and anchors it again; every replay is
 * recorded in the audit log.
 */
import { DLQ_HEADERS, REPLAY_MSG_ID_PREFIX } from '@approval-ledger/protocol';
import {
  type DeadLetter as DeadLetterView,
  type DeadLetterDetail,
  type ReplayResult,
} from '@approval-ledger/protocol/api';
import { BusUnavailableError } from '../bus/bus-unavailable.error';
import { type Bus } from '../bus/nats-bus';
import { type AuditActor, type DeadLetterQuery, type Store, type StoredDeadLetter } from '../store';

/** A dead letter as listed, and as shown with its headers and message: the API contract's shapes. */
export type { DeadLetter as DeadLetterView, DeadLetterDetail } from '@approval-ledger/protocol/api';

/** A dead letter cannot be replayed: it came from no `legacy.*` subject. */
export class NotReplayableError extends Error {
  override readonly name = 'NotReplayableError';

  constructor(
    readonly seq: number,
    readonly originSubject: string | null,
  ) {
    super(
      `dead letter ${seq} has no legacy.* origin subject (${originSubject ?? 'none'}); it cannot be replayed into ingest`,
    );
  }
}

export type { ReplayResult } from '@approval-ledger/protocol/api';

export class DeadLetterService {
  constructor(
    private readonly store: Store,
    private readonly bus: Bus | undefined,
  ) {}

  async list(query: DeadLetterQuery): Promise<DeadLetterView[]> {
    return (await this.store.deadLetters.list(query)).map(view);
  }

  async show(seq: number): Promise<DeadLetterDetail | undefined> {
    const letter = await this.store.deadLetters.findBySeq(seq);
    return letter && detail(letter);
  }

  /** Replays a dead letter into ingest; undefined when the sequence is unknown. */
  async replay(seq: number, actor: AuditActor, requestId: string | null): Promise<ReplayResult | undefined> {
    const letter = await this.store.deadLetters.findBySeq(seq);
    if (!letter) return undefined;
    const subject = letter.originSubject ?? letter.headers[DLQ_HEADERS.subject]?.[0] ?? null;
    const bus = this.#connectedBus(seq);
    if (subject === null || !subject.startsWith('legacy.')) throw new NotReplayableError(seq, subject);
    const msgId = `${REPLAY_MSG_ID_PREFIX}${seq}:${letter.replayCount + 1}`;
    const at = new Date();
    await bus.publish(subject, letter.payload, { msgId });
    const marked = await this.store.deadLetters.markReplayed(seq, at);
    await this.store.auditLog.append({
      at,
      actor,
      action: 'dlq.replay',
      resource: `dlq:${seq}`,
      outcome: 'success',
      requestId,
      details: { subject, msgId, code: letter.code, sourceKey: letter.sourceKey },
    });
    return { seq, subject, msgId, replayCount: marked?.replayCount ?? letter.replayCount + 1 };
  }

  /** The bus to replay on; refused at once while NATS is down (the request would wait 30 s for a PubAck). */
  #connectedBus(seq: number): Bus {
    if (!this.bus) throw new Error('replay needs a NATS connection');
    if (!this.bus.connected) {
      throw new BusUnavailableError(
        `NATS is unavailable (reconnecting): dead letter ${seq} was not replayed`,
      );
    }
    return this.bus;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function view(d: StoredDeadLetter): DeadLetterView {
  return {
    seq: d.streamSeq,
    subject: d.subject,
    originSubject: d.originSubject,
    code: d.code,
    reason: d.reason,
    sourceKey: d.sourceKey,
    receivedAt: d.receivedAt.toISOString(),
    replayedAt: d.replayedAt?.toISOString() ?? null,
    replayCount: d.replayCount,
  };
}

function detail(d: StoredDeadLetter): DeadLetterDetail {
  return { ...view(d), headers: d.headers as DeadLetterDetail['headers'], payload: payloadOf(d.payload) };
}

function payloadOf(bytes: Uint8Array): DeadLetterDetail['payload'] {
  try {
    return { encoding: 'utf8', data: utf8.decode(bytes), bytes: bytes.length };
  } catch {
    return { encoding: 'base64', data: Buffer.from(bytes).toString('base64'), bytes: bytes.length };
  }
}
