/**
 * Timestamps: ISO 8601 / RFC 3339 date-times that carry their offset (`2025-03-06T16:30:00+08:00`,
 * `2025-03-06T08:30:00.250Z`), and the conversions from the legacy systems' zone-less local times, which are
 * Asia/Shanghai (fixed UTC+08:00: China has kept no daylight-saving time since 1991).
 */
import { isCalendarDate, isTimeOfDay, pad } from './calendar.js';
import { ProtocolValidationError, violation, type RuleViolation } from './protocol-validation.error.js';

export interface Timestamp {
  /** The text as given. */
  readonly text: string;
  /** Milliseconds since the Unix epoch (sub-millisecond digits are truncated). */
  readonly epochMs: number;
  /** The offset from UTC in minutes (+480 for +08:00, 0 for Z). */
  readonly offsetMinutes: number;
}

export type TimestampCheck = { readonly ok: true; readonly value: Timestamp } | RuleViolation;

/** The fixed offset of Asia/Shanghai. */
export const SHANGHAI_OFFSET = '+08:00';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const ZONED_TIME = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const EXPECTED = 'expected YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM), e.g. 2025-03-06T16:30:00+08:00';

/** Checks a timestamp with offset, returning its instant or the rule it breaks. */
export function checkTimestamp(text: unknown): TimestampCheck {
  if (typeof text !== 'string') return violation('timestamp.type', `timestamp must be a string, ${EXPECTED}`);
  const m = TIMESTAMP.exec(text);
  if (!m)
    return violation(
      'timestamp.format',
      `${JSON.stringify(text)} is not a timestamp with offset, ${EXPECTED}`,
    );
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (!isCalendarDate(y, mo, d))
    return violation('timestamp.date', `${text.slice(0, 10)} is not a calendar date`);
  if (!isTimeOfDay(h, mi, s))
    return violation('timestamp.time', `${text.slice(11, 19)} is not a time of day`);
  const offsetMinutes = parseOffset(m[8] as string);
  if (offsetMinutes === undefined) return violation('timestamp.offset', `offset ${m[8]} is out of range`);
  const ms = Math.trunc(Number(`0${m[7] ?? ''}`) * 1000);
  const epochMs = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
  return { ok: true, value: { text, epochMs, offsetMinutes } };
}

/** Parses an ISO 8601 timestamp WITH offset; throws {@link ProtocolValidationError} otherwise. */
export function parseTimestamp(text: string): Timestamp {
  const result = checkTimestamp(text);
  if (!result.ok) throw ProtocolValidationError.of('timestamp', result);
  return result.value;
}

/** True for an ISO 8601 timestamp with offset naming a real instant. */
export function isValidTimestamp(text: unknown): boolean {
  return checkTimestamp(text).ok;
}

/**
 * Converts a legacy local time without zone (Asia/Shanghai) to an ISO timestamp with `+08:00`:
 * `2025-03-04 09:30:00` -> `2025-03-04T09:30:00+08:00`; a date alone (any {@link parseLegacyDate} format)
 * means local midnight. Seconds are optional; fractional seconds are kept.
 */
export function legacyLocalToIso(local: string): string {
  const trimmed = local.trim();
  if (ZONED_TIME.test(trimmed)) {
    throw legacyError(local, 'timestamp.legacy', 'already carries a zone; use parseTimestamp');
  }
  const split = /^(\S+?)(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?$/.exec(trimmed);
  if (!split) throw legacyError(local, 'timestamp.legacy', 'is not a local date or date-time without zone');
  const date = parseLegacyDate(split[1] as string);
  const [h, mi, s] = [split[2], split[3], split[4]].map((v) => Number(v ?? 0)) as [number, number, number];
  if (!isTimeOfDay(h, mi, s)) throw legacyError(local, 'timestamp.time', 'has no valid time of day');
  return `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${split[5] ?? ''}${SHANGHAI_OFFSET}`;
}

const LEGACY_DATE_FORMATS: readonly RegExp[] = [
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/**
 * Normalises a legacy date (`2025年03月04日`, `2025-03-05`, `20250306`, `2025/03/07`) to `YYYY-MM-DD`;
 * throws {@link ProtocolValidationError} for other formats and impossible dates.
 */
export function parseLegacyDate(text: string): string {
  const trimmed = text.trim();
  const m = LEGACY_DATE_FORMATS.map((re) => re.exec(trimmed)).find((x) => x !== null);
  if (!m) {
    throw legacyError(
      text,
      'date.format',
      'is not a date (YYYY年MM月DD日, YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD)',
    );
  }
  const [y, mo, d] = m.slice(1, 4).map(Number) as [number, number, number];
  if (!isCalendarDate(y, mo, d)) throw legacyError(text, 'date.calendar', 'is not a calendar date');
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

function parseOffset(offset: string): number | undefined {
  if (offset === 'Z') return 0;
  const [, sign, hh, mm] = OFFSET.exec(offset) as RegExpExecArray;
  const hours = Number(hh);
  const minutes = Number(mm);
  if (hours > 23 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function legacyError(text: string, rule: string, what: string): ProtocolValidationError {
  return ProtocolValidationError.of('', { rule, message: `${JSON.stringify(text)} ${what}` });
}
