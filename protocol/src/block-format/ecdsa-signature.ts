/**
 * ECDSA P-256 signatures as Fabric writes them (DER `SEQUENCE {r, s}`, low S) and as WebCrypto reads them
 * (IEEE P1363 `r || s`, 32 bytes each).
 */
import { DER_TAG, DerError, children, expectTag, integerValue, readWhole } from '../proof/der.js';
import { concatBytes, derEncode, derSequence, unsignedIntegerContent } from './der-writer.js';

/** Order of the P-256 group. */
export const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const HALF_ORDER = P256_ORDER / 2n;
const SIZE = 32;

function bigIntOf(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function fixedWidth(value: bigint): Uint8Array {
  const out = new Uint8Array(SIZE);
  let rest = value;
  for (let i = SIZE - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new DerError('DER: signature component wider than 32 bytes');
  return out;
}

/** r and s of a DER ECDSA signature; throws DerError for anything else. */
export function ecdsaSignatureComponents(signature: Uint8Array): { r: bigint; s: bigint } {
  const [r, s, extra] = children(readWhole(signature, DER_TAG.SEQUENCE));
  if (extra) throw new DerError('DER: a signature is SEQUENCE { INTEGER r, INTEGER s }');
  return {
    r: integerValue(expectTag(r, DER_TAG.INTEGER)),
    s: integerValue(expectTag(s, DER_TAG.INTEGER)),
  };
}

/** The IEEE P1363 form (r || s) of a DER ECDSA P-256 signature, as WebCrypto verifies it. */
export function ecdsaDerToP1363(signature: Uint8Array): Uint8Array {
  const { r, s } = ecdsaSignatureComponents(signature);
  return concatBytes(fixedWidth(r), fixedWidth(s));
}

/** The DER form of an IEEE P1363 (r || s) signature, with S normalised to the lower half as Fabric requires. */
export function ecdsaP1363ToLowSDer(raw: Uint8Array): Uint8Array {
  const r = bigIntOf(raw.subarray(0, SIZE));
  let s = bigIntOf(raw.subarray(SIZE, 2 * SIZE));
  if (s > HALF_ORDER) s = P256_ORDER - s;
  return derSequence(derEncode(0x02, unsignedIntegerContent(r)), derEncode(0x02, unsignedIntegerContent(s)));
}

/** n/2 as 32 big-endian bytes. */
const HALF_ORDER_BYTES = fixedWidth(HALF_ORDER);

/** Compares unsigned big-endian integers (leading zero bytes ignored): negative, zero or positive. */
function compareUnsigned(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  let j = 0;
  while (i < a.length && a[i] === 0) i++;
  while (j < b.length && b[j] === 0) j++;
  if (a.length - i !== b.length - j) return a.length - i - (b.length - j);
  for (; i < a.length; i++, j++) {
    const d = (a[i] as number) - (b[j] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when a DER ECDSA P-256 signature has S at most n/2 (Fabric refuses the malleable high-S twin). Compares
 * bytes, not big integers: it runs on every signature the committer and `verify-chain` check.
 */
export function isLowSSignature(signature: Uint8Array): boolean {
  try {
    const [r, s, extra] = children(readWhole(signature, DER_TAG.SEQUENCE));
    if (extra) return false;
    expectTag(r, DER_TAG.INTEGER);
    return compareUnsigned(expectTag(s, DER_TAG.INTEGER).value, HALF_ORDER_BYTES) <= 0;
  } catch {
    return false;
  }
}
