import { Injectable, computed, signal } from '@angular/core';
import { type DepartmentCode, type RegionCode, type Role } from '@approval-ledger/protocol';

/** What a bearer token says about its holder, when it can be read (the hub's tokens are opaque otherwise). */
export interface TokenClaims {
  readonly region?: RegionCode;
  readonly role?: Role;
  readonly dept?: DepartmentCode;
}

const STORAGE_KEY = 'approval-ledger.token';
const ROLES: readonly string[] = ['approver', 'authority', 'admin', 'auditor'];
const REGIONS: readonly string[] = ['BJ', 'TJ', 'HE'];

/**
 * Reads region, role and department from a token whose payload is base64url JSON (a JWT or a
 * `<payload>.<signature>` token). The explorer only uses them to tailor its navigation; the hub decides.
 */
export function readTokenClaims(token: string): TokenClaims {
  for (const part of token.split('.')) {
    const claims = decodeClaims(part);
    if (claims) return claims;
  }
  return {};
}

function decodeClaims(part: string): TokenClaims | undefined {
  try {
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const json = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))),
    ) as unknown;
    if (typeof json !== 'object' || json === null) return undefined;
    const { region, role, dept } = json as Record<string, unknown>;
    if (!ROLES.includes(String(role)) && !REGIONS.includes(String(region))) return undefined;
    return {
      ...(REGIONS.includes(String(region)) ? { region: region as RegionCode } : {}),
      ...(ROLES.includes(String(role)) ? { role: role as Role } : {}),
      ...(typeof dept === 'string' ? { dept: dept as DepartmentCode } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The bearer token pasted at sign-in, kept in this tab's sessionStorage only. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  readonly #token = signal<string | null>(readStoredToken());
  readonly token = this.#token.asReadonly();
  readonly signedIn = computed(() => this.#token() !== null);
  readonly claims = computed<TokenClaims>(() => {
    const token = this.#token();
    return token ? readTokenClaims(token) : {};
  });
  /** Set when the hub refused the token, so the sign-in page can say why. */
  readonly expired = signal(false);

  signIn(token: string): void {
    const trimmed = token.trim();
    if (!trimmed) return;
    this.#token.set(trimmed);
    this.expired.set(false);
    writeStoredToken(trimmed);
  }

  signOut(expired = false): void {
    this.#token.set(null);
    this.expired.set(expired);
    writeStoredToken(null);
  }

  /** True when the reader may hold this role; unknown claims allow everything (the hub still decides). */
  mayBe(...roles: Role[]): boolean {
    const role = this.claims().role;
    return role === undefined || roles.includes(role);
  }
}

function readStoredToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function writeStoredToken(token: string | null): void {
  try {
    if (token === null) globalThis.sessionStorage?.removeItem(STORAGE_KEY);
    else globalThis.sessionStorage?.setItem(STORAGE_KEY, token);
  } catch {
    // storage may be disabled: the token then lives in memory for this page only
  }
}
