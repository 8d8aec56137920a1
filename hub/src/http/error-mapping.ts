/**
 * Typed errors of the layers below (chaincode refusals with their stable code, ledger and validation errors)
 * to problems. The chaincode's code is read once by the ledger layer into `ChaincodeError.code`; here it is
 * looked up in a table, never matched in message text.
 */
import { type LedgerErrorCode, ProtocolValidationError } from '@approval-ledger/protocol';
import { type AuthError, isAuthError } from '../auth';
import { BusUnavailableError } from '../bus/bus-unavailable.error';
import {
  BlockNotFoundError,
  ChaincodeError,
  LedgerClosedError,
  LedgerUnavailableError,
  TransactionInvalidError,
  TransactionNotFoundError,
} from '../ledger';
import { UnsupportedProofError } from '../verification/proof-bundle-builder';
import { HttpProblem, type ProblemSlug } from './problem';

const PROBLEM_OF_CODE: Record<LedgerErrorCode | 'UNKNOWN', ProblemSlug> = {
  VALIDATION_FAILED: 'ledger-validation-failed',
  RECORD_CONFLICT: 'record-conflict',
  NOT_FOUND: 'not-found',
  FORBIDDEN_REGION: 'forbidden-region',
  WRONG_NAMESPACE: 'forbidden-region',
  FORBIDDEN_DEPARTMENT: 'forbidden-department',
  FORBIDDEN_ROLE: 'forbidden',
  ISSUER_NOT_AUTHORISED: 'issuer-not-authorised',
  CREDIT_REFUSED: 'credit-refused',
  BAD_SIGNATURE: 'bad-signature',
  SIGNATURE_REPLAYED: 'signature-replayed',
  SIGNER_NOT_AUTHORISED: 'signer-not-authorised',
  INVALID_STATE: 'invalid-state',
  BATCH_TOO_LARGE: 'batch-too-large',
  UNKNOWN: 'ledger-error',
};

/** The problem an error is answered with. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ChaincodeError) {
    return new HttpProblem(PROBLEM_OF_CODE[error.code], error.detail, chaincodeExtensions(error), {
      cause: error,
    });
  }
  if (error instanceof ProtocolValidationError) return HttpProblem.validation('body', error.issues);
  if (isAuthError(error)) return authProblem(error);
  if (error instanceof BusUnavailableError) {
    return new HttpProblem(
      'bus-unavailable',
      error.detail,
      { retryAfterSeconds: error.retryAfterSeconds },
      { cause: error },
    );
  }
  return (
    ledgerProblem(error) ??
    bodyParserProblem(error) ??
    new HttpProblem('internal', 'internal error', {}, { cause: error })
  );
}

const PROBLEM_OF_DENIAL = {
  role: 'forbidden',
  region: 'forbidden-region',
  dept: 'forbidden-department',
} as const;

function authProblem(error: AuthError): HttpProblem {
  if (error.is('AUTH_ACCESS_DENIED')) {
    return new HttpProblem(
      PROBLEM_OF_DENIAL[error.facts.reason],
      error.message,
      { code: error.code },
      { cause: error },
    );
  }
  const slug = error.status === 401 ? 'unauthenticated' : 'forbidden';
  return new HttpProblem(slug, error.message, { code: error.code }, { cause: error });
}

function chaincodeExtensions(error: ChaincodeError): Record<string, unknown> {
  return { code: error.code, ...(error.txId === undefined ? {} : { txId: error.txId }) };
}

function ledgerProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof BlockNotFoundError || error instanceof TransactionNotFoundError) {
    return new HttpProblem('not-found', error.message, {}, { cause: error });
  }
  if (error instanceof TransactionInvalidError) {
    return new HttpProblem(
      'transaction-invalid',
      error.message,
      { txId: error.txId, validationCode: error.validationCode },
      { cause: error },
    );
  }
  if (error instanceof UnsupportedProofError) {
    return new HttpProblem('proof-unavailable', error.message, {}, { cause: error });
  }
  if (error instanceof LedgerUnavailableError || error instanceof LedgerClosedError) {
    return new HttpProblem('ledger-unavailable', error.message, {}, { cause: error });
  }
  return undefined;
}

/** Errors of express.json() / multer carry a `type` or `code` naming the condition. */
function bodyParserProblem(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, code, limit } = error as { type?: unknown; code?: unknown; limit?: unknown };
  if (type === 'entity.parse.failed') {
    return new HttpProblem('malformed-json', 'the body is not valid JSON', {}, { cause: error });
  }
  if (type === 'entity.too.large' || code === 'LIMIT_FILE_SIZE') {
    const bytes = typeof limit === 'number' ? { limit } : {};
    return new HttpProblem('payload-too-large', 'the body is larger than the limit', bytes, { cause: error });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new HttpProblem(
      'unsupported-media-type',
      'unsupported body encoding or charset',
      {},
      { cause: error },
    );
  }
  return uploadProblem(code, error) ?? unreadableBody(error);
}

/** Any other refusal of the body parser (http-errors with `expose` and 400): e.g. a gzip body that is not gzip. */
function unreadableBody(error: object): HttpProblem | undefined {
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (status !== 400 || expose !== true) return undefined;
  const why = typeof message === 'string' ? `: ${message}` : '';
  return new HttpProblem('malformed-body', `the body could not be read${why}`, {}, { cause: error });
}

function uploadProblem(code: unknown, error: unknown): HttpProblem | undefined {
  if (typeof code === 'string' && code.startsWith('LIMIT_')) {
    return new HttpProblem('validation-failed', `upload refused (${code})`, {}, { cause: error });
  }
  return undefined;
}
