/**
 * Issues and verifies the hub's bearer tokens: compact JWS, EdDSA, claims `iss sub region role dept jti iat exp`.
 * Every issued token is recorded in the store's tokens table; verification checks signature, claims, time and
 * then the table (unknown or revoked tokens are refused). The table lookup is cached briefly per jti.
 */
import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';
import { randomUUID } from 'node:crypto';
import { type IssuedToken, type TokenRepository } from '../store';
import { authError } from './auth-error';
import { signTokenJws, verifiedTokenPayload } from './token-jws';
import { type Principal, principalOf, type TokenClaims, TokenClaimsSchema } from './principal';
import { type TokenSigningKey } from './token-signing-key';

export const TOKEN_ISSUER = 'approval-ledger-hub';
/** Default lifetime of an issued token: 24 hours. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Longest lifetime a token may be issued with: 366 days. */
export const MAX_TOKEN_TTL_SECONDS = 366 * 24 * 60 * 60;

export interface TokenServiceOptions {
  readonly key: TokenSigningKey;
  readonly tokens: TokenRepository;
  /** Tolerated clock difference for `iat` and `exp` (default 60 s). */
  readonly clockSkewSeconds?: number;
  /** How long a tokens-table answer is reused for a jti (default 5 s); a revocation by this service applies at once. */
  readonly cacheMs?: number;
  readonly now?: () => Date;
}

export interface IssueTokenRequest {
  readonly subject: string;
  readonly region: RegionCode;
  readonly role: Role;
  /** Required for approvers. */
  readonly dept?: DepartmentCode;
  /** Default {@link DEFAULT_TOKEN_TTL_SECONDS}. */
  readonly ttlSeconds?: number;
  /** Recorded with the token, e.g. `cli` or an admin's subject. */
  readonly issuedBy?: string;
}

export interface IssuedBearerToken {
  readonly token: string;
  readonly claims: TokenClaims;
  readonly principal: Principal;
}

interface CachedRecord {
  readonly record: IssuedToken;
  readonly until: number;
}

const CACHE_LIMIT = 10_000;

export class TokenService {
  readonly #key: TokenSigningKey;
  readonly #tokens: TokenRepository;
  readonly #skew: number;
  readonly #cacheMs: number;
  readonly #now: () => Date;
  readonly #cache = new Map<string, CachedRecord>();

  constructor(options: TokenServiceOptions) {
    this.#key = options.key;
    this.#tokens = options.tokens;
    this.#skew = options.clockSkewSeconds ?? 60;
    this.#cacheMs = options.cacheMs ?? 5_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** The key id tokens of this hub carry. */
  get kid(): string {
    return this.#key.kid;
  }

  /** Signs a token and records it; throws AUTH_TOKEN_CLAIMS for claims the protocol registries do not know. */
  async issue(request: IssueTokenRequest): Promise<IssuedBearerToken> {
    const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_TTL_SECONDS) {
      throw authError.claims([
        { claim: 'exp', message: `lifetime ${ttl} s is not 1..${MAX_TOKEN_TTL_SECONDS} s` },
      ]);
    }
    const iat = Math.floor(this.#now().getTime() / 1000);
    const claims = parseClaims({
      iss: TOKEN_ISSUER,
      sub: request.subject,
      region: request.region,
      role: request.role,
      ...(request.dept === undefined ? {} : { dept: request.dept }),
      jti: randomUUID(),
      iat,
      exp: iat + ttl,
    });
    const token = await signTokenJws(claims, this.#key.kid, this.#key.privateKey);
    const principal = principalOf(claims);
    await this.#tokens.record({
      jti: principal.jti,
      subject: principal.subject,
      region: principal.region,
      role: principal.role,
      dept: principal.dept,
      issuedAt: principal.issuedAt,
      expiresAt: principal.expiresAt,
      issuedBy: request.issuedBy ?? null,
    });
    return { token, claims, principal };
  }

  /** The caller of a bearer token, or the AuthError saying why not. */
  async verify(token: string): Promise<Principal> {
    const principal = await this.verifySignedClaims(token);
    const record = await this.#record(principal.jti);
    if (record === undefined) throw authError.unknown(principal.jti);
    if (record.revokedAt !== null)
      throw authError.revoked(principal.jti, record.revokedAt, record.revokedReason);
    return principal;
  }

  /** Signature, claims and validity period only, without the tokens table (no I/O). */
  async verifySignedClaims(token: string): Promise<Principal> {
    const payload = await verifiedTokenPayload(token, this.#key.kid, this.#key.publicKey);
    const principal = principalOf(parseClaims(payload));
    const now = this.#now().getTime();
    if (principal.expiresAt.getTime() + this.#skew * 1000 <= now) {
      throw authError.expired(principal.jti, principal.expiresAt);
    }
    if (principal.issuedAt.getTime() - this.#skew * 1000 > now) {
      throw authError.notYetValid(principal.jti, principal.issuedAt);
    }
    return principal;
  }

  /** Revokes a token by jti; false when it is unknown or already revoked. */
  async revoke(jti: string, reason: string, at: Date = this.#now()): Promise<boolean> {
    this.#cache.delete(jti);
    const revoked = await this.#tokens.revoke(jti, at, reason);
    this.#cache.delete(jti);
    return revoked;
  }

  async #record(jti: string): Promise<IssuedToken | undefined> {
    const now = Date.now();
    const cached = this.#cache.get(jti);
    if (cached !== undefined && cached.until > now) return cached.record;
    const record = await this.#tokens.findByJti(jti);
    if (record === undefined) return undefined; // not cached: it may be being issued by another process
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(jti, { record, until: now + this.#cacheMs });
    return record;
  }
}

function parseClaims(value: unknown): TokenClaims {
  const result = TokenClaimsSchema.safeParse(value);
  if (result.success) return result.data;
  throw authError.claims(
    result.error.issues.map((issue) => ({
      claim: issue.path.join('.') || '(claims)',
      message: issue.message,
    })),
  );
}
