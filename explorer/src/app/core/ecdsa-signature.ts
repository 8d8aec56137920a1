/**
 * ECDSA P-256 signatures as Fabric writes them (DER `SEQUENCE {r, s}`, low S) and as WebCrypto reads them
 * (IEEE P1363 `r || s`, 32 bytes each).
 */
import {
  DER_TAG,
  DerError,
  concatBytes,
  derChildren,
  derContent,
  derEncode,
  readDer,
  unsignedIntegerContent,
} from './der';

/** Order of the P-256 group. */
export const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const HALF_N = P256_N / 2n;
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
  if (rest !== 0n) throw new DerError('signature component wider than 32 bytes');
  return out;
}

/** r and s of a DER ECDSA signature; throws DerError on anything else. */
export function derSignatureComponents(signature: Uint8Array): { r: bigint; s: bigint } {
  const root = readDer(signature);
  if (root.tag !== DER_TAG.SEQUENCE || root.end !== signature.length)
    throw new DerError('not a signature SEQUENCE');
  const [r, s, extra] = derChildren(signature, root);
  if (!r || !s || extra || r.tag !== DER_TAG.INTEGER || s.tag !== DER_TAG.INTEGER) {
    throw new DerError('a signature is SEQUENCE { INTEGER r, INTEGER s }');
  }
  return { r: bigIntOf(derContent(signature, r)), s: bigIntOf(derContent(signature, s)) };
}

/** The IEEE P1363 form (r || s) of a DER ECDSA P-256 signature. */
export function derToP1363(signature: Uint8Array): Uint8Array {
  const { r, s } = derSignatureComponents(signature);
  return concatBytes(fixedWidth(r), fixedWidth(s));
}

/** The DER form of an IEEE P1363 (r || s) signature, with S normalised to the lower half as Fabric requires. */
export function p1363ToLowSDer(raw: Uint8Array): Uint8Array {
  const r = bigIntOf(raw.subarray(0, SIZE));
  let s = bigIntOf(raw.subarray(SIZE, 2 * SIZE));
  if (s > HALF_N) s = P256_N - s;
  return derEncode(
    DER_TAG.SEQUENCE,
    concatBytes(
      derEncode(DER_TAG.INTEGER, unsignedIntegerContent(r)),
      derEncode(DER_TAG.INTEGER, unsignedIntegerContent(s)),
    ),
  );
}

/** True when S is at most n/2 (Fabric refuses the malleable high-S twin). */
export function isLowS(signature: Uint8Array): boolean {
  try {
    return derSignatureComponents(signature).s <= HALF_N;
  } catch {
    return false;
  }
}
