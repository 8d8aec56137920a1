/**
 * The hub's token-signing key: Ed25519, generated into `<dataDir>/keys/token-signing.pem` (PKCS#8, mode 0600,
 * directory 0700) on first start and read from there afterwards. Never in the repository.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';

export interface TokenSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** RFC 7638 JWK thumbprint of the public key (base64url SHA-256): the `kid` of every token. */
  readonly kid: string;
}

/** The token-signing key file cannot be used: readable by others, or not an Ed25519 private key. */
export class SigningKeyError extends Error {
  readonly code = 'AUTH_SIGNING_KEY';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`token-signing key ${path}: ${reason}`);
    this.name = 'SigningKeyError';
  }
}

/** Where the key lives in a data directory. */
export function tokenSigningKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'token-signing.pem');
}

/** Reads the data dir's key, generating it first if there is none (safe when two processes race). */
export async function loadOrCreateTokenSigningKey(dataDir: string): Promise<TokenSigningKey> {
  const path = tokenSigningKeyPath(dataDir);
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  if (!exists(path)) createKeyFile(path);
  return readKeyFile(path);
}

/** A key in memory only (tests). */
export async function generateTokenSigningKey(): Promise<TokenSigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, kid: await thumbprint(publicKey) };
}

function createKeyFile(path: string): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(temp, 0o600); // in case the umask took bits away... or the mode was not applied
    linkSync(temp, path); // atomic, and fails if another process made the key first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
}

async function readKeyFile(path: string): Promise<TokenSigningKey> {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new SigningKeyError(path, `is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new SigningKeyError(path, `is not a PEM private key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(
      path,
      `is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, expected Ed25519`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: await thumbprint(publicKey) };
}

/** RFC 7638 JWK thumbprint, SHA-256, base64url. */
async function thumbprint(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
