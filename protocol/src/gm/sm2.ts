/**
 * SM2 digital signatures (GB/T 32918.2-2016) on the recommended curve sm2p256v1 (GB/T 32918.5-2017), with the
 * signer's identity hash Z_A (GB/T 32918.2 §5.5) and, unless told otherwise, the default user ID of GB/T 35276-2017
 * §5.4.4 / GM/T 0009: `1234567812345678`.
 *
 * Curve arithmetic is @noble/curves' (`weierstrassN`, audited, constant-time scalar multiplication); the steps of
 * the algorithm (A1–A7 to sign, B1–B7 to verify) are written here after the standard, so every one of them is in
 * view, and checked against an independent implementation (sm-crypto-v2), OpenSSL and published vectors in
 * `sm2.test.ts`. Node's OpenSSL cannot stand in for this code: node:crypto gives no way to set the SM2 user ID and
 * its OpenSSL (3.0) signs and verifies with an EMPTY ID, not GB/T 35276's default, so its signatures are not what a
 * Chinese verifier expects (`sm2.test.ts` shows it).
 */
import { invert, mod } from '@noble/curves/abstract/modular';
import { DER, weierstrassN } from '@noble/curves/abstract/weierstrass';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils';
import { randomBytes } from '@noble/hashes/utils';
import { bytesToHex, concatBytes, hexToBytes, utf8Encode } from '../bytes.js';
import { sm3OfParts } from './sm3.js';

/** GB/T 35276-2017 §5.4.4: the user ID when none is agreed. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** OID of the SM2 curve (sm2p256v1) in an X.509 `SubjectPublicKeyInfo` (GM/T 0006). */
export const SM2_CURVE_OID = '1.2.156.10197.1.301';
/** OID of SM2-with-SM3 signatures in X.509 (GM/T 0006). */
export const SM2_WITH_SM3_OID = '1.2.156.10197.1.501';

/** sm2p256v1, GB/T 32918.5-2017. */
const CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  h: 1n,
} as const;

/** The curve's points (@noble/curves), for the arithmetic below and for tests. */
export const Sm2Point = weierstrassN(CURVE);
const N = CURVE.n;

/** a mod n, in [0, n). */
const modN = (a: bigint): bigint => mod(a, N);
const bigintOf = bytesToNumberBE;
const bytes32 = (value: bigint): Uint8Array => numberToBytesBE(value, 32);

/** The uncompressed public key `04 ‖ x ‖ y` (65 bytes) of a 32-byte private key d, 1 ≤ d ≤ n − 2. */
export function sm2PublicKey(privateKey: Uint8Array): Uint8Array {
  return Sm2Point.BASE.multiply(privateScalar(privateKey)).toBytes(false);
}

function privateScalar(privateKey: Uint8Array): bigint {
  if (privateKey.length !== 32)
    throw new TypeError(`SM2 private key: 32 bytes expected, got ${privateKey.length}`);
  const d = bigintOf(privateKey);
  // GB/T 32918.1 §6.1: d ∈ [1, n−2] (d = n−1 would make 1 + d non-invertible).
  if (d < 1n || d > N - 2n) throw new RangeError('SM2 private key: d must lie in [1, n-2]');
  return d;
}

/** A new random private key (32 bytes, uniformly in [1, n−2]). */
export function sm2RandomPrivateKey(): Uint8Array {
  for (;;) {
    const candidate = randomBytes(32);
    const d = bigintOf(candidate);
    if (d >= 1n && d <= N - 2n) return candidate;
  }
}

/**
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5): ENTL_A is the bit length of ID_A in
 * two bytes, big-endian; field elements are 32 bytes each. `userId` is a string (its UTF-8 bytes) or bytes.
 */
export function sm2Za(publicKey: Uint8Array, userId: string | Uint8Array = SM2_DEFAULT_USER_ID): Uint8Array {
  const id = typeof userId === 'string' ? utf8Encode(userId) : userId;
  const bits = id.length * 8;
  if (bits > 0xffff) throw new RangeError('SM2 user ID: at most 8191 bytes');
  const point = Sm2Point.fromBytes(publicKey);
  const { x, y } = point.toAffine();
  return sm3OfParts([
    new Uint8Array([bits >> 8, bits & 0xff]),
    id,
    bytes32(CURVE.a),
    bytes32(CURVE.b),
    bytes32(CURVE.Gx),
    bytes32(CURVE.Gy),
    bytes32(x),
    bytes32(y),
  ]);
}

/**
 * A verified public key, remembered: its point (checked once), its Z_A for the default user ID and, from its second
 * use on, wNAF tables (window 8) that make its scalar multiplication several times faster. A ledger verifies the
 * same few peer, orderer and client keys over and over; the tables cost about ten verifications once.
 */
interface KnownKey {
  readonly point: InstanceType<typeof Sm2Point>;
  readonly za: Uint8Array;
  uses: number;
}
const KNOWN_KEYS_LIMIT = 256;
const knownKeys = new Map<string, KnownKey>();

function knownKey(publicKey: Uint8Array): KnownKey {
  const id = bytesToHex(publicKey);
  let key = knownKeys.get(id);
  if (!key) {
    const point = Sm2Point.fromBytes(publicKey);
    point.assertValidity();
    if (knownKeys.size >= KNOWN_KEYS_LIMIT) knownKeys.clear();
    key = { point, za: sm2Za(publicKey), uses: 0 };
    knownKeys.set(id, key);
  }
  if (++key.uses === 2) key.point.precompute(8, false); // eager: a lazy table is never built by multiplyUnsafe
  return key;
}

/** Z_A of a known key: remembered for the default user ID, computed for another. */
function zaOf(
  key: KnownKey,
  publicKey: Uint8Array,
  userId: string | Uint8Array = SM2_DEFAULT_USER_ID,
): Uint8Array {
  return userId === SM2_DEFAULT_USER_ID ? key.za : sm2Za(publicKey, userId);
}

export interface Sm2Options {
  /** The signer's user ID (UTF-8 string or bytes); default {@link SM2_DEFAULT_USER_ID}. */
  readonly userId?: string | Uint8Array;
}

/** The SM2 signature of `message` by `privateKey`, DER `SEQUENCE { INTEGER r, INTEGER s }` (GM/T 0009). */
export function sm2Sign(privateKey: Uint8Array, message: Uint8Array, options: Sm2Options = {}): Uint8Array {
  return sm2Signer(privateKey, options)(message);
}

/**
 * A signing function for one key, {@link sm2Sign} with what depends on the key alone done once: d, the public key,
 * Z_A (A1) and (1 + d)⁻¹. Signing many messages with one key (a ledger's peers and orderer) then costs one scalar
 * multiplication each.
 */
export function sm2Signer(
  privateKey: Uint8Array,
  options: Sm2Options = {},
): (message: Uint8Array) => Uint8Array {
  const d = privateScalar(privateKey);
  const za = sm2Za(Sm2Point.BASE.multiply(d).toBytes(false), options.userId ?? SM2_DEFAULT_USER_ID);
  const inverse = invert(1n + d, N);
  return (message) => {
    const e = bigintOf(sm3OfParts([za, message])); // A1, A2
    for (;;) {
      const k = bigintOf(randomBytes(32)); // A3
      if (k < 1n || k >= N) continue;
      const x1 = Sm2Point.BASE.multiply(k).toAffine().x; // A4
      const r = modN(e + x1); // A5
      if (r === 0n || r + k === N) continue;
      const s = modN(inverse * (k - r * d)); // A6
      if (s === 0n) continue;
      return hexToBytes(DER.hexFromSig({ r, s })); // A7
    }
  };
}

/**
 * True when `signature` (strict DER) is `publicKey`'s SM2 signature of `message` with that user ID. False, never a
 * throw, for a malformed key or signature, or r or s outside [1, n−1].
 */
export function sm2Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: Sm2Options = {},
): boolean {
  let r: bigint;
  let s: bigint;
  let key: KnownKey;
  try {
    ({ r, s } = DER.toSig(signature));
    key = knownKey(publicKey);
  } catch {
    return false;
  }
  if (r < 1n || r >= N || s < 1n || s >= N) return false; // B1, B2
  const e = bigintOf(sm3OfParts([zaOf(key, publicKey, options.userId), message])); // B3, B4
  const point = key.point;
  const t = modN(r + s); // B5
  if (t === 0n) return false;
  const sum = Sm2Point.BASE.multiplyUnsafe(s).add(point.multiplyUnsafe(t)); // B6
  if (sum.is0()) return false;
  return modN(e + sum.toAffine().x) === r; // B7
}

/** The DER `SubjectPublicKeyInfo` of an SM2 public key: id-ecPublicKey with the sm2p256v1 curve OID. */
export function sm2Spki(publicKey: Uint8Array): Uint8Array {
  const point = Sm2Point.fromBytes(publicKey).toBytes(false);
  // SEQUENCE { SEQUENCE { 1.2.840.10045.2.1, 1.2.156.10197.1.301 }, BIT STRING 00 04‖x‖y }
  const prefix = hexToBytes('3059301306072a8648ce3d020106082a811ccf5501822d034200');
  return concatBytes(prefix, point);
}
