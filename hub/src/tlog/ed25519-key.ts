/**
 * The signing keys of the transparency log and of the witnesses, kept in a data directory as PKCS#8 PEM (mode
 * 0600, directory 0700), generated on first use and read afterwards; never in the repository. Creation is
 * atomic (a link that fails if another process made the key first), as for the token-signing key.
 *
 * `intl`: Ed25519, signed and verified by node:crypto ({@link registerNativeEd25519} gives protocol's tlog module
 * the native verifier). `gm`: SM2 (sm2p256v1), signed by protocol's SM2 with SM3 and GB/T 35276's default user
 * ID, since node:crypto cannot set the SM2 user ID (`protocol/src/gm/sm2.ts` says why); its SM3 is node:crypto's
 * once the hub registered it.
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
import {
  type Ed25519Verify,
  sm2PrivateKeyOfPem,
  sm2PrivateKeyPem,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2Signer,
  useEd25519,
} from '@approval-ledger/protocol';

/** A note-signing key of either suite: its public key as a note verifier key holds it, and how it signs. */
export interface NoteKey {
  readonly suite: 'intl' | 'gm';
  /** Ed25519: the 32-byte RFC 8032 key; SM2: the 65-byte uncompressed point. */
  readonly publicKey: Uint8Array;
  readonly sign: (message: Uint8Array) => Uint8Array;
}

/** The key at `path` of `suite`, generated first when there is none (an existing key of another type is refused). */
export function loadOrCreateNoteKey(path: string, suite: 'intl' | 'gm'): NoteKey {
  if (suite === 'intl') return loadOrCreateEd25519Key(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) createKeyFile(path, () => sm2PrivateKeyPem(sm2RandomPrivateKey()));
  let privateKey: Uint8Array;
  try {
    privateKey = sm2PrivateKeyOfPem(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TypeError(`${path} is not an SM2 private key (made for another suite?): ${String(error)}`);
  }
  return sm2KeyOf(privateKey);
}

/** An SM2 note key from a 32-byte private key (in memory: tests and benchmarks use a random one). */
export function sm2KeyOf(privateKey: Uint8Array = sm2RandomPrivateKey()): NoteKey {
  return { suite: 'gm', publicKey: sm2PublicKey(privateKey), sign: sm2Signer(privateKey) };
}

export interface Ed25519Key {
  readonly suite: 'intl';
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
    suite: 'intl',
    privateKey,
    publicKey: new Uint8Array(spki.subarray(spki.length - 32)),
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

function createKeyFile(
  path: string,
  pemOf: () => string = () =>
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
): void {
  const pem = pemOf();
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
