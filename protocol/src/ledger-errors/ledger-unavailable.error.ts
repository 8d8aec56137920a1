/** The ledger could not be reached or did not answer in time; the transaction's fate may be unknown. */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';

  constructor(
    message: string,
    readonly txId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
