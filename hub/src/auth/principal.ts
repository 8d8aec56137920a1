/** Who is calling: the verified claims of a bearer token. */
import {
  DepartmentSchema,
  type DepartmentCode,
  RegionSchema,
  type RegionCode,
  RoleSchema,
  type Role,
} from '@approval-ledger/protocol';
import { z } from 'zod';

/** The claims of a hub bearer token (JWT names). */
export const TokenClaimsSchema = z
  .object({
    iss: z.string().min(1).max(200),
    sub: z.string().min(1).max(200),
    region: RegionSchema,
    role: RoleSchema,
    dept: DepartmentSchema.optional(),
    jti: z.string().min(1).max(64),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
  })
  .superRefine((claims, ctx) => {
    if (claims.role === 'approver' && claims.dept === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dept'], message: 'an approver token names its department' });
    }
    if (claims.exp <= claims.iat) {
      ctx.addIssue({ code: 'custom', path: ['exp'], message: 'expires before it is issued' });
    }
  });

export type TokenClaims = z.infer<typeof TokenClaimsSchema>;

export interface Principal {
  readonly subject: string;
  readonly region: RegionCode;
  readonly role: Role;
  /** Required for approvers; may be set for others. */
  readonly dept: DepartmentCode | null;
  readonly jti: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export function principalOf(claims: TokenClaims): Principal {
  return {
    subject: claims.sub,
    region: claims.region,
    role: claims.role,
    dept: claims.dept ?? null,
    jti: claims.jti,
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(claims.exp * 1000),
  };
}
