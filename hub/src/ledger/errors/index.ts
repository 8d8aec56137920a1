// The ledger port's errors: the chaincode refusals by code and an unreachable or closed ledger are protocol's
// (both engines throw them); the rest are the hub's own.
export * from '@approval-ledger/protocol/ledger-errors';
export { BlockNotFoundError } from './block-not-found.error';
export { IdentityNotFoundError } from './identity-not-found.error';
export { TransactionInvalidError } from './transaction-invalid.error';
export { TransactionNotFoundError } from './transaction-not-found.error';
