/**
 * Ed25519 keys of the transparency log and of the witnesses, kept in a data directory as PKCS#8 PEM (mode
 * 0600, directory 0700), generated on first use and read afterwards; never in the repository. Creation is
 * atomic (a link that fails if another process made the key first), as for the token-signing key. Signing
 * and verification are node:crypto's; {@link registerNativeEd25519} gives protocol's tlog module the native
 * verifier.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Ed25519Verify, useEd25519 } from '@approval-ledger/protocol';

export interface Ed25519Key {
  readonly privateKey: KeyObject;
  /** The 32-byte RFC 8032 public key. */
  readonly publicKey: Uint8Array;
  readonly sign: (message: Uint8Array) => Uint8Array;
}

/** The key at `path`, generated first when there is none (safe when two processes race). */
export function loadOrCreateEd25519Key(path: string): Ed25519Key {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) createKeyFile(path);
  return keyOf(createPrivateKey(readFileSync(path)));
}

/** A key in memory only (tests and benchmarks). */
export function generateEd25519Key(): Ed25519Key {
  return keyOf(generateKeyPairSync('ed25519').privateKey);
}

function keyOf(privateKey: KeyObject): Ed25519Key {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'none'}`);
  }
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

function createKeyFile(path: string): void {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(temp, 0o600);
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** SPKI DER prefix of an Ed25519 public key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const publicKeys = new Map<string, KeyObject>();

/** node:crypto's Ed25519 verification, for protocol's tlog module. */
export const nodeEd25519Verify: Ed25519Verify = (publicKey, message, signature) => {
  try {
    const id = Buffer.from(publicKey).toString('hex');
    let key = publicKeys.get(id);
    if (!key) {
      key = createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
        format: 'der',
        type: 'spki',
      });
      if (publicKeys.size > 256) publicKeys.clear();
      publicKeys.set(id, key);
    }
    return signature.length === 64 && verify(null, message, key, signature);
  } catch {
    return false;
  }
};

let registered = false;

/** Registers {@link nodeEd25519Verify} with the protocol package (once). */
export function registerNativeEd25519(): void {
  if (registered) return;
  useEd25519(nodeEd25519Verify);
  registered = true;
}
