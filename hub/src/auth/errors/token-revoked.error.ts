import { AuthError } from './auth.error';

export class TokenRevokedError extends AuthError {
  readonly code = 'AUTH_TOKEN_REVOKED';
  readonly status = 401;

  constructor(
    readonly jti: string,
    readonly revokedAt: Date,
    readonly reason: string | null,
  ) {
    super(
      `bearer token ${jti} was revoked at ${revokedAt.toISOString()}${reason === null ? '' : `: ${reason}`}`,
    );
    this.name = 'TokenRevokedError';
  }
}
