import { TestBed } from '@angular/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthService, readTokenClaims } from './auth.service';

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('readTokenClaims', () => {
  it('reads region, role and department from a JWT-shaped token', () => {
    const token = `${b64url({ alg: 'HS256' })}.${b64url({ region: 'TJ', role: 'authority', dept: 'HC' })}.sig`;
    expect(readTokenClaims(token)).toEqual({ region: 'TJ', role: 'authority', dept: 'HC' });
  });

  it('reads a two-part payload.signature token', () => {
    expect(readTokenClaims(`${b64url({ region: 'BJ', role: 'auditor' })}.abc`)).toEqual({
      region: 'BJ',
      role: 'auditor',
    });
  });

  it('knows nothing of an opaque token, or of unknown roles and regions', () => {
    expect(readTokenClaims('opaque-random-token')).toEqual({});
    expect(readTokenClaims(b64url({ region: 'SH', role: 'king' }))).toEqual({});
  });
});

describe('AuthService', () => {
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.clear();
    TestBed.configureTestingModule({});
  });

  it('keeps the token in this tab’s sessionStorage and forgets it on sign-out', () => {
    const auth = TestBed.inject(AuthService);
    auth.signIn(`  ${b64url({ region: 'HE', role: 'auditor' })}.x \n`);
    expect(auth.signedIn()).toBe(true);
    expect(sessionStorage.getItem('approval-ledger.token')).toBe(
      `${b64url({ region: 'HE', role: 'auditor' })}.x`,
    );
    expect(auth.mayBe('auditor')).toBe(true);
    expect(auth.mayBe('authority')).toBe(false);
    auth.signOut(true);
    expect(auth.signedIn()).toBe(false);
    expect(auth.expired()).toBe(true);
    expect(sessionStorage.getItem('approval-ledger.token')).toBeNull();
  });

  it('lets a token without readable claims see every page (the hub decides)', () => {
    const auth = TestBed.inject(AuthService);
    auth.signIn('opaque');
    expect(auth.mayBe('auditor')).toBe(true);
  });
});
