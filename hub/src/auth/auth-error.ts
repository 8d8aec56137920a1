/**
 * Every authentication or authorisation failure is one AuthError: a stable `code` from a closed union, the
 * HTTP status it maps to (401 for a missing or unusable token, 403 for a valid token without the right),
 * and the facts that code carries (typed per code). The `authError` constructors write the messages.
 */

/** Why a valid token may not do this. */
export type AccessDeniedReason = 'role' | 'region' | 'dept';

export interface ClaimIssue {
  /** The claim, e.g. `role`, `dept`. */
  readonly claim: string;
  readonly message: string;
}

/** What each code carries besides its message. */
export interface AuthErrorFacts {
  /** No bearer token, or not sent as `Authorization: Bearer <token>`. */
  readonly AUTH_TOKEN_MISSING: Record<string, never>;
  /** Not a compact JWS of this hub: wrong shape, bad base64url or JSON, or an algorithm other than EdDSA. */
  readonly AUTH_TOKEN_MALFORMED: { readonly reason: string };
  /** The signature does not verify under this hub's key: the token was altered. */
  readonly AUTH_TOKEN_BAD_SIGNATURE: Record<string, never>;
  /** Signed by another key than this hub's (another data dir, another region's hub, or a rotated key). */
  readonly AUTH_TOKEN_UNKNOWN_KEY: { readonly kid: string | undefined; readonly expectedKid: string };
  /** Claims this hub does not know: an unknown role, region or department, an approver without department. */
  readonly AUTH_TOKEN_CLAIMS: { readonly issues: readonly ClaimIssue[] };
  readonly AUTH_TOKEN_EXPIRED: { readonly jti: string; readonly at: Date };
  /** Issued in the future (beyond the allowed clock skew). */
  readonly AUTH_TOKEN_NOT_YET_VALID: { readonly jti: string; readonly at: Date };
  /** Signed with this hub's key but not in its tokens table (e.g. the store was reset). */
  readonly AUTH_TOKEN_UNKNOWN: { readonly jti: string };
  readonly AUTH_TOKEN_REVOKED: { readonly jti: string; readonly at: Date; readonly reason: string | null };
  /** A valid token whose role, region or department does not allow the request. */
  readonly AUTH_ACCESS_DENIED: {
    /** The route key of the access rule, e.g. `POST /milestones`. */
    readonly route: string;
    readonly reason: AccessDeniedReason;
  };
}

export type AuthErrorCode = keyof AuthErrorFacts;

export class AuthError<C extends AuthErrorCode = AuthErrorCode> extends Error {
  readonly status: 401 | 403;

  constructor(
    readonly code: C,
    message: string,
    readonly facts: AuthErrorFacts[C],
  ) {
    super(message);
    this.name = 'AuthError';
    this.status = code === 'AUTH_ACCESS_DENIED' ? 403 : 401;
  }

  /** Narrows to one code, so its facts are typed. */
  is<K extends AuthErrorCode>(code: K): this is AuthError<K> {
    return (this.code as string) === code;
  }
}

const NONE: Record<string, never> = {};

/** The one place the messages are written. */
export const authError = {
  missing: (detail = 'this route needs Authorization: Bearer <token> (see `ledger token`)') =>
    new AuthError('AUTH_TOKEN_MISSING', detail, NONE),
  malformed: (reason: string) =>
    new AuthError('AUTH_TOKEN_MALFORMED', `malformed bearer token: ${reason}`, { reason }),
  badSignature: () =>
    new AuthError(
      'AUTH_TOKEN_BAD_SIGNATURE',
      'bearer token signature does not verify: the token was altered',
      NONE,
    ),
  unknownKey: (kid: string | undefined, expectedKid: string) =>
    new AuthError(
      'AUTH_TOKEN_UNKNOWN_KEY',
      `bearer token was signed by key ${kid ?? '(none named)'}, not by this hub's key ${expectedKid}; ` +
        'get a token from this hub (`ledger token` with its data dir)',
      { kid, expectedKid },
    ),
  claims: (issues: readonly ClaimIssue[]) =>
    new AuthError(
      'AUTH_TOKEN_CLAIMS',
      `bearer token claims are not valid: ${issues.map((i) => `${i.claim}: ${i.message}`).join('; ')}`,
      { issues },
    ),
  expired: (jti: string, at: Date) =>
    new AuthError('AUTH_TOKEN_EXPIRED', `bearer token ${jti} expired at ${at.toISOString()}`, { jti, at }),
  notYetValid: (jti: string, at: Date) =>
    new AuthError(
      'AUTH_TOKEN_NOT_YET_VALID',
      `bearer token ${jti} is issued at ${at.toISOString()}, in the future`,
      { jti, at },
    ),
  unknown: (jti: string) =>
    new AuthError(
      'AUTH_TOKEN_UNKNOWN',
      `bearer token ${jti} was not issued by this hub (not in its tokens table)`,
      { jti },
    ),
  revoked: (jti: string, at: Date, reason: string | null) =>
    new AuthError(
      'AUTH_TOKEN_REVOKED',
      `bearer token ${jti} was revoked at ${at.toISOString()}${reason === null ? '' : `: ${reason}`}`,
      { jti, at, reason },
    ),
  accessDenied: (route: string, reason: AccessDeniedReason, detail: string) =>
    new AuthError('AUTH_ACCESS_DENIED', detail, { route, reason }),
} as const;

/** `instanceof AuthError`, typed over every code (a bare `instanceof` of the generic class yields `AuthError<any>`). */
export function isAuthError(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
