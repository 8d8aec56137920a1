import { AuthError } from './auth.error';

/** The route needs a bearer token and none was sent (or not as `Authorization: Bearer <token>`). */
export class TokenMissingError extends AuthError {
  readonly code = 'AUTH_TOKEN_MISSING';
  readonly status = 401;

  constructor(readonly detail = 'this route needs Authorization: Bearer <token> (see `ledger token`)') {
    super(detail);
    this.name = 'TokenMissingError';
  }
}
