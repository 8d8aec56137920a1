/**
 * Salted commitments: what goes on chain instead of the full record. commitment = SHA-256 over the RFC 8785
 * form of `{salt, record}`; the 32-byte salt stays off chain, so low-entropy facts cannot be recovered by
 * hashing guesses, while the holder of record and salt can always prove them.
 */
import { bytesToHex } from './bytes.js';
import { canonicalize } from './canonical-json.js';
import { ProtocolValidationError } from './protocol-validation.error.js';
import { SHA256_HEX, sha256Hex } from './sha256.js';

/** 32 bytes as 64 lower-case hex digits, the same shape as a digest. */
const SALT = SHA256_HEX;

/** 32 fresh random bytes from the platform's CSPRNG (Web Crypto), as 64 lower-case hex digits. */
export function newSalt(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** SHA-256 hex of the canonical `{salt, record}`; the salt must be 64 lower-case hex digits. */
export function commitment(record: unknown, salt: string): string {
  return commitmentOfCanonical(canonicalize(record), salt);
}

/**
 * {@link commitment} from the record's canonical JSON text, for callers that keep that text anyway (the hub
 * stores it): RFC 8785 orders `record` before `salt`, and the salt's hex digits need no escaping, so the
 * canonical `{salt, record}` is the record's text spliced in.
 */
export function commitmentOfCanonical(recordJson: string, salt: string): string {
  if (!SALT.test(salt)) {
    throw ProtocolValidationError.of('salt', {
      rule: 'salt.format',
      message: 'salt must be 32 random bytes as 64 lower-case hex digits (see newSalt)',
    });
  }
  return sha256Hex(`{"record":${recordJson},"salt":"${salt}"}`);
}

/** True when `expected` is the commitment to `record` under `salt` (false for a malformed salt or digest). */
export function verifyCommitment(record: unknown, salt: string, expected: string): boolean {
  return SALT.test(salt) && SHA256_HEX.test(expected) && commitment(record, salt) === expected;
}
