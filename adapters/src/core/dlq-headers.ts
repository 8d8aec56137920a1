/**
 * The headers every dead-lettered message carries, in one place (the lead may move the adapter-only ones into
 * protocol). The body of a dead letter is always the raw legacy payload, unchanged.
 */
import { DLQ_HEADERS } from '@approval-ledger/protocol';

export const DLQ_HEADER = {
  /** Human message naming the field and the rule broken. */
  reason: DLQ_HEADERS.reason,
  /** A stable code from {@link DLQ_CODES}. */
  code: DLQ_HEADERS.code,
  /** The `legacy.*` subject the record would have been published on, when the adapter got that far. */
  subject: DLQ_HEADERS.subject,
  /** The adapter that gave up on the record (`hc-mysql`, `drc-csv`, `eia-soap`, `credit-webhook`). */
  origin: 'Ledger-Dlq-Origin',
  /** Where the record came from: `system:recordId:version`, or `file:line`. */
  source: 'Ledger-Dlq-Source',
} as const;

/** Stable codes of `Ledger-Dlq-Code` set by adapters. */
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
