/**
 * Publishing, written once: every envelope of a legacy record goes to `legacy.<region>.<dept>.<kind>` with
 * `Nats-Msg-Id` = `natsMsgId(source)` and the JetStream PubAck awaited (retried with backoff while NATS is
 * down or the stream is missing); a record that cannot be mapped or validated goes to `ledger.dlq.<region>.<dept>`
 * with its raw payload unchanged and the DLQ headers, and the adapter moves on.
 */
import {
  EnvelopeSchema,
  canonicalize,
  dlqSubject,
  envelopeSubject,
  natsMsgId,
  sha256Hex,
  validate,
  type DepartmentCode,
  type Envelope,
  type RegionCode,
  DLQ_CODES,
  DLQ_HEADERS,
  type DlqCode,
} from '@approval-ledger/protocol';
import { type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { type AdapterHealth } from './adapter-health';
import { retrying, type BackoffPolicy } from './backoff';
import { formatReason, issuesFromValidation, oneLine, type Mapped, type MappingIssue } from './dead-letter';
import { type DeliveryJournal, type Resendable } from './delivery-journal';
import { errorMessage, type Logger } from './logger';
import { type AdapterMetrics } from './metrics';
import { isPayloadTooLarge, isTransientNatsError, meansStreamMissing } from './nats-errors';

/**
 * The most bytes of a rejected payload a dead letter carries (NATS' default `max_payload` is 1 MiB). Above it
 * the body is the first bytes, and headers give the whole payload's size and SHA-256.
 */
export const MAX_DEAD_LETTER_BYTES = 256 * 1024;

/** One record read from a legacy system, already run through the adapter's pure mapping. */
export interface LegacyRecord {
  /** Where it came from, for `Ledger-Dlq-Source`: `system:recordId:version`, or `file:line`. */
  readonly source: string;
  /** The raw legacy payload, dead-lettered unchanged. */
  readonly raw: Uint8Array;
  /** When the legacy system last changed it (epoch ms), if it says. */
  readonly changedAtMs?: number;
  readonly mapped: Mapped<Envelope>;
  /** Why a record that maps to no envelope needs none (for the `skipped` metric). */
  readonly skipReason?: string;
}

export type DeliveryOutcome = 'published' | 'duplicate' | 'dead-lettered' | 'skipped';

export interface DeadLetter {
  readonly raw: Uint8Array;
  readonly code: DlqCode;
  readonly reason: string;
  readonly source: string;
  /** The `legacy.*` subject the record would have gone to, when known. */
  readonly subject?: string;
}

export interface LedgerPublisherOptions {
  readonly adapter: string;
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
  readonly js: JetStreamClient;
  readonly publishTimeoutMs: number;
  readonly retry: BackoffPolicy;
  readonly signal: AbortSignal;
  readonly metrics: AdapterMetrics;
  readonly health: AdapterHealth;
  readonly log: Logger;
  /** Re-creates missing streams (called when a publish finds no stream). */
  readonly ensureStreams: () => Promise<void>;
  /** The legacy field an envelope path comes from (`record.holder.uscc` -> `TYSHXYDM`), for DLQ reasons. */
  readonly legacyField?: (path: string) => string | undefined;
  /** How many records are in flight at once in {@link LedgerPublisher.deliverAll}. */
  readonly concurrency?: number;
  /** Default {@link MAX_DEAD_LETTER_BYTES}. */
  readonly maxDeadLetterBytes?: number;
  /** Where every record read and every envelope acknowledged is written down (and re-sent from). */
  readonly journal?: DeliveryJournal;
}

export class LedgerPublisher {
  readonly #dlqSubject: string;

  constructor(private readonly options: LedgerPublisherOptions) {
    this.#dlqSubject = dlqSubject(options.region, options.dept);
  }

  /** Delivers every record; resolves when all are acknowledged (published, duplicate or dead-lettered). */
  async deliverAll(records: readonly LegacyRecord[]): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = new Array<DeliveryOutcome>(records.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < records.length) {
        const index = next++;
        outcomes[index] = await this.deliver(records[index] as LegacyRecord);
      }
    };
    const workers = Math.min(this.options.concurrency ?? 256, records.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return outcomes;
  }

  /**
   * Validates and publishes the record's envelopes in order, or dead-letters the record. Retries while NATS is
   * unavailable until `signal` (default: the adapter's shutdown) aborts.
   */
  async deliver(record: LegacyRecord, signal: AbortSignal = this.options.signal): Promise<DeliveryOutcome> {
    const outcome = await this.#deliver(record, signal);
    this.options.journal?.read(record.source, outcome);
    return outcome;
  }

  async #deliver(record: LegacyRecord, signal: AbortSignal): Promise<DeliveryOutcome> {
    this.options.health.legacySeen(record.changedAtMs);
    if (!record.mapped.ok) {
      return this.#reject(record, record.mapped.code, record.mapped.issues, undefined, signal);
    }
    const checked = this.#validateAll(record.mapped.envelopes);
    if (!checked.ok)
      return this.#reject(record, DLQ_CODES.VALIDATION_FAILED, checked.issues, checked.subject, signal);
    if (checked.envelopes.length === 0) {
      this.options.metrics.skipped.inc({ reason: record.skipReason ?? 'nothing-to-anchor' });
      return 'skipped';
    }
    let outcome: DeliveryOutcome = 'duplicate';
    for (const envelope of checked.envelopes) {
      const ack = await this.#publishOrRefuse(record, envelope, signal);
      if (ack === undefined) return 'dead-lettered';
      if (!ack.duplicate) outcome = 'published';
    }
    return outcome;
  }

  /** Publishes one validated envelope and waits for its PubAck, retrying while NATS is unavailable. */
  async publishEnvelope(envelope: Envelope, signal: AbortSignal = this.options.signal): Promise<PubAck> {
    const subject = envelopeSubject(envelope);
    const text = canonicalize(envelope);
    const msgId = natsMsgId(envelope.source);
    const ack = await this.#publishText(subject, text, msgId, signal);
    if (ack.duplicate) this.options.metrics.duplicates.inc();
    else this.options.metrics.published.inc({ kind: envelope.kind });
    this.options.health.succeeded();
    return ack;
  }

  /**
   * Publishes an envelope the journal holds as acknowledged but never receipted, with its own `Nats-Msg-Id`:
   * JetStream drops it if it still has it; if it lost it, the hub gets it again.
   */
  async resend(item: Resendable, signal: AbortSignal = this.options.signal): Promise<PubAck> {
    const ack = await this.#publishText(item.subject, item.payload, item.msgId, signal);
    this.options.metrics.resent.inc({ outcome: ack.duplicate ? 'duplicate' : 'stored' });
    return ack;
  }

  async #publishText(subject: string, text: string, msgId: string, signal: AbortSignal): Promise<PubAck> {
    const payload = new TextEncoder().encode(text);
    const ack = await this.#withRetry('publish', signal, () =>
      this.options.js.publish(subject, payload, { msgID: msgId, timeout: this.options.publishTimeoutMs }),
    );
    this.options.journal?.sent(msgId, subject, text);
    return ack;
  }

  /**
   * Sends the raw payload to `ledger.dlq.<region>.<dept>` with the DLQ headers; waits for the PubAck. A payload
   * above `maxDeadLetterBytes` is cut to its first bytes, and `Ledger-Dlq-Truncated`, `-Payload-Bytes` and
   * `-Payload-Sha256` say so; should the server still refuse the size (a `max_payload` below the cap), the
   * letter goes with an empty body and the same headers rather than not at all.
   */
  async deadLetter(letter: DeadLetter, signal: AbortSignal = this.options.signal): Promise<void> {
    const digest = sha256Hex(letter.raw);
    // the same rejection seen again (a re-read after a crash) is de-duplicated like any publish
    const msgID = `dlq:${this.options.adapter}:${sha256Hex(`${letter.code}\n${letter.source}\n`).slice(0, 16)}:${digest.slice(0, 32)}`;
    const send = (keep: number): Promise<PubAck> => {
      const { body, headers: h } = this.#deadLetterMessage(letter, digest, keep);
      return this.#withRetry('dead-letter', signal, () =>
        this.options.js.publish(this.#dlqSubject, body, {
          msgID,
          headers: h,
          timeout: this.options.publishTimeoutMs,
        }),
      );
    };
    const cap = this.options.maxDeadLetterBytes ?? MAX_DEAD_LETTER_BYTES;
    await send(cap).catch((error: unknown) => {
      if (!isPayloadTooLarge(error)) throw error;
      return send(0);
    });
    this.options.metrics.deadLettered.inc({ code: letter.code });
    this.options.health.succeeded();
    this.options.log.warn('dead-lettered', {
      source: letter.source,
      code: letter.code,
      reason: letter.reason,
      ...(letter.raw.length > cap ? { bytes: letter.raw.length, sha256: digest } : {}),
    });
  }

  #deadLetterMessage(
    letter: DeadLetter,
    digest: string,
    keep: number,
  ): { body: Uint8Array; headers: ReturnType<typeof headers> } {
    const h = headers();
    h.set(DLQ_HEADERS.reason, oneLine(letter.reason));
    h.set(DLQ_HEADERS.code, letter.code);
    h.set(DLQ_HEADERS.origin, this.options.adapter);
    h.set(DLQ_HEADERS.source, oneLine(letter.source, 500));
    if (letter.subject !== undefined) h.set(DLQ_HEADERS.subject, letter.subject);
    if (letter.raw.length <= keep) return { body: letter.raw, headers: h };
    h.set(DLQ_HEADERS.truncated, `kept the first ${keep} of ${letter.raw.length} bytes`);
    h.set(DLQ_HEADERS.payloadBytes, String(letter.raw.length));
    h.set(DLQ_HEADERS.payloadSha256, digest);
    return { body: letter.raw.subarray(0, keep), headers: h };
  }

  async #reject(
    record: LegacyRecord,
    code: DlqCode,
    issues: readonly MappingIssue[],
    subject: string | undefined,
    signal: AbortSignal,
  ): Promise<DeliveryOutcome> {
    await this.deadLetter(
      { raw: record.raw, code, reason: formatReason(issues), source: record.source, subject },
      signal,
    );
    return 'dead-lettered';
  }

  #validateAll(
    drafts: readonly Envelope[],
  ):
    { ok: true; envelopes: Envelope[] } | { ok: false; issues: MappingIssue[]; subject: string | undefined } {
    const envelopes: Envelope[] = [];
    for (const draft of drafts) {
      const result = validate(EnvelopeSchema, draft);
      if (!result.ok) {
        const issues = issuesFromValidation(result.issues, this.options.legacyField ?? (() => undefined));
        return { ok: false, issues, subject: safeSubject(draft) };
      }
      envelopes.push(result.value);
    }
    return { ok: true, envelopes };
  }

  async #publishOrRefuse(
    record: LegacyRecord,
    envelope: Envelope,
    signal: AbortSignal,
  ): Promise<PubAck | undefined> {
    try {
      return await this.publishEnvelope(envelope, signal);
    } catch (error) {
      if (signal.aborted || isTransientNatsError(error)) throw error;
      const reason = isPayloadTooLarge(error)
        ? `the envelope is ${canonicalBytes(envelope)} bytes, more than NATS takes in one message: ${errorMessage(error)}`
        : `JetStream refused the envelope: ${errorMessage(error)}`;
      await this.deadLetter(
        {
          raw: record.raw,
          code: DLQ_CODES.PUBLISH_REFUSED,
          reason,
          source: record.source,
          subject: envelopeSubject(envelope),
        },
        signal,
      );
      return undefined;
    }
  }

  #withRetry<T>(operation: string, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    return retrying(attempt, {
      policy: this.options.retry,
      signal,
      retryable: isTransientNatsError,
      onRetry: async (error) => {
        this.options.metrics.retries.inc({ operation });
        this.options.health.failed(operation, error);
        if (meansStreamMissing(error)) await this.options.ensureStreams().catch(() => undefined);
      },
    });
  }
}

function canonicalBytes(envelope: Envelope): number {
  return Buffer.byteLength(canonicalize(envelope));
}

function safeSubject(draft: Envelope): string | undefined {
  const { region, dept, kind } = draft as Partial<Envelope>;
  const plain = [region, dept, kind].every((part) => typeof part === 'string' && /^[A-Za-z-]+$/.test(part));
  return plain && draft.region && draft.dept && draft.kind ? envelopeSubject(draft) : undefined;
}
