import { AuthError } from './auth.error';

/** Signed by another key than this hub's (another data dir, another region's hub, or a rotated key). */
export class TokenUnknownKeyError extends AuthError {
  readonly code = 'AUTH_TOKEN_UNKNOWN_KEY';
  readonly status = 401;

  constructor(
    readonly kid: string | undefined,
    readonly expectedKid: string,
  ) {
    super(
      `bearer token was signed by key ${kid ?? '(none named)'}, not by this hub's key ${expectedKid}; ` +
        'get a token from this hub (`ledger token` with its data dir)',
    );
    this.name = 'TokenUnknownKeyError';
  }
}
