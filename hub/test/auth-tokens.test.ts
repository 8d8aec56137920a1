// Bearer tokens: issue, verify, expiry, tampering, wrong key, revocation, and the signing key in the data dir.
import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthError,
  type AuthErrorCode,
  SigningKeyError,
  TokenService,
  type TokenSigningKey,
  generateTokenSigningKey,
  loadOrCreateTokenSigningKey,
  signTokenJws,
  tokenSigningKeyPath,
} from '../src/auth';
import { type Store } from '../src/store';
import { useStoreBackend } from './store-fixtures';
import { rejection } from './support/rejection';

/** The AuthError with this code, or a failed assertion. */
function failure<C extends AuthErrorCode>(error: unknown, code: C, label?: string): AuthError<C> {
  expect(error, label).to.be.instanceOf(AuthError);
  expect(error, label).to.include({ code });
  return error as AuthError<C>;
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('hub bearer tokens', function () {
  this.timeout(30_000);
  const harness = useStoreBackend('sqlite');
  let store: Store;
  let clock: Date;
  let key: TokenSigningKey;
  before(async () => {
    key = await generateTokenSigningKey();
  });
  const service = (): TokenService => new TokenService({ key, tokens: store.tokens, now: () => clock });

  beforeEach(async () => {
    store = await harness.open();
    clock = new Date('2025-03-06T08:00:00Z');
  });

  it('issues a compact EdDSA JWS whose claims name subject, region, role, department, jti and times', async () => {
    const issued = await service().issue({
      subject: 'zhang.wei',
      region: 'BJ',
      role: 'approver',
      dept: 'HC',
      ttlSeconds: 3600,
    });
    const [header, payload, signature] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).to.deep.equal({
      alg: 'EdDSA',
      typ: 'JWT',
      kid: key.kid,
    });
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).to.deep.equal(issued.claims);
    expect(Buffer.from(signature ?? '', 'base64url')).to.have.length(64);
    expect(issued.claims).to.include({
      iss: 'approval-ledger-hub',
      sub: 'zhang.wei',
      region: 'BJ',
      role: 'approver',
      dept: 'HC',
    });
    expect(issued.claims.exp - issued.claims.iat).to.equal(3600);
    expect(issued.claims.iat).to.equal(Date.parse('2025-03-06T08:00:00Z') / 1000);
  });

  it('verifies its own token into a principal and records it in the tokens table', async () => {
    const issued = await service().issue({
      subject: 'li.na',
      region: 'TJ',
      role: 'auditor',
      issuedBy: 'cli',
    });
    const principal = await service().verify(issued.token);
    expect(principal).to.deep.equal({
      subject: 'li.na',
      region: 'TJ',
      role: 'auditor',
      dept: null,
      jti: issued.claims.jti,
      issuedAt: new Date('2025-03-06T08:00:00Z'),
      expiresAt: new Date('2025-03-07T08:00:00Z'),
    });
    expect(await store.tokens.findByJti(issued.claims.jti)).to.deep.include({
      subject: 'li.na',
      issuedBy: 'cli',
      revokedAt: null,
    });
  });

  it('refuses an expired token, with its expiry time, after the clock-skew allowance', async () => {
    const issued = await service().issue({ subject: 'a', region: 'BJ', role: 'auditor', ttlSeconds: 600 });
    clock = new Date('2025-03-06T08:10:59Z');
    await service().verify(issued.token); // within 60 s of skew
    clock = new Date('2025-03-06T08:11:00Z');
    const error = await rejection(service().verify(issued.token));
    const expired = failure(error, 'AUTH_TOKEN_EXPIRED');
    expect(expired.status).to.equal(401);
    expect(expired.facts.jti).to.equal(issued.claims.jti);
    expect(expired.facts.at.toISOString()).to.equal('2025-03-06T08:10:00.000Z');
  });

  it('refuses a token issued in the future', async () => {
    clock = new Date('2025-03-06T09:00:00Z');
    const issued = await service().issue({ subject: 'a', region: 'BJ', role: 'auditor' });
    clock = new Date('2025-03-06T08:00:00Z');
    failure(await rejection(service().verify(issued.token)), 'AUTH_TOKEN_NOT_YET_VALID');
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const issued = await service().issue({ subject: 'wang', region: 'TJ', role: 'approver', dept: 'HC' });
    const [header, , signature] = issued.token.split('.');
    const forged = `${header}.${b64({ ...issued.claims, region: 'BJ' })}.${signature}`;
    const error = await rejection(service().verify(forged));
    expect(failure(error, 'AUTH_TOKEN_BAD_SIGNATURE').status).to.equal(401);
  });

  it('refuses a token signed by another hub’s key, naming both keys', async () => {
    const other = new TokenService({
      key: await generateTokenSigningKey(),
      tokens: store.tokens,
      now: () => clock,
    });
    const issued = await other.issue({ subject: 'x', region: 'HE', role: 'auditor' });
    const error = await rejection(service().verify(issued.token));
    const unknownKey = failure(error, 'AUTH_TOKEN_UNKNOWN_KEY');
    expect(unknownKey.facts.expectedKid).to.equal(key.kid);
    expect(unknownKey.facts.kid).to.be.a('string').and.not.equal(key.kid);
  });

  it('refuses a token that claims this hub’s key id but is signed by another key', async () => {
    const other = await generateTokenSigningKey();
    const forger = new TokenService({
      key: { ...other, kid: key.kid },
      tokens: store.tokens,
      now: () => clock,
    });
    const issued = await forger.issue({ subject: 'x', region: 'HE', role: 'auditor' });
    failure(await rejection(service().verify(issued.token)), 'AUTH_TOKEN_BAD_SIGNATURE');
  });

  it('refuses tokens with another algorithm, and strings that are no JWS at all', async () => {
    const claims = {
      iss: 'approval-ledger-hub',
      sub: 'x',
      region: 'BJ',
      role: 'admin',
      jti: 'j',
      iat: 1,
      exp: 2e9,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: key.kid })}.${b64(claims)}.`;
    const hs256 = `${b64({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64(claims)}.c2ln`;
    for (const token of [none, hs256, 'abc', 'a.b.c', '', `${b64({ alg: 'EdDSA' })}.!!.sig`]) {
      const error = await rejection(service().verify(token));
      expect(failure(error, 'AUTH_TOKEN_MALFORMED', token).status, token).to.equal(401);
    }
  });

  it('refuses to issue, with the claim named, an unknown role, region or department, or an approver without one', async () => {
    const cases: [Parameters<TokenService['issue']>[0], string][] = [
      [{ subject: 'a', region: 'SH' as 'BJ', role: 'auditor' }, 'region'],
      [{ subject: 'a', region: 'BJ', role: 'superuser' as 'admin' }, 'role'],
      [{ subject: 'a', region: 'BJ', role: 'approver', dept: 'POLICE' as 'HC' }, 'dept'],
      [{ subject: 'a', region: 'BJ', role: 'approver' }, 'dept'],
      [{ subject: '', region: 'BJ', role: 'auditor' }, 'sub'],
      [{ subject: 'a', region: 'BJ', role: 'auditor', ttlSeconds: 0 }, 'exp'],
    ];
    for (const [request, claim] of cases) {
      const error = await rejection(service().issue(request));
      expect(
        failure(error, 'AUTH_TOKEN_CLAIMS', claim).facts.issues.map((i) => i.claim),
        claim,
      ).to.include(claim);
    }
    expect(await store.tokens.list()).to.deep.equal([]);
  });

  it('refuses a correctly signed token whose claims name an unknown role', async () => {
    const forger = new TokenService({ key, tokens: store.tokens, now: () => clock });
    const good = await forger.issue({ subject: 'a', region: 'BJ', role: 'auditor' });
    const bad = await signTokenJws({ ...good.claims, role: 'root' }, key.kid, key.privateKey);
    const error = await rejection(service().verify(bad));
    expect(failure(error, 'AUTH_TOKEN_CLAIMS').facts.issues[0]?.claim).to.equal('role');
  });

  it('refuses a revoked token at once, and a token missing from the tokens table', async () => {
    const svc = service();
    const issued = await svc.issue({ subject: 'a', region: 'BJ', role: 'auditor' });
    await svc.verify(issued.token); // cached as good
    expect(await svc.revoke(issued.claims.jti, 'laptop stolen')).to.be.true;
    const error = await rejection(svc.verify(issued.token));
    expect(failure(error, 'AUTH_TOKEN_REVOKED').facts).to.include({
      jti: issued.claims.jti,
      reason: 'laptop stolen',
    });

    const otherStore = await harness.open();
    const elsewhere = new TokenService({ key, tokens: otherStore.tokens, now: () => clock });
    failure(
      await rejection(
        elsewhere.verify((await svc.issue({ subject: 'b', region: 'BJ', role: 'auditor' })).token),
      ),
      'AUTH_TOKEN_UNKNOWN',
    );
  });

  it('gives every failure a 401 AuthError with a stable code', async () => {
    const error = await rejection(service().verify('x.y.z'));
    expect(error).to.be.instanceOf(AuthError);
    expect((error as AuthError).status).to.equal(401);
  });
});

describe('the token-signing key in the data dir', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hub-auth-key-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated on first start as a 0600 PKCS#8 Ed25519 key in keys/, and read back after', async () => {
    const first = await loadOrCreateTokenSigningKey(dataDir);
    const path = tokenSigningKeyPath(dataDir);
    expect(path).to.equal(join(dataDir, 'keys', 'token-signing.pem'));
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o077).to.equal(0);
    expect(readFileSync(path, 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----/);
    expect(first.privateKey.asymmetricKeyType).to.equal('ed25519');
    const again = await loadOrCreateTokenSigningKey(dataDir);
    expect(again.kid).to.equal(first.kid);
    expect(again.kid).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a key file others can read', async () => {
    await loadOrCreateTokenSigningKey(dataDir);
    chmodSync(tokenSigningKeyPath(dataDir), 0o644);
    const error = await rejection(loadOrCreateTokenSigningKey(dataDir));
    expect(error).to.be.instanceOf(SigningKeyError);
    expect((error as Error).message).to.match(/readable by others \(mode 644\)/);
  });

  it('refuses a key file that is not an Ed25519 private key', async () => {
    await loadOrCreateTokenSigningKey(dataDir);
    writeFileSync(tokenSigningKeyPath(dataDir), 'not a key', { mode: 0o600 });
    const error = await rejection(loadOrCreateTokenSigningKey(dataDir));
    expect(error).to.be.instanceOf(SigningKeyError);
    expect((error as Error).message).to.match(/not a PEM private key/);
  });
});
