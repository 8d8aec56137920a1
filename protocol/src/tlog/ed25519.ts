/**
 * The Ed25519 seam of the tlog module: note and cosignature verification call {@link ed25519Verify}, which is
 * pure JavaScript (@noble/curves, already a dependency for P-256) unless a native one is registered with
 * {@link useEd25519} (the hub registers node:crypto). A registered function is checked against RFC 8032's
 * test 1 (and a tampered copy) before it is used, as `useCryptoSuite` checks a P-256 suite.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { hexToBytes } from '../bytes.js';

/** True when `signature` (64 bytes) is `publicKey`'s (32 bytes) Ed25519 signature of `message`; never throws. */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** RFC 8032 (pure Ed25519), strict: non-canonical encodings are refused, as node:crypto and Go refuse them. */
export const jsEd25519Verify: Ed25519Verify = (publicKey, message, signature) => {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

let active: Ed25519Verify = jsEd25519Verify;

// RFC 8032 section 7.1, TEST 1 (empty message)
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

/** Registers the Ed25519 verification the tlog module uses; `undefined` restores {@link jsEd25519Verify}. */
export function useEd25519(verify: Ed25519Verify | undefined): void {
  if (verify === undefined) {
    active = jsEd25519Verify;
    return;
  }
  const publicKey = hexToBytes(RFC8032_PUBLIC);
  const signature = hexToBytes(RFC8032_SIGNATURE);
  if (!verify(publicKey, new Uint8Array(0), signature) || verify(publicKey, new Uint8Array([0]), signature)) {
    throw new TypeError('useEd25519: the function does not verify RFC 8032 test 1 correctly');
  }
  active = verify;
}

/** Verifies with the registered Ed25519 ({@link jsEd25519Verify} by default). */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return active(publicKey, message, signature);
}
