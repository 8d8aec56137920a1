import { AuthError } from './auth.error';

export class TokenExpiredError extends AuthError {
  readonly code = 'AUTH_TOKEN_EXPIRED';
  readonly status = 401;

  constructor(
    readonly expiredAt: Date,
    readonly jti: string,
  ) {
    super(`bearer token ${jti} expired at ${expiredAt.toISOString()}`);
    this.name = 'TokenExpiredError';
  }
}
