// Versioned corrections (更正): which version of a record an anchor is, against what the ledger holds.
//
// The record's primary key (`milestone` [id], `certificate` [number]) always holds the current version: it
// is the pointer every reader already follows. When version n + 1 supersedes it, version n moves to its own
// key under `<kind>~version` [key, n (zero-padded)], written once, so every version stays readable by key and
// a first record costs no extra write. Version n + 1 is accepted only if it names the commitment of the
// current version n; anything else offering another commitment is a RECORD_CONFLICT, as before corrections.
import { versionOf } from '@approval-ledger/protocol';
import { fail } from '../ledger/fail';
import { type KeyType } from '../ledger/keys';
import { type LedgerState } from '../ledger/ledger-state';

/** What an anchor offers: its commitment and, for a correction, its version and what it corrects. */
export interface Versioned {
  readonly commitment: string;
  readonly version?: number;
  readonly corrects?: string;
}

export type VersionVerdict<E> =
  /** The ledger holds no version: write it as the first. */
  | { readonly kind: 'first' }
  /** The same version is already held (current or superseded): a no-op. */
  | { readonly kind: 'unchanged'; readonly entry: E }
  /** The correction of the current version: move `previous` to its version key, write the new one. */
  | { readonly kind: 'correction'; readonly previous: E };

/** Version keys sort by number: 1..1,000,000 zero-padded to 7 digits. */
export function versionKey(version: number): string {
  return String(version).padStart(7, '0');
}

/**
 * Decides how `offered` relates to the `current` entry of `what` (e.g. `certificate 1101…`). Reads a
 * superseded version's key only when a re-delivered older version has to be recognised.
 */
export async function versionVerdict<E extends Versioned>(
  state: LedgerState,
  versionType: KeyType,
  key: string,
  current: E | undefined,
  offered: Versioned,
  what: string,
): Promise<VersionVerdict<E>> {
  const version = versionOf(offered);
  if (!current) {
    if (version === 1) return { kind: 'first' };
    return fail(
      'NOT_FOUND',
      `${what} is not anchored; version ${version} corrects ${offered.corrects ?? '?'}`,
    );
  }
  if (current.commitment === offered.commitment) return { kind: 'unchanged', entry: current };
  const held = versionOf(current);
  if (version === held + 1 && offered.corrects === current.commitment)
    return { kind: 'correction', previous: current };
  if (version < held) {
    const superseded = await state.get<E>(versionType, [key, versionKey(version)]);
    if (superseded?.commitment === offered.commitment) return { kind: 'unchanged', entry: superseded };
  }
  return fail('RECORD_CONFLICT', conflictDetail(what, current, offered));
}

function conflictDetail(what: string, current: Versioned, offered: Versioned): string {
  const held = versionOf(current);
  const version = versionOf(offered);
  const base = `${what} is already anchored with commitment ${current.commitment}`;
  if (version === 1) return `${base}; refused commitment ${offered.commitment}`;
  return (
    `${base} (version ${held}); refused version ${version} with commitment ${offered.commitment}, ` +
    `which corrects ${offered.corrects ?? '?'}: a correction names the current version and is version ${held + 1}`
  );
}
