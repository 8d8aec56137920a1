// The canonical JSON (RFC 8785) of a milestone entry in one native JSON.stringify: the entry's keys are known
// (the anchor's, beside which the schema allows none, and the ledger stamp), so a copy with its keys inserted in
// sorted order serialises canonically: JSON.stringify escapes strings and writes numbers as RFC 8785 does, and
// keeps insertion order. (A key list as replacer would order them too, but leaves V8's fast path: 2-3x slower.) That holds only for the exact shape (known keys, strings, a
// safe-integer version, an array of strings) and text without surrogates (which the schema's ASCII fields never
// hold): the shape is checked first and anything else goes to `canonicalize`, so the bytes are always its.
import { canonicalize } from '@approval-ledger/protocol';
import type { MilestoneEntry } from './entries';

/** Every key an entry may hold, in canonical (UTF-16 code unit) order: the order of `sortedCopy`. */
const KEYS = [
  'applicantUscc',
  'commitment',
  'corrects',
  'decidedAt',
  'decision',
  'dept',
  'documentDigests',
  'id',
  'projectCode',
  'recordedAt',
  'region',
  'stage',
  'txId',
  'version',
] as const;

const STRING_KEYS: ReadonlySet<string> = new Set(
  KEYS.filter((k) => k !== 'version' && k !== 'documentDigests'),
);

/** A surrogate, raw or as the escape JSON.stringify gives a lone one (an escaped backslash before `ud` too). */
const SURROGATE = /[\uD800-\uDFFF]|\\u[dD][89a-fA-F]/;

function isStrings(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** Whether every key is one of KEYS with a value of its type (so JSON.stringify drops and nests nothing). */
function plainShape(entry: Record<string, unknown>): boolean {
  if (Object.getPrototypeOf(entry) !== Object.prototype) return false;
  for (const key of Object.keys(entry)) {
    const value = entry[key];
    if (STRING_KEYS.has(key)) {
      if (typeof value !== 'string') return false;
    } else if (key === 'documentDigests') {
      if (!isStrings(value)) return false;
    } else if (key !== 'version' || !Number.isSafeInteger(value)) return false;
  }
  return true;
}

/** The entry with its keys in canonical order (absent optional keys left out). */
function sortedCopy(e: MilestoneEntry): Record<string, unknown> {
  const o: Record<string, unknown> = { applicantUscc: e.applicantUscc, commitment: e.commitment };
  if (e.corrects !== undefined) o.corrects = e.corrects;
  o.decidedAt = e.decidedAt;
  o.decision = e.decision;
  o.dept = e.dept;
  o.documentDigests = e.documentDigests;
  o.id = e.id;
  o.projectCode = e.projectCode;
  o.recordedAt = e.recordedAt;
  o.region = e.region;
  o.stage = e.stage;
  o.txId = e.txId;
  if (e.version !== undefined) o.version = e.version;
  return o;
}

/** `canonicalize(entry)` for a milestone entry, byte for byte. */
export function milestoneEntryJson(entry: MilestoneEntry): string {
  if (plainShape(entry as unknown as Record<string, unknown>)) {
    const text = JSON.stringify(sortedCopy(entry));
    if (!SURROGATE.test(text)) return text;
  }
  return canonicalize(entry);
}
