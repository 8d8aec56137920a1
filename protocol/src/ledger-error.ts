/**
 * Stable error codes shared by the chaincode and its clients. The chaincode throws `CODE: detail`; clients
 * recover the code with {@link parseLedgerError}, however Fabric wrapped the message.
 */

export const LEDGER_ERROR_CODES = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  RECORD_CONFLICT: 'RECORD_CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN_REGION: 'FORBIDDEN_REGION',
  WRONG_NAMESPACE: 'WRONG_NAMESPACE',
  FORBIDDEN_DEPARTMENT: 'FORBIDDEN_DEPARTMENT',
  FORBIDDEN_ROLE: 'FORBIDDEN_ROLE',
  ISSUER_NOT_AUTHORISED: 'ISSUER_NOT_AUTHORISED',
  CREDIT_REFUSED: 'CREDIT_REFUSED',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  SIGNATURE_REPLAYED: 'SIGNATURE_REPLAYED',
  SIGNER_NOT_AUTHORISED: 'SIGNER_NOT_AUTHORISED',
  INVALID_STATE: 'INVALID_STATE',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
} as const;

export type LedgerErrorCode = keyof typeof LEDGER_ERROR_CODES;

const CODE_IN_MESSAGE = new RegExp(
  `(?:^|[^A-Z0-9_])(${Object.keys(LEDGER_ERROR_CODES).join('|')}): ?([\\s\\S]*)$`,
);

/** The message the chaincode throws: `CODE: detail`. */
export function ledgerErrorMessage(code: LedgerErrorCode, detail: string): string {
  return `${code}: ${detail}`;
}

/**
 * The code and detail of a ledger error message, found at its start or after the prefixes Fabric adds
 * (`chaincode response 500, `, `transaction returned with failure: `); undefined when there is none.
 */
export function parseLedgerError(message: string): { code: LedgerErrorCode; detail: string } | undefined {
  const m = CODE_IN_MESSAGE.exec(message);
  if (!m) return undefined;
  return { code: m[1] as LedgerErrorCode, detail: (m[2] ?? '').trim() };
}

/** A ledger error with its stable code; its message is `CODE: detail`, as the chaincode throws it. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly code: LedgerErrorCode,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(ledgerErrorMessage(code, detail), options);
  }

  /** The LedgerError an error or message carries, or undefined when it names no ledger error code. */
  static from(error: unknown): LedgerError | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const parsed = parseLedgerError(message);
    return parsed && new LedgerError(parsed.code, parsed.detail, { cause: error });
  }
}
