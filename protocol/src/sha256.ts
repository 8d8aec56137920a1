/**
 * SHA-256 for the whole package, pluggable: pure JavaScript (@noble/hashes) by default, so browsers and every
 * bundle run the same code, and a host with a native digest can register it once with {@link useSha256}
 * (the hub registers its runtime's native SHA-256 at start-up). Whatever is registered must give exactly the
 * bytes the default gives; registration checks that on fixed vectors and refuses anything else.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8Encode } from './bytes.js';

/** A SHA-256 digest as this package writes it: 64 lower-case hex digits, no prefix. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One piece of hashed input: bytes, or a string standing for its UTF-8 bytes as {@link utf8Encode} writes them. */
export type Sha256Part = Uint8Array | string;

/**
 * A SHA-256 implementation: the 32-byte digest (a plain Uint8Array) of the concatenation of `parts`, each string
 * part encoded on its own as UTF-8 exactly as {@link utf8Encode} (TextEncoder) does, so a lone surrogate (or half
 * of a pair split across two parts) becomes U+FFFD, bytes EF BF BD.
 */
export type Sha256Implementation = (parts: readonly Sha256Part[]) => Uint8Array;

/** The default implementation: @noble/hashes, pure JavaScript, strings through {@link utf8Encode}. */
export const jsSha256: Sha256Implementation = (parts) => {
  if (parts.length === 1) return nobleSha256(encoded(parts[0] as Sha256Part));
  const hash = nobleSha256.create();
  for (const part of parts) hash.update(encoded(part));
  return hash.digest();
};

function encoded(part: Sha256Part): Uint8Array {
  return typeof part === 'string' ? utf8Encode(part) : part;
}

/** What registration hashes with both implementations; every result must match byte for byte. */
const CHECK_VECTORS: readonly (readonly Sha256Part[])[] = [
  [],
  ['abc'],
  [new Uint8Array([0x61]), 'b', new Uint8Array([0x63])],
  ['', new Uint8Array(0), 'x'],
  ['\u00e9\u20ac\u{10ffff}\u{1f600}'],
  ['a\ud800b', '\udc00', '\ud83d', '\ude00', '\ud83d\ude00'],
  [new Uint8Array(200).fill(0xa5), 'q'.repeat(130)],
];

let active: Sha256Implementation = jsSha256;

/**
 * Registers `implementation` as the SHA-256 behind {@link sha256}, {@link sha256Hex}, {@link sha256OfParts} and
 * the Merkle hashes (`leafHash`, `nodeHash`, `merkleRoot`), and so behind everything built on them. It must be a
 * {@link Sha256Implementation}; it is run on fixed vectors (including lone surrogates and pairs split across
 * parts) and refused with a TypeError unless every digest is a plain 32-byte Uint8Array equal to the default's.
 * `undefined` restores the default ({@link jsSha256}).
 */
export function useSha256(implementation: Sha256Implementation | undefined): void {
  if (implementation === undefined) {
    active = jsSha256;
    return;
  }
  if (typeof implementation !== 'function') {
    throw new TypeError(`useSha256: implementation must be a function, got ${typeof implementation}`);
  }
  for (const vector of CHECK_VECTORS) checkVector(implementation, vector);
  active = implementation;
}

function checkVector(implementation: Sha256Implementation, vector: readonly Sha256Part[]): void {
  const expected = bytesToHex(jsSha256(vector));
  let digest: unknown;
  try {
    digest = implementation(vector);
  } catch (error) {
    throw new TypeError(`useSha256: implementation threw on a check vector: ${String(error)}`);
  }
  if (!(digest instanceof Uint8Array) || Object.getPrototypeOf(digest) !== Uint8Array.prototype) {
    throw new TypeError('useSha256: implementation must return a plain Uint8Array (not a subclass)');
  }
  if (bytesToHex(digest) !== expected) {
    throw new TypeError(
      `useSha256: implementation gives ${bytesToHex(digest)} for a check vector whose SHA-256 is ${expected}`,
    );
  }
}

/** The SHA-256 implementation in use ({@link jsSha256} unless another was registered with {@link useSha256}). */
export function sha256Implementation(): Sha256Implementation {
  return active;
}

/** SHA-256 of the concatenation of `parts` (strings as their UTF-8 bytes), without building the concatenation. */
export function sha256OfParts(parts: readonly Sha256Part[]): Uint8Array {
  return active(parts);
}

/** SHA-256 of bytes, or of a string's UTF-8 bytes (a native implementation hashes the string directly). */
export function sha256(data: Sha256Part): Uint8Array {
  return active([data]);
}

/** Lower-case hex SHA-256 of bytes, or of a string's UTF-8 bytes. */
export function sha256Hex(data: Sha256Part): string {
  return bytesToHex(active([data]));
}
