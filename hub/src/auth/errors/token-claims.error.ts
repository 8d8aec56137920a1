import { AuthError } from './auth.error';

export interface ClaimIssue {
  /** The claim, e.g. `role`, `dept`. */
  readonly claim: string;
  readonly message: string;
}

/** Claims this hub does not know: an unknown role, region or department, an approver without department. */
export class TokenClaimsError extends AuthError {
  readonly code = 'AUTH_TOKEN_CLAIMS';
  readonly status = 401;

  constructor(readonly issues: readonly ClaimIssue[]) {
    super(`bearer token claims are not valid: ${issues.map((i) => `${i.claim}: ${i.message}`).join('; ')}`);
    this.name = 'TokenClaimsError';
  }
}
