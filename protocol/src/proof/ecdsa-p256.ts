/** ECDSA P-256 / SHA-256 verification of DER signatures, as Fabric signs, with @noble/curves (pure JS). */
import { p256 } from '@noble/curves/p256';
import { sha256 } from '../sha256.js';

/**
 * True when `signature` (DER) is a valid ECDSA P-256 signature of SHA-256(`message`) by `publicKey` (SEC1).
 * `lowS` (default true) also requires S <= n/2, as Fabric does for transaction and block signatures.
 * Never throws: malformed keys or signatures are simply not valid.
 */
export function verifyP256(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: { lowS?: boolean } = {},
): boolean {
  try {
    return p256.verify(signature, sha256(message), publicKey, {
      prehash: false,
      lowS: options.lowS ?? true,
      format: 'der',
    });
  } catch {
    return false;
  }
}
