// The public surface of the hub's authentication and authorisation.
export {
  ACCESS_RULES,
  ROUTE_KEYS,
  assertAccess,
  checkAccess,
  rolesAllowed,
  sensitiveReadRefusal,
  type AccessDecision,
  type AccessRule,
  type AccessScope,
  type AuditKind,
  type ResourceScope,
  type RouteKey,
  type SensitiveRecordScope,
} from './access-rules';
export {
  actorOf,
  createAuth,
  type Auth,
  type AuthDependencies,
  type AuthenticateOptions,
  type ResourcesOf,
} from './auth.middleware';
export {
  AuthError,
  authError,
  isAuthError,
  type AccessDeniedReason,
  type AuthErrorCode,
  type AuthErrorFacts,
  type ClaimIssue,
} from './auth-error';
export { JWS_ALGORITHM, signTokenJws } from './token-jws';
export { principalOf, TokenClaimsSchema, type Principal, type TokenClaims } from './principal';
export {
  generateTokenSigningKey,
  SigningKeyError,
  loadOrCreateTokenSigningKey,
  tokenSigningKeyPath,
  type TokenSigningKey,
} from './token-signing-key';
export {
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  TOKEN_ISSUER,
  TokenService,
  type IssueTokenRequest,
  type IssuedBearerToken,
  type TokenServiceOptions,
} from './token.service';
