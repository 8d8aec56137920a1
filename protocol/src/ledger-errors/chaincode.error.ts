/**
 * Chaincode refusals as typed errors. The chaincode throws `CODE: detail`; the engines turn the message into
 * one of these classes once, with {@link chaincodeErrorFrom} (protocol's `parseLedgerError` finds the code
 * however Fabric wrapped the message), so no caller ever matches message text.
 */
import { type LedgerErrorCode, parseLedgerError } from '../ledger-error.js';

export interface ChaincodeErrorData {
  /** The stable code, or `UNKNOWN` when the chaincode's message carries none (a crash, a Fabric error). */
  readonly code: LedgerErrorCode | 'UNKNOWN';
  readonly detail: string;
  /** The refused proposal's transaction id, when known. */
  readonly txId?: string;
  /** The chaincode response status (500 for a thrown error). */
  readonly status?: number;
  readonly cause?: unknown;
}

/** The chaincode refused the transaction: nothing was ordered. */
export class ChaincodeError extends Error {
  override readonly name: string = 'ChaincodeError';
  readonly code: LedgerErrorCode | 'UNKNOWN';
  readonly detail: string;
  readonly txId: string | undefined;
  readonly status: number | undefined;

  constructor(data: ChaincodeErrorData) {
    super(data.code === 'UNKNOWN' ? data.detail : `${data.code}: ${data.detail}`, { cause: data.cause });
    this.code = data.code;
    this.detail = data.detail;
    this.txId = data.txId;
    this.status = data.status;
  }
}

/** RECORD_CONFLICT: the same id was anchored with another commitment (the detail names both). */
export class RecordConflictError extends ChaincodeError {
  override readonly name = 'RecordConflictError';
}

/** NOT_FOUND: the record asked for is not on the ledger. */
export class RecordNotFoundError extends ChaincodeError {
  override readonly name = 'RecordNotFoundError';
}

/** FORBIDDEN_REGION / WRONG_NAMESPACE / FORBIDDEN_DEPARTMENT / FORBIDDEN_ROLE / ISSUER_NOT_AUTHORISED / SIGNER_NOT_AUTHORISED. */
export class ChaincodeForbiddenError extends ChaincodeError {
  override readonly name = 'ChaincodeForbiddenError';
}

/** VALIDATION_FAILED / BATCH_TOO_LARGE: an argument broke a protocol rule. */
export class ChaincodeValidationError extends ChaincodeError {
  override readonly name = 'ChaincodeValidationError';
}

/** BAD_SIGNATURE / SIGNATURE_REPLAYED: an EIP-712 decision signature was refused. */
export class SignatureRejectedError extends ChaincodeError {
  override readonly name = 'SignatureRejectedError';
}

/** CREDIT_REFUSED: a conditional acceptance for an enterprise whose credit does not allow it. */
export class CreditRefusedError extends ChaincodeError {
  override readonly name = 'CreditRefusedError';
}

/** INVALID_STATE: the record is not in a state that allows this (e.g. deciding a decided recognition). */
export class InvalidStateError extends ChaincodeError {
  override readonly name = 'InvalidStateError';
}

type ChaincodeErrorClass = new (data: ChaincodeErrorData) => ChaincodeError;

/** Every code has its class: adding a code to the protocol without a class here fails to compile. */
const CLASS_OF_CODE: Record<LedgerErrorCode, ChaincodeErrorClass> = {
  RECORD_CONFLICT: RecordConflictError,
  NOT_FOUND: RecordNotFoundError,
  FORBIDDEN_REGION: ChaincodeForbiddenError,
  WRONG_NAMESPACE: ChaincodeForbiddenError,
  FORBIDDEN_DEPARTMENT: ChaincodeForbiddenError,
  FORBIDDEN_ROLE: ChaincodeForbiddenError,
  ISSUER_NOT_AUTHORISED: ChaincodeForbiddenError,
  SIGNER_NOT_AUTHORISED: ChaincodeForbiddenError,
  VALIDATION_FAILED: ChaincodeValidationError,
  BATCH_TOO_LARGE: ChaincodeValidationError,
  BAD_SIGNATURE: SignatureRejectedError,
  SIGNATURE_REPLAYED: SignatureRejectedError,
  CREDIT_REFUSED: CreditRefusedError,
  INVALID_STATE: InvalidStateError,
};

/** The typed error for a chaincode error message (`CODE: detail`, possibly wrapped by Fabric). */
export function chaincodeErrorFrom(
  message: string,
  context: { txId?: string; status?: number; cause?: unknown } = {},
): ChaincodeError {
  const parsed = parseLedgerError(message);
  if (!parsed) return new ChaincodeError({ code: 'UNKNOWN', detail: message, ...context });
  return new CLASS_OF_CODE[parsed.code]({ code: parsed.code, detail: parsed.detail, ...context });
}
