/** Compact JWS (RFC 7515) with EdDSA (RFC 8037, Ed25519) over node:crypto: what JWT libraries read. */
import { sign, verify, type KeyObject } from 'node:crypto';
import { TokenMalformedError } from './errors';

export const JWS_ALGORITHM = 'EdDSA';

export interface JwsHeader {
  readonly alg: typeof JWS_ALGORITHM;
  readonly typ: 'JWT';
  readonly kid: string;
}

export interface DecodedJws {
  readonly header: { readonly alg?: unknown; readonly kid?: unknown };
  readonly payload: unknown;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

export function signJws(header: JwsHeader, payload: object, privateKey: KeyObject): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signature = sign(null, Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Splits and decodes a compact JWS; throws TokenMalformedError for anything that is not one. */
export function decodeJws(token: string): DecodedJws {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new TokenMalformedError(`expected 3 dot-separated parts, got ${parts.length}`);
  const [header, payload, signature] = parts as [string, string, string];
  const decodedHeader = parseJson(header, 'header');
  if (typeof decodedHeader !== 'object' || decodedHeader === null || Array.isArray(decodedHeader)) {
    throw new TokenMalformedError('header is not a JSON object');
  }
  return {
    header: decodedHeader,
    payload: parseJson(payload, 'payload'),
    signingInput: Buffer.from(`${header}.${payload}`),
    signature: decodeBase64Url(signature, 'signature'),
  };
}

export function verifyJwsSignature(jws: DecodedJws, publicKey: KeyObject): boolean {
  return verify(null, jws.signingInput, publicKey, jws.signature);
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJson(part: string, name: string): unknown {
  try {
    return JSON.parse(decodeBase64Url(part, name).toString('utf8'));
  } catch (error) {
    if (error instanceof TokenMalformedError) throw error;
    throw new TokenMalformedError(`${name} is not JSON`);
  }
}

function decodeBase64Url(part: string, name: string): Buffer {
  if (part.length === 0 || !/^[A-Za-z0-9_-]+$/.test(part))
    throw new TokenMalformedError(`${name} is not base64url`);
  return Buffer.from(part, 'base64url');
}
