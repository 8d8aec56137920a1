import { AuthError } from './auth.error';

/** Issued in the future (beyond the allowed clock skew). */
export class TokenNotYetValidError extends AuthError {
  readonly code = 'AUTH_TOKEN_NOT_YET_VALID';
  readonly status = 401;

  constructor(
    readonly issuedAt: Date,
    readonly jti: string,
  ) {
    super(`bearer token ${jti} is issued at ${issuedAt.toISOString()}, in the future`);
    this.name = 'TokenNotYetValidError';
  }
}
