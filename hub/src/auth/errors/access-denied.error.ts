import { AuthError } from './auth.error';

/** Why a valid token may not do this. */
export type AccessDeniedReason = 'role' | 'region' | 'dept';

/** A valid token whose role, region or department does not allow the request. */
export class AccessDeniedError extends AuthError {
  readonly code = 'AUTH_ACCESS_DENIED';
  readonly status = 403;

  constructor(
    /** The route key of the access rule, e.g. `POST /milestones`. */
    readonly route: string,
    readonly reason: AccessDeniedReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'AccessDeniedError';
  }
}
