// The ledger's typed errors, thrown by both engines (the embedded engine in @approval-ledger/fabric-engine and the
// hub's Fabric engine): chaincode refusals by code, an unreachable ledger, a closed ledger.
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
} from './chaincode.error.js';
export { LedgerClosedError } from './ledger-closed.error.js';
export { LedgerUnavailableError } from './ledger-unavailable.error.js';
