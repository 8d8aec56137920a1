// The canonical JSON (RFC 8785) of a milestone entry, written without the generic walk: the entry's keys are
// known (the anchor's, which the schema allows no others, and the ledger stamp), so they are emitted in their
// sorted order with no per-entry sort, key escaping or type dispatch. Anything else than that exact shape (an
// unknown or missing key, a non-string where a string belongs, a string with a surrogate (astral text: the schema's fields are ASCII), a
// version that is not a safe integer) goes to `canonicalize`, so the bytes are always canonicalize's.
import { canonicalize } from '@approval-ledger/protocol';
import type { MilestoneEntry } from './entries';

/** Required string fields, in canonical (UTF-16 code unit) order with the optional ones slotted in below. */
const BEFORE_CORRECTS = ['applicantUscc', 'commitment'] as const;
const BEFORE_DIGESTS = ['decidedAt', 'decision', 'dept'] as const;
const AFTER_DIGESTS = ['id', 'projectCode', 'recordedAt', 'region', 'stage', 'txId'] as const;
const REQUIRED_KEYS = BEFORE_CORRECTS.length + BEFORE_DIGESTS.length + 1 + AFTER_DIGESTS.length;

const LONE_SURROGATE = /[\uD800-\uDFFF]/;

/** JSON string text, or undefined for a non-string or one with any surrogate (left to `canonicalize`). */
function str(value: unknown): string | undefined {
  if (typeof value !== 'string' || LONE_SURROGATE.test(value)) return undefined;
  return JSON.stringify(value);
}

function fastEntryJson(entry: Record<string, unknown>): string | undefined {
  let keys = REQUIRED_KEYS;
  let out = '{';
  for (const key of BEFORE_CORRECTS) {
    const text = str(entry[key]);
    if (text === undefined) return undefined;
    out += `${out.length === 1 ? '' : ','}"${key}":${text}`;
  }
  if (entry.corrects !== undefined) {
    const text = str(entry.corrects);
    if (text === undefined) return undefined;
    out += `,"corrects":${text}`;
    keys++;
  }
  for (const key of BEFORE_DIGESTS) {
    const text = str(entry[key]);
    if (text === undefined) return undefined;
    out += `,"${key}":${text}`;
  }
  const digests = entry.documentDigests;
  if (!Array.isArray(digests)) return undefined;
  out += ',"documentDigests":[';
  for (let i = 0; i < digests.length; i++) {
    const text = str(digests[i]);
    if (text === undefined) return undefined;
    out += i === 0 ? text : `,${text}`;
  }
  out += ']';
  for (const key of AFTER_DIGESTS) {
    const text = str(entry[key]);
    if (text === undefined) return undefined;
    out += `,"${key}":${text}`;
  }
  if (entry.version !== undefined) {
    if (!Number.isSafeInteger(entry.version)) return undefined;
    out += `,"version":${String(entry.version)}`;
    keys++;
  }
  // no key beyond those (and none of them holding undefined, which the checks above refuse)
  return Object.keys(entry).length === keys ? `${out}}` : undefined;
}

/** `canonicalize(entry)` for a milestone entry, byte for byte. */
export function milestoneEntryJson(entry: MilestoneEntry): string {
  return fastEntryJson(entry as unknown as Record<string, unknown>) ?? canonicalize(entry);
}
