/**
 * A hash function for the whole package, pluggable: a pure-JavaScript default, so browsers and every bundle run
 * the same code, and a host with a native digest (the hub: node:crypto) registers it once. Whatever is registered
 * must give exactly the bytes the default gives: registration checks that on fixed vectors (lone surrogates and
 * pairs split across parts included) and refuses anything else, keeping the implementation in use.
 * SHA-256 (`sha256.ts`) and SM3 (`gm/sm3.ts`) are the two instances.
 */
import { bytesToHex, utf8Encode } from './bytes.js';

/** One piece of hashed input: bytes, or a string standing for its UTF-8 bytes as {@link utf8Encode} writes them. */
export type DigestPart = Uint8Array | string;

/**
 * An implementation: the 32-byte digest (a plain Uint8Array) of the concatenation of `parts`, each string part
 * encoded on its own as UTF-8 exactly as {@link utf8Encode} (TextEncoder) does, so a lone surrogate (or half of a
 * pair split across two parts) becomes U+FFFD, bytes EF BF BD.
 */
export type DigestImplementation = (parts: readonly DigestPart[]) => Uint8Array;

/** A part as bytes: strings through {@link utf8Encode}. */
export function partBytes(part: DigestPart): Uint8Array {
  return typeof part === 'string' ? utf8Encode(part) : part;
}

/** What registration hashes with both implementations; every result must match byte for byte. */
const CHECK_VECTORS: readonly (readonly DigestPart[])[] = [
  [],
  ['abc'],
  [new Uint8Array([0x61]), 'b', new Uint8Array([0x63])],
  ['', new Uint8Array(0), 'x'],
  ['\u00e9\u20ac\u{10ffff}\u{1f600}'],
  ['a\ud800b', '\udc00', '\ud83d', '\ude00', '\ud83d\ude00'],
  [new Uint8Array(200).fill(0xa5), 'q'.repeat(130)],
];

/** One pluggable hash function: `useName` is how refusals name the registering call (`useSha256`, `useSm3`). */
export class PluggableDigest {
  #active: DigestImplementation;

  constructor(
    readonly useName: string,
    readonly fallback: DigestImplementation,
  ) {
    this.#active = fallback;
  }

  /** Registers `implementation` after checking it against the default; `undefined` restores the default. */
  use(implementation: DigestImplementation | undefined): void {
    if (implementation === undefined) {
      this.#active = this.fallback;
      return;
    }
    if (typeof implementation !== 'function') {
      throw new TypeError(`${this.useName}: implementation must be a function, got ${typeof implementation}`);
    }
    for (const vector of CHECK_VECTORS) this.#check(implementation, vector);
    this.#active = implementation;
  }

  get implementation(): DigestImplementation {
    return this.#active;
  }

  ofParts(parts: readonly DigestPart[]): Uint8Array {
    return this.#active(parts);
  }

  #check(implementation: DigestImplementation, vector: readonly DigestPart[]): void {
    const expected = bytesToHex(this.fallback(vector));
    let digest: unknown;
    try {
      digest = implementation(vector);
    } catch (error) {
      throw new TypeError(`${this.useName}: implementation threw on a check vector: ${String(error)}`);
    }
    if (!(digest instanceof Uint8Array) || Object.getPrototypeOf(digest) !== Uint8Array.prototype) {
      throw new TypeError(`${this.useName}: implementation must return a plain Uint8Array (not a subclass)`);
    }
    if (bytesToHex(digest) !== expected) {
      throw new TypeError(
        `${this.useName}: implementation gives ${bytesToHex(digest)} for a check vector whose digest is ${expected}`,
      );
    }
  }
}
