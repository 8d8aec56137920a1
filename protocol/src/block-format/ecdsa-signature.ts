/**
 * ECDSA P-256 signatures as Fabric writes them (DER `SEQUENCE {r, s}`, low S) and as WebCrypto reads them
 * (IEEE P1363 `r || s`, 32 bytes each), converted by @noble/curves' strict DER codec.
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

/** The DER form of an IEEE P1363 (r || s) signature, with S normalised to the lower half as Fabric requires. */
export function ecdsaP1363ToLowSDer(raw: Uint8Array): Uint8Array {
  return p256.Signature.fromCompact(raw).normalizeS().toDERRawBytes();
}

/** True when a DER ECDSA P-256 signature has S at most n/2 (Fabric refuses the malleable high-S twin). */
export function isLowSSignature(signature: Uint8Array): boolean {
  try {
    return !p256.Signature.fromDER(signature).hasHighS();
  } catch {
    return false;
  }
}
