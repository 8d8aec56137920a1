/**
 * From the bytes of a `legacy.*` message to a validated protocol envelope, or the reason it is refused: not
 * JSON, a broken schema rule (the first rule is the DLQ code, every issue is in the reason), a string that
 * cannot be canonicalized (a lone surrogate written as `\ud800`: `json.i-json`), published on a
 * subject that is not the envelope's, or under a `Nats-Msg-Id` that is not its source key. Pure.
 */
import {
  DepartmentSchema,
  EnvelopeKindSchema,
  EnvelopeSchema,
  I_JSON_RULE,
  iJsonIssue,
  MSG_ID_HEADER,
  REPLAY_MSG_ID_PREFIX,
  RegionSchema,
  SourceRefSchema,
  envelopeSubject,
  formatIssue,
  natsMsgId,
  recordIdOf,
  validate,
  type DepartmentCode,
  type Envelope,
  type EnvelopeKind,
  type RegionCode,
  type SourceRef,
  type ValidationIssue,
} from '@approval-ledger/protocol';

/** What can be told about a message even when it is refused (for its dead letter and receipt). */
export interface MessageOrigin {
  readonly region?: RegionCode;
  readonly dept?: DepartmentCode;
  readonly kind?: EnvelopeKind;
  readonly source?: SourceRef;
}

export type Decoded =
  | { readonly ok: true; readonly envelope: Envelope }
  | {
      readonly ok: false;
      /** Stable: `message.json`, `envelope.subject`, `envelope.msgId` or the first broken schema rule. */
      readonly code: string;
      readonly reason: string;
      readonly issues: readonly ValidationIssue[];
      readonly origin: MessageOrigin;
    };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeEnvelope(subject: string, data: Uint8Array, msgId: string | undefined): Decoded {
  const json = parseJson(data);
  if (!json.ok)
    return refused(
      'message.json',
      `the message is not UTF-8 JSON: ${json.error}`,
      [],
      originOf(subject, undefined),
    );
  const result = validate(EnvelopeSchema, json.value);
  if (!result.ok) {
    const first = result.issues[0];
    const reason = result.issues.map(formatIssue).join('; ');
    return refused(first?.rule ?? 'envelope.schema', reason, result.issues, originOf(subject, json.value));
  }
  const envelope = result.value;
  // JSON text that decoded as UTF-8 can only carry a lone surrogate as a \u escape: check only then
  const unsafe = json.escapes ? iJsonIssue(envelope) : undefined;
  if (unsafe) {
    return refused(I_JSON_RULE, formatIssue(unsafe), [unsafe], originOf(subject, envelope));
  }
  return misplaced(subject, envelope, msgId) ?? { ok: true, envelope };
}

/** Refused when published on a subject that is not the envelope's, or under a foreign `Nats-Msg-Id`. */
function misplaced(subject: string, envelope: Envelope, msgId: string | undefined): Decoded | undefined {
  const expected = envelopeSubject(envelope);
  if (subject !== expected) {
    return refused(
      'envelope.subject',
      `published on ${subject}, but the envelope belongs on ${expected}`,
      [],
      originOf(subject, envelope),
    );
  }
  if (
    msgId !== undefined &&
    !msgId.startsWith(REPLAY_MSG_ID_PREFIX) &&
    msgId !== natsMsgId(envelope.source)
  ) {
    return refused(
      'envelope.msgId',
      `${MSG_ID_HEADER} ${JSON.stringify(msgId)} is not the envelope's source key ${natsMsgId(envelope.source)}`,
      [],
      originOf(subject, envelope),
    );
  }
  return undefined;
}

/** The source key (`system:recordId:version`) of an origin, when its source was readable. */
export function sourceKeyOf(origin: MessageOrigin): string | undefined {
  return origin.source ? recordIdOf(origin.source) : undefined;
}

function refused(
  code: string,
  reason: string,
  issues: readonly ValidationIssue[],
  origin: MessageOrigin,
): Decoded {
  return { ok: false, code, reason: oneLine(reason), issues, origin };
}

function parseJson(
  data: Uint8Array,
): { ok: true; value: unknown; escapes: boolean } | { ok: false; error: string } {
  try {
    const text = decoder.decode(data);
    return { ok: true, value: JSON.parse(text) as unknown, escapes: text.includes('\\u') };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Region, department and kind from the message (when valid) or its subject, and the source if readable. */
function originOf(subject: string, value: unknown): MessageOrigin {
  const [prefix, region, dept, kind] = subject.split('.');
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fromSubject = prefix === 'legacy';
  return {
    ...pick('region', RegionSchema.safeParse(body.region ?? (fromSubject ? region : undefined))),
    ...pick('dept', DepartmentSchema.safeParse(body.dept ?? (fromSubject ? dept : undefined))),
    ...pick('kind', EnvelopeKindSchema.safeParse(body.kind ?? (fromSubject ? kind : undefined))),
    ...pick('source', SourceRefSchema.safeParse(body.source)),
  };
}

function pick<K extends string, V>(key: K, parsed: { success: boolean; data?: V }): Partial<Record<K, V>> {
  return parsed.success ? ({ [key]: parsed.data } as Record<K, V>) : {};
}

function oneLine(text: string, max = 2000): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
