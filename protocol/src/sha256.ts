import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8Encode } from './bytes.js';

/** A SHA-256 digest as this package writes it: 64 lower-case hex digits, no prefix. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 of bytes, or of a string's UTF-8 bytes. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return nobleSha256(typeof data === 'string' ? utf8Encode(data) : data);
}

/** Lower-case hex SHA-256 of bytes, or of a string's UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(data));
}
