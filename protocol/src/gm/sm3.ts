/**
 * SM3 (GB/T 32905-2016), pluggable as SHA-256 is (`../sha256.ts`): the pure-JavaScript default is sm-crypto-v2's
 * (a maintained implementation, built on @noble), so the explorer in a browser hashes exactly as the hub does; the
 * hub registers node:crypto's `sm3` (OpenSSL) once at start-up with {@link useSm3}, which checks it against the
 * default on fixed vectors first.
 */
import { sm3 as jsSm3Bytes } from 'sm-crypto-v2';
import { bytesToHex, concatBytes, hexToBytes } from '../bytes.js';
import {
  type DigestImplementation,
  type DigestPart,
  PluggableDigest,
  partBytes,
} from '../pluggable-digest.js';

/** An SM3 digest as this package writes it: 64 lower-case hex digits. */
export const SM3_HEX = /^[0-9a-f]{64}$/;

/** The default implementation: sm-crypto-v2 in pure JavaScript, strings through UTF-8 as `utf8Encode` does. */
export const jsSm3: DigestImplementation = (parts) => {
  const input = parts.length === 1 ? partBytes(parts[0] as DigestPart) : concatBytes(...parts.map(partBytes));
  // sm-crypto-v2 takes a Uint8Array as bytes (a string would be read as UTF-8 by its own encoder) and answers hex.
  // It tests `instanceof Uint8Array`, which bytes from another realm fail (jsdom's TextEncoder under a test
  // runner): those are copied into this realm's Uint8Array first.
  return hexToBytes(jsSm3Bytes(input instanceof Uint8Array ? input : new Uint8Array(input)));
};

const SM3 = new PluggableDigest('useSm3', jsSm3);

/** Registers a native SM3 (checked against {@link jsSm3}); `undefined` restores the default. */
export function useSm3(implementation: DigestImplementation | undefined): void {
  SM3.use(implementation);
}

/** The SM3 implementation in use. */
export function sm3Implementation(): DigestImplementation {
  return SM3.implementation;
}

/** SM3 of the concatenation of `parts` (strings as their UTF-8 bytes). */
export function sm3OfParts(parts: readonly DigestPart[]): Uint8Array {
  return SM3.ofParts(parts);
}

/** SM3 of bytes, or of a string's UTF-8 bytes. */
export function sm3(data: DigestPart): Uint8Array {
  return SM3.ofParts([data]);
}

/** Lower-case hex SM3 of bytes, or of a string's UTF-8 bytes. */
export function sm3Hex(data: DigestPart): string {
  return bytesToHex(SM3.ofParts([data]));
}
