/**
 * Registers node:crypto's SHA-256 and SM3 as the protocol package's hashes (see `useSha256` in @approval-ledger/protocol),
 * on import, once per thread (each worker thread has its own copy of the protocol module, so worker entry files
 * import this too). Strings go to `Hash.update(text, 'utf8')` directly, with no separate UTF-8 copy; Node writes
 * a lone surrogate as U+FFFD exactly as TextEncoder does, and registration re-checks that on fixed vectors.
 * Imported first by every hub entry point (index, main, the ledger CLI, the benches, the ledger's worker threads).
 * It registers node:crypto's signature verification as the verification core's suite too (`native-crypto-suite.ts`).
 */
import { createHash } from 'node:crypto';
import {
  type DigestPart,
  type Sha256Part,
  sha256Implementation,
  sm3Implementation,
  useSha256,
  useSm3,
} from '@approval-ledger/protocol';
import { registerNativeCryptoSuite } from './native-crypto-suite';

/** SHA-256 of the concatenation of `parts` with node:crypto; strings as UTF-8. */
export function nodeSha256(parts: readonly Sha256Part[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(part, 'utf8');
    else hash.update(part);
  }
  return new Uint8Array(hash.digest());
}

/** SM3 of the concatenation of `parts` with node:crypto (OpenSSL); strings as UTF-8. */
export function nodeSm3(parts: readonly DigestPart[]): Uint8Array {
  const hash = createHash('sm3');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(part, 'utf8');
    else hash.update(part);
  }
  return new Uint8Array(hash.digest());
}

/** Registers {@link nodeSha256} (and {@link nodeSm3} for the 国密 suite) with the protocol package unless they are. */
export function registerNativeSha256(): void {
  if (sha256Implementation() !== nodeSha256) useSha256(nodeSha256);
  if (sm3Implementation() !== nodeSm3) useSm3(nodeSm3);
}

registerNativeSha256();
registerNativeCryptoSuite();
