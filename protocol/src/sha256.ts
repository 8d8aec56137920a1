/**
 * SHA-256 for the whole package, pluggable: pure JavaScript (@noble/hashes) by default, so browsers and every
 * bundle run the same code, and a host with a native digest can register it once with {@link useSha256}
 * (the hub registers its runtime's native SHA-256 at start-up). Whatever is registered must give exactly the
 * bytes the default gives; registration checks that on fixed vectors and refuses anything else.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { bytesToHex } from './bytes.js';
import {
  type DigestImplementation,
  type DigestPart,
  PluggableDigest,
  partBytes,
} from './pluggable-digest.js';

/** A SHA-256 digest as this package writes it: 64 lower-case hex digits, no prefix. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One piece of hashed input: bytes, or a string standing for its UTF-8 bytes as {@link utf8Encode} writes them. */
export type Sha256Part = DigestPart;

/**
 * A SHA-256 implementation: the 32-byte digest (a plain Uint8Array) of the concatenation of `parts`, each string
 * part encoded on its own as UTF-8 exactly as {@link utf8Encode} (TextEncoder) does, so a lone surrogate (or half
 * of a pair split across two parts) becomes U+FFFD, bytes EF BF BD.
 */
export type Sha256Implementation = DigestImplementation;

/** The default implementation: @noble/hashes, pure JavaScript, strings through {@link utf8Encode}. */
export const jsSha256: Sha256Implementation = (parts) => {
  if (parts.length === 1) return nobleSha256(partBytes(parts[0] as Sha256Part));
  const hash = nobleSha256.create();
  for (const part of parts) hash.update(partBytes(part));
  return hash.digest();
};

const SHA256 = new PluggableDigest('useSha256', jsSha256);

/**
 * Registers `implementation` as the SHA-256 behind {@link sha256}, {@link sha256Hex}, {@link sha256OfParts} and
 * the Merkle hashes (`leafHash`, `nodeHash`, `merkleRoot`), and so behind everything built on them. It must be a
 * {@link Sha256Implementation}; it is run on fixed vectors (including lone surrogates and pairs split across
 * parts) and refused with a TypeError unless every digest is a plain 32-byte Uint8Array equal to the default's.
 * `undefined` restores the default ({@link jsSha256}).
 */
export function useSha256(implementation: Sha256Implementation | undefined): void {
  SHA256.use(implementation);
}

/** The SHA-256 implementation in use ({@link jsSha256} unless another was registered with {@link useSha256}). */
export function sha256Implementation(): Sha256Implementation {
  return SHA256.implementation;
}

/** SHA-256 of the concatenation of `parts` (strings as their UTF-8 bytes), without building the concatenation. */
export function sha256OfParts(parts: readonly Sha256Part[]): Uint8Array {
  return SHA256.ofParts(parts);
}

/** SHA-256 of bytes, or of a string's UTF-8 bytes (a native implementation hashes the string directly). */
export function sha256(data: Sha256Part): Uint8Array {
  return SHA256.ofParts([data]);
}

/** Lower-case hex SHA-256 of bytes, or of a string's UTF-8 bytes. */
export function sha256Hex(data: Sha256Part): string {
  return bytesToHex(SHA256.ofParts([data]));
}
