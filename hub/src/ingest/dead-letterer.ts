/**
 * Sends a refused message to `ledger.dlq.<region>.<dept>` exactly as it was received, with headers saying
 * why (protocol's DLQ_HEADERS: reason, code, original subject) and where it came from (origin, source,
 * stream sequence, message id). The DLQ stream de-duplicates by the original stream sequence, so a crash
 * between dead-lettering and `term` does not dead-letter it twice. The dead-letter mirror copies every DLQ message into the store.
 */
import { DLQ_HEADERS } from '@approval-ledger/protocol';
import { type Bus } from '../bus/nats-bus';
import { type HubMetrics } from '../metrics/hub-metrics';

export interface DeadLetterInput {
  /** The subject the message was published on. */
  readonly subject: string;
  readonly data: Uint8Array;
  readonly streamSeq: number;
  readonly msgId: string | undefined;
  readonly code: string;
  readonly reason: string;
  readonly region: string | undefined;
  readonly dept: string | undefined;
  readonly sourceKey: string | undefined;
}

export class DeadLetterer {
  constructor(
    private readonly bus: Bus,
    private readonly metrics: HubMetrics,
  ) {}

  async send(letter: DeadLetterInput): Promise<void> {
    const headers: Record<string, string> = {
      [DLQ_HEADERS.reason]: oneLine(letter.reason),
      [DLQ_HEADERS.code]: letter.code,
      [DLQ_HEADERS.subject]: letter.subject,
      [DLQ_HEADERS.origin]: 'hub',
      [DLQ_HEADERS.streamSeq]: String(letter.streamSeq),
    };
    if (letter.sourceKey !== undefined) headers[DLQ_HEADERS.source] = letter.sourceKey;
    if (letter.msgId !== undefined) headers[DLQ_HEADERS.msgId] = letter.msgId;
    await this.bus.publish(dlqSubjectOf(letter.region, letter.dept), letter.data, {
      msgId: `hub:legacy:${letter.streamSeq}:${letter.code}`,
      headers,
    });
    this.metrics.deadLetters.inc({ code: letter.code });
  }
}

/** `ledger.dlq.<region>.<dept>`, with `unknown` for a part that could not be read. */
export function dlqSubjectOf(region: string | undefined, dept: string | undefined): string {
  const token = (t: string | undefined): string =>
    t !== undefined && /^[A-Za-z0-9_-]+$/.test(t) ? t : 'unknown';
  return `ledger.dlq.${token(region)}.${token(dept)}`;
}

function oneLine(text: string, max = 2000): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
