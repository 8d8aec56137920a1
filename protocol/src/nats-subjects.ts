/** NATS JetStream subjects, streams and headers of the ingest pipeline (see INTERFACES.md). */
import { type DepartmentCode } from './registries/departments.js';
import { type RegionCode } from './registries/regions.js';
import { type Envelope, type EnvelopeKind } from './schemas/envelope.js';
import { recordIdOf, type SourceRef } from './schemas/fields.js';

/** The kind segment of a `legacy.*` subject; revocations travel on the certificate subject. */
export type LegacySubjectKind = 'milestone' | 'certificate' | 'credit';

/** How a stream keeps its messages (JetStream `storage`). */
export type StreamStorage = 'file' | 'memory';

/** One JetStream stream of the system: the one definition the hub and the adapters create it from. */
export interface StreamDefinition {
  readonly name: string;
  /** Subject filters (`legacy.>`). */
  readonly subjects: readonly string[];
  /** De-duplication window (JetStream `duplicate_window`) in milliseconds: a repeated `Nats-Msg-Id` inside it is dropped. */
  readonly duplicateWindowMs: number;
  readonly storage: StreamStorage;
}

/**
 * The four streams. LEGACY keeps adapter re-publishes (same `Nats-Msg-Id`) out for 15 minutes; the hub's own
 * streams for 10. Whoever creates a stream first (hub or adapter) creates it exactly like this.
 */
export const STREAMS = {
  LEGACY: { name: 'LEGACY', subjects: ['legacy.>'], duplicateWindowMs: 15 * 60_000, storage: 'file' },
  RECEIPTS: {
    name: 'RECEIPTS',
    subjects: ['ledger.receipt.>'],
    duplicateWindowMs: 10 * 60_000,
    storage: 'file',
  },
  RECOGNITIONS: {
    name: 'RECOGNITIONS',
    subjects: ['ledger.recognition.>'],
    duplicateWindowMs: 10 * 60_000,
    storage: 'file',
  },
  DLQ: { name: 'DLQ', subjects: ['ledger.dlq.>'], duplicateWindowMs: 10 * 60_000, storage: 'file' },
} as const satisfies Readonly<Record<string, StreamDefinition>>;

export type StreamName = keyof typeof STREAMS;

/** The names of {@link STREAMS}, in the order given there. */
export const STREAM_NAMES = Object.keys(STREAMS) as StreamName[];

/** The JetStream stream configuration of a stream (`jsm.streams.add(streamConfig('LEGACY'))`); windows in nanoseconds. */
export function streamConfig(name: StreamName): {
  name: string;
  subjects: string[];
  storage: StreamStorage;
  duplicate_window: number;
} {
  const stream: StreamDefinition = STREAMS[name];
  return {
    name: stream.name,
    subjects: [...stream.subjects],
    storage: stream.storage,
    duplicate_window: stream.duplicateWindowMs * 1_000_000,
  };
}

/** JetStream key-value bucket where adapters keep their checkpoints. */
export const ADAPTER_CHECKPOINT_BUCKET = 'adapter-checkpoints';

/** Headers on dead-lettered messages (the payload is the rejected message unchanged). */
export const DLQ_HEADERS = {
  /** Human-readable reason, naming the field and the rule broken. */
  reason: 'Ledger-Dlq-Reason',
  /** Stable code: one of {@link DLQ_CODES}, a ledger error code or a validation rule. */
  code: 'Ledger-Dlq-Code',
  /** The subject the message was originally published on (or would have been). */
  subject: 'Ledger-Dlq-Subject',
  /** Who dead-lettered it: `hub`, `ledger-import`, or the adapter's name (`hc-mysql`, `drc-csv`, ...). */
  origin: 'Ledger-Dlq-Origin',
  /** Where the record came from: `system:recordId:version`, or `file:line`. */
  source: 'Ledger-Dlq-Source',
  /** The message's sequence number in the stream it came from (set by the hub). */
  streamSeq: 'Ledger-Dlq-Stream-Seq',
  /** The `Nats-Msg-Id` it was published with (set by the hub). */
  msgId: 'Ledger-Dlq-Msg-Id',
  /** Set when the payload was cut to fit: `kept the first <n> of <size> bytes`. */
  truncated: 'Ledger-Dlq-Truncated',
  /** With `truncated`: the size in bytes of the whole rejected payload. */
  payloadBytes: 'Ledger-Dlq-Payload-Bytes',
  /** With `truncated`: SHA-256 (hex) of the whole rejected payload, to match it against the legacy system's copy. */
  payloadSha256: 'Ledger-Dlq-Payload-Sha256',
} as const;

/** Stable codes of `Ledger-Dlq-Code` for records refused before they reach the ledger. */
export const DLQ_CODES = {
  /** The bytes are not text in the legacy encoding (GBK / GB18030 / UTF-8), or not JSON / XML at all. */
  DECODING_FAILED: 'DECODING_FAILED',
  /** The XML carries a DOCTYPE or entity declaration; DTD processing is off, so it is refused unread. */
  UNSAFE_XML: 'UNSAFE_XML',
  /** A legacy value has no entry in the adapter's mapping table, or a required legacy field is missing. */
  MAPPING_FAILED: 'MAPPING_FAILED',
  /** The mapped record breaks a protocol rule (project code, credit code, timestamp, region, ...). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** A webhook delivery whose HMAC signature does not verify. */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** A webhook delivery whose timestamp is outside the staleness window. */
  STALE_DELIVERY: 'STALE_DELIVERY',
  /** A whole legacy file that cannot be read (md5 mismatch, unknown header); the file is quarantined. */
  CORRUPT_FILE: 'CORRUPT_FILE',
  /** JetStream refused the envelope for good (e.g. larger than the server's maximum payload). */
  PUBLISH_REFUSED: 'PUBLISH_REFUSED',
} as const;

export type DlqCode = (typeof DLQ_CODES)[keyof typeof DLQ_CODES];

/** The NATS header carrying the de-duplication id. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/**
 * A dead letter replayed onto `legacy.*` is re-published under `replay:<dlq seq>:<n>` instead of its source key,
 * so JetStream's de-duplication does not drop it; the hub's decoder accepts that id in place of the source key.
 */
export const REPLAY_MSG_ID_PREFIX = 'replay:';

export function subjectKindOf(kind: EnvelopeKind): LegacySubjectKind {
  return kind === 'certificate-revocation' ? 'certificate' : kind;
}

/** `legacy.<region>.<dept>.<kind>`. */
export function legacySubject(region: RegionCode, dept: DepartmentCode, kind: EnvelopeKind): string {
  return `legacy.${region}.${dept}.${subjectKindOf(kind)}`;
}

/** The subject an envelope is published on, e.g. `legacy.BJ.HC.certificate`. */
export function envelopeSubject(env: Pick<Envelope, 'region' | 'dept' | 'kind'>): string {
  return legacySubject(env.region, env.dept, env.kind);
}

/** The `Nats-Msg-Id` of an envelope: `system:recordId:version` of its source. */
export function natsMsgId(source: SourceRef): string {
  return recordIdOf(source);
}

/** `ledger.receipt.<region>.<dept>`. */
export function receiptSubject(region: RegionCode, dept: DepartmentCode): string {
  return `ledger.receipt.${region}.${dept}`;
}

/** `ledger.dlq.<region>.<dept>`. */
export function dlqSubject(region: RegionCode, dept: DepartmentCode): string {
  return `ledger.dlq.${region}.${dept}`;
}

/** `ledger.recognition.<region>`. */
export function recognitionSubject(region: RegionCode): string {
  return `ledger.recognition.${region}`;
}
