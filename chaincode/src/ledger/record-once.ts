/**
 * Records an entry once, for the records that have no versions (credit evaluations, checkpoints): a repeat that
 * offers the same `field` (commitment, root) is idempotent and returns what is recorded; another value is a
 * RECORD_CONFLICT naming both; a new entry is the input stamped with this transaction, written by `write`.
 */
import { type Context } from 'fabric-contract-api';
import { type LedgerStamp, stamped } from './entries';
import { fail } from './fail';
import type { KeyType } from './keys';
import { txTime } from './ledger-time';
import { type LedgerState } from './ledger-state';

export interface RecordOnce<I> {
  /** The key type the entry is stored under, by its `id`. */
  readonly key: KeyType;
  /** What compares a repeat with what is recorded (`commitment`, `root`). */
  readonly field: keyof I & string;
  /** How the conflict names the record: `credit evaluation <id> is already anchored with …`. */
  readonly what: string;
  readonly verb: 'anchored' | 'recorded';
  /** Writes a new entry (the entry, its indexes, its endorsers). */
  readonly write: (entry: I & LedgerStamp) => Promise<void>;
}

export async function recordOnce<I extends { readonly id: string }>(
  ctx: Context,
  state: LedgerState,
  input: I,
  how: RecordOnce<I>,
): Promise<{ entry: I & LedgerStamp; unchanged: boolean }> {
  const existing = await state.get<I & LedgerStamp>(how.key, [input.id]);
  const { field } = how;
  if (existing && existing[field] !== input[field]) {
    fail(
      'RECORD_CONFLICT',
      `${how.what} ${input.id} is already ${how.verb} with ${field} ${String(existing[field])}; refused ${field} ${String(input[field])}`,
    );
  }
  if (existing) return { entry: existing, unchanged: true };
  const entry = stamped(input, { txId: state.txId, recordedAt: txTime(ctx) });
  await how.write(entry);
  return { entry, unchanged: false };
}
