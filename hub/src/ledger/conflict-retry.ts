import { TransactionInvalidError } from './errors';
import { type CommittedTransaction } from './ledger-port';
import { isResubmittable } from '@approval-ledger/protocol';

export const DEFAULT_CONFLICT_RETRIES = 3;

/**
 * Runs `attempt` (endorse + submit + wait for commit, a new transaction id each time) again while it is
 * invalidated by a conflict with another transaction, at most `retries` more times. Any other outcome is final.
 *
 * Conflicts are MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT and ENDORSEMENT_POLICY_FAILURE. The last is what
 * Fabric's validator reports for a write to a key whose validation parameter an earlier transaction of the
 * same block changed, and the approval chaincode sets a key-level policy on every primary key it writes, so
 * two submissions of one record in one block end this way (the resubmission then finds the record and
 * answers idempotently). A Fabric commit status carries only the code, so a client cannot tell this from a
 * real policy failure (endorsements missing or from the wrong organisations): we resubmit every
 * ENDORSEMENT_POLICY_FAILURE. A real one fails again the same way, costing at most `retries` extra
 * endorsements, and is then reported with the code and the retries made; the bound keeps it from looping.
 */
export async function withConflictRetries(
  attempt: () => Promise<Omit<CommittedTransaction, 'retries'>>,
  retries: number = DEFAULT_CONFLICT_RETRIES,
): Promise<CommittedTransaction> {
  for (let done = 0; ; done++) {
    try {
      return { ...(await attempt()), retries: done };
    } catch (error) {
      const retry =
        error instanceof TransactionInvalidError && isResubmittable(error.validationCode) && done < retries;
      if (!retry) throw error instanceof TransactionInvalidError ? withRetries(error, done) : error;
    }
  }
}

function withRetries(error: TransactionInvalidError, retries: number): TransactionInvalidError {
  if (error.retries === retries) return error;
  return new TransactionInvalidError({ ...error, retries });
}
