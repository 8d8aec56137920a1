/** Bearer tokens the hub issued (their claims, never the token), for audit and revocation. */
import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';

export interface IssuedToken {
  readonly jti: string;
  readonly subject: string;
  readonly region: RegionCode;
  readonly role: Role;
  readonly dept: DepartmentCode | null;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** Who issued it (`cli`, an admin's subject). */
  readonly issuedBy: string | null;
  readonly revokedAt: Date | null;
  readonly revokedReason: string | null;
}

export interface TokenListOptions {
  readonly subject?: string;
  /** Only tokens neither expired nor revoked at this time. */
  readonly activeAt?: Date;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}

export interface TokenRepository {
  /** Records an issued token; a jti is recorded once (a second time throws). */
  record(token: Omit<IssuedToken, 'revokedAt' | 'revokedReason'>): Promise<void>;
  findByJti(jti: string): Promise<IssuedToken | undefined>;
  /** Revokes a token; false when the jti is unknown or already revoked. */
  revoke(jti: string, at: Date, reason: string): Promise<boolean>;
  /** Most recently issued first. */
  list(options?: TokenListOptions): Promise<IssuedToken[]>;
}
