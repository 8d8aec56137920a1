import { AuthError } from './auth.error';

/** The signature does not verify under this hub's key: the token was altered. */
export class TokenSignatureError extends AuthError {
  readonly code = 'AUTH_TOKEN_BAD_SIGNATURE';
  readonly status = 401;

  constructor() {
    super('bearer token signature does not verify: the token was altered');
    this.name = 'TokenSignatureError';
  }
}
