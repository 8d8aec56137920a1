import { AuthError } from './auth.error';

/** Not a compact JWS of this hub: wrong shape, bad base64url or JSON, or an algorithm other than EdDSA. */
export class TokenMalformedError extends AuthError {
  readonly code = 'AUTH_TOKEN_MALFORMED';
  readonly status = 401;

  constructor(readonly reason: string) {
    super(`malformed bearer token: ${reason}`);
    this.name = 'TokenMalformedError';
  }
}
