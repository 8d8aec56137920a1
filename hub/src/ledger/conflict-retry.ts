import { TransactionInvalidError } from './errors';
import { type CommittedTransaction } from './ledger-port';
import { isReadConflict } from './validation-code';

export const DEFAULT_CONFLICT_RETRIES = 3;

/**
 * Runs `attempt` (endorse + submit + wait for commit, a new transaction id each time) again while it is
 * invalidated by a read conflict, at most `retries` more times. Any other outcome is final.
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
        error instanceof TransactionInvalidError && isReadConflict(error.validationCode) && done < retries;
      if (!retry) throw error instanceof TransactionInvalidError ? withRetries(error, done) : error;
    }
  }
}

function withRetries(error: TransactionInvalidError, retries: number): TransactionInvalidError {
  if (error.retries === retries) return error;
  return new TransactionInvalidError({ ...error, retries });
}
