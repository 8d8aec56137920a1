/**
 * The rule that ties an off-chain record to the chain: `record.opening`, the record and its salt produce the
 * on-chain commitment (the hub's suite's digest, SHA-256 or SM3, of canonical `{salt, record}`). The hub's `POST /verify` and reconciliation
 * apply it to the stored canonical text (any change to the stored bytes breaks it, even one that parses to the
 * same value); a proof bundle's opening applies it to the record it carries.
 */
import { canonicalize } from '../canonical-json.js';
import { type CommitmentSuite, commitmentOfCanonical } from '../commitment.js';
import { type Check, checkOf } from './check.js';

export const RECORD_CHECKS = { opening: 'record.opening' } as const;

const OPENS = 'the full record and salt open the on-chain commitment';
const DOES_NOT_OPEN = 'the full record does not match its on-chain commitment';

/** `record.opening` of a record kept as its canonical JSON text, its commitment made in `suite`. */
export function openingCheck(
  recordJson: string,
  salt: string,
  commitment: string | undefined,
  suite: CommitmentSuite = 'intl',
): Check {
  let ok: boolean;
  try {
    ok = commitment !== undefined && commitmentOfCanonical(recordJson, salt, suite) === commitment;
  } catch {
    ok = false;
  }
  return checkOf(RECORD_CHECKS.opening, ok, OPENS, DOES_NOT_OPEN);
}

/** `record.opening` of a parsed record (a proof bundle's opening). */
export function recordOpeningCheck(
  record: unknown,
  salt: string,
  commitment: string | undefined,
  suite: CommitmentSuite = 'intl',
): Check {
  let text: string;
  try {
    text = canonicalize(record);
  } catch {
    return checkOf(RECORD_CHECKS.opening, false, OPENS, DOES_NOT_OPEN);
  }
  return openingCheck(text, salt, commitment, suite);
}
