/**
 * The bearer token's envelope: a compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), signed and checked
 * by `jose`. Only the envelope lives here (algorithm, key id, signature); the claims are checked by the token
 * service against the protocol's registries.
 */
import { type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, errors } from 'jose';
import { authError } from './auth-error';

export const JWS_ALGORITHM = 'EdDSA';

/** Signs claims as a compact JWS with header `{alg: EdDSA, typ: JWT, kid}`. */
export async function signTokenJws(claims: object, kid: string, privateKey: KeyObject): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(claims)))
    .setProtectedHeader({ alg: JWS_ALGORITHM, typ: 'JWT', kid })
    .sign(privateKey);
}

/**
 * The payload of a token signed by this key, parsed as JSON; throws the AuthError that says why not
 * (malformed, another algorithm, another key id, a signature that does not verify).
 */
export async function verifiedTokenPayload(
  token: string,
  kid: string,
  publicKey: KeyObject,
): Promise<unknown> {
  const header = protectedHeaderOf(token);
  if (header.alg !== JWS_ALGORITHM) {
    throw authError.malformed(`algorithm ${JSON.stringify(header.alg)} is not ${JWS_ALGORITHM}`);
  }
  if (header.kid !== kid)
    throw authError.unknownKey(typeof header.kid === 'string' ? header.kid : undefined, kid);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, publicKey, { algorithms: [JWS_ALGORITHM] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw authError.badSignature();
    if (error instanceof errors.JOSEError) throw authError.malformed(error.message);
    throw error;
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as unknown;
  } catch {
    throw authError.malformed('payload is not JSON');
  }
}

const PART_NAMES = ['header', 'payload', 'signature'] as const;

/** The protected header, once the token has the shape of a compact JWS (three non-empty base64url parts). */
function protectedHeaderOf(token: string): { alg?: unknown; kid?: unknown } {
  const parts = token.split('.');
  if (parts.length !== 3) throw authError.malformed(`expected 3 dot-separated parts, got ${parts.length}`);
  parts.forEach((part, i) => {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) throw authError.malformed(`${PART_NAMES[i]} is not base64url`);
  });
  try {
    return decodeProtectedHeader(token);
  } catch (error) {
    throw authError.malformed(error instanceof Error ? `header: ${error.message}` : 'header is not JSON');
  }
}
