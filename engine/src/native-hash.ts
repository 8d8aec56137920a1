/**
 * Registers node:crypto's SHA-256 and SM3 as the protocol package's hashes (see `useSha256` in @approval-ledger/protocol),
 * on import, once per thread (each worker thread has its own copy of the protocol module, so worker entry files
 * import this too). Strings go to node:crypto as they are, encoded as UTF-8 there with no separate copy; Node
 * writes a lone surrogate as U+FFFD exactly as TextEncoder does, and registration re-checks that on fixed vectors.
 * Imported first by every hub entry point (index, main, the ledger CLI, the benches, the ledger's worker threads).
 * It registers node:crypto's signature verification as the verification core's suite too (`native-crypto-suite.ts`).
 */
import { createHash, hash as hashOnce } from 'node:crypto';
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
  return digestOf('sha256', parts);
}

/** SM3 of the concatenation of `parts` with node:crypto (OpenSSL); strings as UTF-8. */
export function nodeSm3(parts: readonly DigestPart[]): Uint8Array {
  return digestOf('sm3', parts);
}

/**
 * One part, or short text in parts (a commitment's `{"record":…,"salt":"…"}`), goes to node:crypto's one-shot
 * `hash`, joined first: no `Hash` object, stream state and handle per digest (3.5 -> 2.3 µs for a 1 KB record,
 * measured alone). Longer text in parts (a response hash over a transaction's read-write set) and parts that mix
 * text and bytes go through `createHash` and `update`, each as it is: joining copies the text once more, which
 * costs more than the `Hash` object saves beyond a few thousand characters (200,000 in two parts: 520 µs updated
 * part by part, 690 µs joined).
 */
function digestOf(algorithm: 'sha256' | 'sm3', parts: readonly DigestPart[]): Uint8Array {
  const whole = parts.length === 1 ? parts[0] : joinedText(parts);
  if (whole !== undefined) return bytesOf(hashOnce(algorithm, whole, 'buffer'));
  const hash = createHash(algorithm);
  for (const part of parts) {
    if (typeof part === 'string') hash.update(part, 'utf8');
    else hash.update(part);
  }
  return bytesOf(hash.digest());
}

/** Text in parts is joined up to this many UTF-16 code units (see `digestOf`). */
const MAX_JOINED_UNITS = 4096;

/**
 * The parts joined, when every one is text, together at most {@link MAX_JOINED_UNITS} long, and no part ends
 * with half of a surrogate pair whose other half begins the next (each part is UTF-8 on its own: two lone halves
 * are two U+FFFD, a pair joined would be one character); else undefined.
 */
function joinedText(parts: readonly DigestPart[]): string | undefined {
  let text = '';
  let last = 0;
  for (const part of parts) {
    if (typeof part !== 'string' || text.length + part.length > MAX_JOINED_UNITS) return undefined;
    if (isHighSurrogate(last) && isLowSurrogate(part.charCodeAt(0))) return undefined;
    if (part.length > 0) last = part.charCodeAt(part.length - 1);
    text += part;
  }
  return text;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** A digest as a plain Uint8Array over the Buffer's own memory (a Buffer deep-equals no Uint8Array). */
function bytesOf(digest: Buffer): Uint8Array {
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** Registers {@link nodeSha256} (and {@link nodeSm3} for the 国密 suite) with the protocol package unless they are. */
export function registerNativeSha256(): void {
  if (sha256Implementation() !== nodeSha256) useSha256(nodeSha256);
  if (sm3Implementation() !== nodeSm3) useSm3(nodeSm3);
}

registerNativeSha256();
registerNativeCryptoSuite();
