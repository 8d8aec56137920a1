/**
 * Fabric's transaction validation codes (`protos/peer/transaction.proto`, `TxValidationCode`), by name and
 * number. Both engines report these names; the Fabric engine maps the numbers it receives with
 * {@link validationCodeName}. The numbers are checked against @hyperledger/fabric-protos in the unit tests.
 */
export const VALIDATION_CODES = {
  VALID: 0,
  NIL_ENVELOPE: 1,
  BAD_PAYLOAD: 2,
  BAD_COMMON_HEADER: 3,
  BAD_CREATOR_SIGNATURE: 4,
  INVALID_ENDORSER_TRANSACTION: 5,
  INVALID_CONFIG_TRANSACTION: 6,
  UNSUPPORTED_TX_PAYLOAD: 7,
  BAD_PROPOSAL_TXID: 8,
  DUPLICATE_TXID: 9,
  ENDORSEMENT_POLICY_FAILURE: 10,
  MVCC_READ_CONFLICT: 11,
  PHANTOM_READ_CONFLICT: 12,
  UNKNOWN_TX_TYPE: 13,
  TARGET_CHAIN_NOT_FOUND: 14,
  MARSHAL_TX_ERROR: 15,
  NIL_TXACTION: 16,
  EXPIRED_CHAINCODE: 17,
  CHAINCODE_VERSION_CONFLICT: 18,
  BAD_HEADER_EXTENSION: 19,
  BAD_CHANNEL_HEADER: 20,
  BAD_RESPONSE_PAYLOAD: 21,
  BAD_RWSET: 22,
  ILLEGAL_WRITESET: 23,
  INVALID_WRITESET: 24,
  INVALID_CHAINCODE: 25,
  NOT_VALIDATED: 254,
  INVALID_OTHER_REASON: 255,
} as const;

export type ValidationCode = keyof typeof VALIDATION_CODES;

const NAMES = new Map<number, ValidationCode>(
  Object.entries(VALIDATION_CODES).map(([name, code]) => [code, name as ValidationCode]),
);

/** The name of a numeric validation code; unknown numbers are `INVALID_OTHER_REASON`. */
export function validationCodeName(code: number): ValidationCode {
  return NAMES.get(code) ?? 'INVALID_OTHER_REASON';
}

/** True for a known validation code name. */
export function isValidationCode(name: string): name is ValidationCode {
  return Object.hasOwn(VALIDATION_CODES, name);
}

/** Read conflicts: the transaction may succeed when endorsed again against newer state. */
export function isReadConflict(code: ValidationCode): boolean {
  return code === 'MVCC_READ_CONFLICT' || code === 'PHANTOM_READ_CONFLICT';
}

/**
 * Invalidations that endorsing and submitting again may cure: read conflicts, and ENDORSEMENT_POLICY_FAILURE,
 * which Fabric's validator also gives a write to a key whose validation parameter an earlier transaction of the
 * same block changed (a same-block write collision on a key with a key-level policy). The commit status does
 * not say which kind of policy failure it was, so every one is retried; see `conflict-retry.ts`.
 */
export function isResubmittable(code: ValidationCode): boolean {
  return isReadConflict(code) || code === 'ENDORSEMENT_POLICY_FAILURE';
}
