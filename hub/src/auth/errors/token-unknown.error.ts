import { AuthError } from './auth.error';

/** Signed with this hub's key but not in its tokens table (e.g. the store was reset): refused. */
export class TokenUnknownError extends AuthError {
  readonly code = 'AUTH_TOKEN_UNKNOWN';
  readonly status = 401;

  constructor(readonly jti: string) {
    super(`bearer token ${jti} was not issued by this hub (not in its tokens table)`);
    this.name = 'TokenUnknownError';
  }
}
