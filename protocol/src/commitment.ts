/**
 * Salted commitments: what goes on chain instead of the full record. commitment = the hub's suite's digest over
 * the RFC 8785 form of `{salt, record}`: SHA-256 in `intl` (the default, every existing commitment), SM3 in `gm`;
 * both are 64 lower-case hex digits, so the on-chain anchor's shape is the same and only the suite, which a bundle
 * names (`record.suite`), tells them apart. The 32-byte salt stays off chain, so low-entropy facts cannot be
 * recovered by hashing guesses, while the holder of record and salt can always prove them.
 */
import { bytesToHex } from './bytes.js';
import { canonicalize } from './canonical-json.js';
import { sm3OfParts } from './gm/sm3.js';
import { ProtocolValidationError } from './protocol-validation.error.js';
import { SHA256_HEX, sha256OfParts } from './sha256.js';

/** The suites a commitment can be made in (`intl`: SHA-256, `gm`: SM3); the names of `SUITES`. */
export type CommitmentSuite = 'intl' | 'gm';

/** 32 bytes as 64 lower-case hex digits, the same shape as a digest. */
const SALT = SHA256_HEX;

/** 32 fresh random bytes from the platform's CSPRNG (Web Crypto), as 64 lower-case hex digits. */
export function newSalt(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** The suite's hex digest (SHA-256 or SM3) of the canonical `{salt, record}`; the salt is 64 lower-case hex digits. */
export function commitment(record: unknown, salt: string, suite: CommitmentSuite = 'intl'): string {
  return commitmentOfCanonical(canonicalize(record), salt, suite);
}

/**
 * {@link commitment} from the record's canonical JSON text, for callers that keep that text anyway (the hub
 * stores it): RFC 8785 orders `record` before `salt`, and the salt's hex digits need no escaping, so the
 * canonical `{salt, record}` is the record's text spliced in.
 */
export function commitmentOfCanonical(
  recordJson: string,
  salt: string,
  suite: CommitmentSuite = 'intl',
): string {
  if (!SALT.test(salt)) {
    throw ProtocolValidationError.of('salt', {
      rule: 'salt.format',
      message: 'salt must be 32 random bytes as 64 lower-case hex digits (see newSalt)',
    });
  }
  // hashed in parts, as the digest reads them: the record's text is not copied into a concatenation first
  const parts = ['{"record":', recordJson, ',"salt":"', salt, '"}'];
  if (suite === 'intl') return bytesToHex(sha256OfParts(parts));
  if (suite === 'gm') return bytesToHex(sm3OfParts(parts));
  throw ProtocolValidationError.of('suite', {
    rule: 'suite.name',
    message: `crypto suite ${JSON.stringify(suite)} is not intl or gm`,
  });
}

/**
 * True when `expected` is the commitment to `record` under `salt` in `suite` (false for a malformed salt or
 * digest, and for a commitment of the other suite).
 */
export function verifyCommitment(
  record: unknown,
  salt: string,
  expected: string,
  suite: CommitmentSuite = 'intl',
): boolean {
  return SALT.test(salt) && SHA256_HEX.test(expected) && commitment(record, salt, suite) === expected;
}
