/**
 * Who signs what in the transparency log, and where the keys live in a data directory:
 * - the log (the hub of the region that operates it): `<dataDir>/keys/tlog-log.pem`; its origin, and key
 *   name, is `<region>.approval-ledger.example/log/<8 hex of SHA-256(public key)>` (a schema-less URL, as
 *   c2sp.org/tlog-checkpoint recommends, unique per key so a new data directory is a new log);
 * - a region's witness: `<witnessDir>/witness.pem`, named `<region>.approval-ledger.example/witness`,
 *   where `witnessDir` defaults to `<dataDir>/witness/<region>`.
 * Each verifier key (vkey) is also written beside its key (`.vkey`), the text a region publishes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bytesToHex,
  cosignatureSigner,
  ed25519NoteSigner,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  parseVerifierKey,
  type RegionCode,
  sha256,
  SIGNATURE_TYPE,
} from '@approval-ledger/protocol';
import { type Ed25519Key, loadOrCreateEd25519Key } from './ed25519-key';

export const TLOG_DOMAIN = 'approval-ledger.example';

export interface SignerIdentity {
  readonly name: string;
  readonly key: Ed25519Key;
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
}

export function logKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'tlog-log.pem');
}

export function witnessDirOf(dataDir: string, region: RegionCode): string {
  return join(dataDir, 'witness', region);
}

export function logOrigin(region: RegionCode, publicKey: Uint8Array): string {
  return `${region.toLowerCase()}.${TLOG_DOMAIN}/log/${bytesToHex(sha256(publicKey)).slice(0, 8)}`;
}

export function witnessName(region: RegionCode): string {
  return `${region.toLowerCase()}.${TLOG_DOMAIN}/witness`;
}

/** The log's signing identity for `region`, its key created in the data directory on first use. */
export function logIdentity(dataDir: string, region: RegionCode): SignerIdentity {
  return logIdentityOf(loadOrCreateEd25519Key(logKeyPath(dataDir)), region, logKeyPath(dataDir));
}

export function logIdentityOf(key: Ed25519Key, region: RegionCode, keyPath?: string): SignerIdentity {
  const name = logOrigin(region, key.publicKey);
  const vkey = formatVerifierKey(name, SIGNATURE_TYPE.ed25519, key.publicKey);
  if (keyPath) writeFileSync(keyPath.replace(/\.pem$/, '.vkey'), `${vkey}\n`);
  return {
    name,
    key,
    signer: ed25519NoteSigner(name, key.publicKey, key.sign),
    verifier: parseVerifierKey(vkey),
  };
}

/** A region's witness identity, its key created in `witnessDir` on first use. */
export function witnessIdentity(
  witnessDir: string,
  region: RegionCode,
  clock?: () => number,
): SignerIdentity {
  const path = join(witnessDir, 'witness.pem');
  return witnessIdentityOf(loadOrCreateEd25519Key(path), region, clock, path);
}

export function witnessIdentityOf(
  key: Ed25519Key,
  region: RegionCode,
  clock?: () => number,
  keyPath?: string,
): SignerIdentity {
  const name = witnessName(region);
  const vkey = formatVerifierKey(name, SIGNATURE_TYPE.cosignatureV1, key.publicKey);
  if (keyPath) writeFileSync(keyPath.replace(/\.pem$/, '.vkey'), `${vkey}\n`);
  return {
    name,
    key,
    signer: cosignatureSigner(name, key.publicKey, key.sign, clock),
    verifier: parseVerifierKey(vkey),
  };
}
