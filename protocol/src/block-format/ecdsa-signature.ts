/**
 * ECDSA P-256 signatures as Fabric writes them (DER `SEQUENCE {r, s}`, low S) and as WebCrypto reads them
 * (IEEE P1363 `r || s`, 32 bytes each), converted by @noble/curves' strict DER codec. The two calls made for
 * every signature made or checked (`ecdsaP1363ToLowSDer`, `isLowSSignature`) work on the bytes: noble's codec
 * goes through hex text and bigints, about 6 µs a call against well under 1. A DER text the byte reader does
 * not take as canonical goes to noble's codec, so every verdict on it is noble's.
 */
import { p256 } from '@noble/curves/p256';
import { DerError } from '../proof/der.js';

/** Order of the P-256 group. */
export const P256_ORDER = p256.CURVE.n;

function parsed(signature: Uint8Array): InstanceType<typeof p256.Signature> {
  try {
    return p256.Signature.fromDER(signature);
  } catch (error) {
    throw new DerError(`DER: not an ECDSA signature SEQUENCE { INTEGER r, INTEGER s } (${String(error)})`);
  }
}

/** r and s of a DER ECDSA signature; throws DerError for anything else. */
export function ecdsaSignatureComponents(signature: Uint8Array): { r: bigint; s: bigint } {
  const { r, s } = parsed(signature);
  return { r, s };
}

/** The IEEE P1363 form (r || s) of a DER ECDSA P-256 signature, as WebCrypto verifies it. */
export function ecdsaDerToP1363(signature: Uint8Array): Uint8Array {
  return parsed(signature).toCompactRawBytes();
}

/** A scalar as 32 big-endian bytes. */
function scalarBytes(value: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  let v = value;
  for (let i = 31; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

const ORDER_BYTES = scalarBytes(P256_ORDER);
const HALF_ORDER_BYTES = scalarBytes(P256_ORDER >> 1n);

/**
 * Compares the unsigned big-endian integer `bytes[from, to)` with a 32-byte one: negative, zero or positive.
 * Leading zero bytes of the first are skipped; a first longer than 32 significant bytes is the larger.
 */
function compareScalar(bytes: Uint8Array, from: number, to: number, scalar: Uint8Array): number {
  let start = from;
  while (start < to && bytes[start] === 0) start++;
  const length = to - start;
  if (length !== 32) return length - 32; // scalars here are nonzero: an all-zero value is the smaller
  for (let i = 0; i < 32; i++) {
    const d = (bytes[start + i] as number) - (scalar[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** 1 <= bytes[from, to) < n: a valid r or s. */
function inScalarRange(bytes: Uint8Array, from: number, to: number): boolean {
  let nonZero = false;
  for (let i = from; i < to; i++) if (bytes[i] !== 0) nonZero = true;
  return nonZero && compareScalar(bytes, from, to, ORDER_BYTES) < 0;
}

/** Where the minimal DER INTEGER of the 32 bytes at `from` starts, and whether it needs a 0x00 before it. */
function integerStart(bytes: Uint8Array, from: number): { start: number; pad: number } {
  let start = from;
  while (start < from + 31 && bytes[start] === 0) start++;
  return { start, pad: (bytes[start] as number) & 0x80 ? 1 : 0 };
}

/** n - s into `out`, for 32-byte s with 0 < s < n. */
function negateScalar(raw: Uint8Array, from: number, out: Uint8Array): void {
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    let d = (ORDER_BYTES[i] as number) - (raw[from + i] as number) - borrow;
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 256;
    out[i] = d;
  }
}

/**
 * The DER form of an IEEE P1363 (r || s) signature, with S normalised to the lower half as Fabric requires.
 * Throws when `raw` is not 64 bytes or r or s is not in [1, n - 1], as noble's `fromCompact` does.
 */
export function ecdsaP1363ToLowSDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new Error(`compactSignature expected 64 bytes, got ${raw.length}`);
  if (!inScalarRange(raw, 0, 32)) throw new Error('r must be 0 < r < CURVE.n');
  if (!inScalarRange(raw, 32, 64)) throw new Error('s must be 0 < s < CURVE.n');
  let sBytes = raw;
  let sFrom = 32;
  if (compareScalar(raw, 32, 64, HALF_ORDER_BYTES) > 0) {
    sBytes = new Uint8Array(32);
    sFrom = 0;
    negateScalar(raw, 32, sBytes);
  }
  const r = integerStart(raw, 0);
  const s = integerStart(sBytes, sFrom);
  const rLength = 32 - r.start + r.pad;
  const sLength = sFrom + 32 - s.start + s.pad;
  const out = new Uint8Array(6 + rLength + sLength); // zero-filled: the pads are there already
  out[0] = 0x30;
  out[1] = 4 + rLength + sLength;
  out[2] = 0x02;
  out[3] = rLength;
  out.set(raw.subarray(r.start, 32), 4 + r.pad);
  const sAt = 4 + rLength;
  out[sAt] = 0x02;
  out[sAt + 1] = sLength;
  out.set(sBytes.subarray(s.start, sFrom + 32), sAt + 2 + s.pad);
  return out;
}

/**
 * Where r and s lie in a DER signature when it is canonical (short-form lengths, minimal positive INTEGERs of at
 * most 33 bytes, nothing after them); undefined for anything else.
 */
function canonicalParts(der: Uint8Array): { r: [number, number]; s: [number, number] } | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const integerAt = (at: number): [number, number] | undefined => {
    if (der[at] !== 0x02) return undefined;
    const length = der[at + 1] as number;
    const from = at + 2;
    if (length < 1 || length > 33 || from + length > der.length) return undefined;
    const first = der[from] as number;
    if (first & 0x80) return undefined; // negative
    if (first === 0 && length > 1 && !((der[from + 1] as number) & 0x80)) return undefined; // extra zero
    return [from, from + length];
  };
  const r = integerAt(2);
  if (!r) return undefined;
  const s = integerAt(r[1]);
  if (!s || s[1] !== der.length) return undefined;
  return { r, s };
}

/** True when a DER ECDSA P-256 signature has S at most n/2 (Fabric refuses the malleable high-S twin). */
export function isLowSSignature(signature: Uint8Array): boolean {
  const parts = canonicalParts(signature);
  if (parts) {
    const { r, s } = parts;
    return (
      inScalarRange(signature, r[0], r[1]) &&
      inScalarRange(signature, s[0], s[1]) &&
      compareScalar(signature, s[0], s[1], HALF_ORDER_BYTES) <= 0
    );
  }
  try {
    return !p256.Signature.fromDER(signature).hasHighS();
  } catch {
    return false;
  }
}
