export {
  ChaincodeError,
  ChaincodeForbiddenError,
  ChaincodeValidationError,
  CreditRefusedError,
  InvalidStateError,
  RecordConflictError,
  RecordNotFoundError,
  SignatureRejectedError,
  chaincodeErrorFrom,
  type ChaincodeErrorData,
} from '@approval-ledger/protocol';
export { BlockNotFoundError } from './block-not-found.error';
export { IdentityNotFoundError } from './identity-not-found.error';
export { LedgerClosedError, LedgerUnavailableError } from '@approval-ledger/protocol';
export { TransactionInvalidError } from './transaction-invalid.error';
export { TransactionNotFoundError } from './transaction-not-found.error';
