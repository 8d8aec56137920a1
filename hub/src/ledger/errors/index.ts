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
} from './chaincode.error';
export { BlockNotFoundError } from './block-not-found.error';
export { IdentityNotFoundError } from './identity-not-found.error';
export { LedgerClosedError } from './ledger-closed.error';
export { LedgerUnavailableError } from './ledger-unavailable.error';
export { TransactionInvalidError } from './transaction-invalid.error';
export { TransactionNotFoundError } from './transaction-not-found.error';
