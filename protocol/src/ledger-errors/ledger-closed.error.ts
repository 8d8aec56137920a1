/** The engine was closed (or its process is stopping): the work was not, or not known to be, committed. */
export class LedgerClosedError extends Error {
  override readonly name = 'LedgerClosedError';

  constructor(readonly txId?: string) {
    super(txId ? `the ledger was closed before transaction ${txId} committed` : 'the ledger is closed');
  }
}
