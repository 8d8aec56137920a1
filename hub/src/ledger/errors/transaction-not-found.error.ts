/** No transaction with this id on the ledger. */
export class TransactionNotFoundError extends Error {
  override readonly name = 'TransactionNotFoundError';

  constructor(readonly txId: string) {
    super(`transaction ${txId} is not on the ledger`);
  }
}
