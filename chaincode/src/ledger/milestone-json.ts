// The canonical JSON (RFC 8785) of a milestone entry, written without the generic walk: the entry's keys are
// known (the anchor's, which the schema allows no others, and the ledger stamp), so they are emitted in their
// sorted order with no per-entry sort, key escaping or type dispatch. Anything else than that exact shape (an
// unknown or missing key, a non-string where a string belongs, a surrogate in the text, which the schema's ASCII
// fields never hold, a version that is not a safe integer) goes to `canonicalize`: the bytes are always its.
import { canonicalize } from '@approval-ledger/protocol';
import type { MilestoneEntry } from './entries';

/** Required string fields, in canonical (UTF-16 code unit) order with the optional ones slotted in below. */
const BEFORE_CORRECTS = ['applicantUscc', 'commitment'] as const;
const BEFORE_DIGESTS = ['decidedAt', 'decision', 'dept'] as const;
const AFTER_DIGESTS = ['id', 'projectCode', 'recordedAt', 'region', 'stage', 'txId'] as const;
const REQUIRED_KEYS = BEFORE_CORRECTS.length + BEFORE_DIGESTS.length + 1 + AFTER_DIGESTS.length;

/**
 * A surrogate in the text, raw (astral characters) or as the escape JSON.stringify gives a lone one: such text
 * goes to `canonicalize` (which refuses lone surrogates). Checked once over the whole text, not per field; an
 * escaped backslash before `ud` matches too, which only costs that entry the generic walk.
 */
const SURROGATE = /[\uD800-\uDFFF]|\\u[dD][89a-fA-F]/;

/** JSON string text, or undefined for a non-string. */
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? JSON.stringify(value) : undefined;
}

/** `,"key":value` for each of `keys` (a string each), or undefined when one is not a string. */
function strings(entry: Record<string, unknown>, keys: readonly string[]): string | undefined {
  let out = '';
  for (const key of keys) {
    const text = str(entry[key]);
    if (text === undefined) return undefined;
    out += `,"${key}":${text}`;
  }
  return out;
}

/** `,"key":value` for an optional field: '' when absent, undefined when of another type than `valid` takes. */
function optional(entry: Record<string, unknown>, key: string, text: (v: unknown) => string | undefined) {
  const value = entry[key];
  return value === undefined ? '' : ((t) => (t === undefined ? undefined : `,"${key}":${t}`))(text(value));
}

const integer = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined;

function digestsJson(digests: unknown): string | undefined {
  if (!Array.isArray(digests)) return undefined;
  let out = ',"documentDigests":[';
  for (let i = 0; i < digests.length; i++) {
    const text = str(digests[i]);
    if (text === undefined) return undefined;
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}

function fastEntryJson(entry: Record<string, unknown>): string | undefined {
  const parts = [
    strings(entry, BEFORE_CORRECTS),
    optional(entry, 'corrects', str),
    strings(entry, BEFORE_DIGESTS),
    digestsJson(entry.documentDigests),
    strings(entry, AFTER_DIGESTS),
    optional(entry, 'version', integer),
  ];
  if (parts.includes(undefined)) return undefined;
  const keys = REQUIRED_KEYS + (entry.corrects === undefined ? 0 : 1) + (entry.version === undefined ? 0 : 1);
  // no key beyond those (and none holding undefined, which `canonicalize` refuses)
  const out = `{${parts.join('').slice(1)}}`;
  if (Object.keys(entry).length !== keys || SURROGATE.test(out)) return undefined;
  return out;
}

/** `canonicalize(entry)` for a milestone entry, byte for byte. */
export function milestoneEntryJson(entry: MilestoneEntry): string {
  return fastEntryJson(entry as unknown as Record<string, unknown>) ?? canonicalize(entry);
}
