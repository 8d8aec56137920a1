import { type ValidationCode } from '@approval-ledger/protocol';

/** The transaction was ordered into a block but invalidated at commit: its writes were not applied. */
export class TransactionInvalidError extends Error {
  override readonly name = 'TransactionInvalidError';
  readonly txId: string;
  readonly blockNumber: number;
  readonly validationCode: ValidationCode;
  /** Earlier attempts (each with its own transaction id) invalidated by a read conflict and retried. */
  readonly retries: number;

  constructor(data: { txId: string; blockNumber: number; validationCode: ValidationCode; retries?: number }) {
    super(`transaction ${data.txId} in block ${data.blockNumber} is invalid: ${data.validationCode}`);
    this.txId = data.txId;
    this.blockNumber = data.blockNumber;
    this.validationCode = data.validationCode;
    this.retries = data.retries ?? 0;
  }
}
