/** NATS JetStream subjects, streams and headers of the ingest pipeline (see INTERFACES.md). */
import { type DepartmentCode } from './registries/departments.js';
import { type RegionCode } from './registries/regions.js';
import { type Envelope, type EnvelopeKind } from './schemas/envelope.js';
import { recordIdOf, type SourceRef } from './schemas/fields.js';

/** The kind segment of a `legacy.*` subject; revocations travel on the certificate subject. */
export type LegacySubjectKind = 'milestone' | 'certificate' | 'credit';

export const STREAMS = {
  LEGACY: { name: 'LEGACY', subjects: ['legacy.>'] },
  RECEIPTS: { name: 'RECEIPTS', subjects: ['ledger.receipt.>'] },
  RECOGNITIONS: { name: 'RECOGNITIONS', subjects: ['ledger.recognition.>'] },
  DLQ: { name: 'DLQ', subjects: ['ledger.dlq.>'] },
} as const;

/** JetStream key-value bucket where adapters keep their checkpoints. */
export const ADAPTER_CHECKPOINT_BUCKET = 'adapter-checkpoints';

/** Headers on dead-lettered messages (the payload is the rejected message unchanged). */
export const DLQ_HEADERS = {
  /** Human-readable reason. */
  reason: 'Ledger-Dlq-Reason',
  /** Stable code: a ledger error code or a validation rule. */
  code: 'Ledger-Dlq-Code',
  /** The subject the message was originally published on. */
  subject: 'Ledger-Dlq-Subject',
} as const;

/** The NATS header carrying the de-duplication id. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

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
