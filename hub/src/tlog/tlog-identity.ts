/**
 * Who signs what in the transparency log, and where the keys live in a data directory:
 * - the log (the hub of the region that operates it): `<dataDir>/keys/tlog-log.pem` (Ed25519, `intl`) or
 *   `tlog-log.sm2.pem` (SM2, `gm`); its origin, and key name, is
 *   `<region>.approval-ledger.example/log/<8 hex of the suite's hash (SHA-256 or SM3) of the public key>` (a
 *   schema-less URL, as c2sp.org/tlog-checkpoint recommends, unique per key so a new data directory is a new log);
 * - a region's witness: `<witnessDir>/witness.pem` (or `witness.sm2.pem`), named
 *   `<region>.approval-ledger.example/witness`, where `witnessDir` defaults to `<dataDir>/witness/<region>`.
 * Each verifier key (vkey) is also written beside its key (`tlog-log.vkey`, `witness.vkey`), the text a region
 * publishes. The suite is the data directory's (`artefact-suite.ts`): LEDGER_CRYPTO at first start.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bytesToHex,
  formatNoteVerifierKey,
  noteKeyKindOf,
  noteSignerOf,
  type NoteSigner,
  type NoteVerifier,
  parseVerifierKey,
  type RegionCode,
  SUITES,
} from '@approval-ledger/protocol';
import { loadOrCreateNoteKey, type NoteKey } from './ed25519-key';

export const TLOG_DOMAIN = 'approval-ledger.example';

export interface SignerIdentity {
  readonly name: string;
  readonly key: NoteKey;
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
}

type Suite = 'intl' | 'gm';

export function logKeyPath(dataDir: string, suite: Suite = 'intl'): string {
  return join(dataDir, 'keys', suite === 'gm' ? 'tlog-log.sm2.pem' : 'tlog-log.pem');
}

/** Where a key's vkey is written: `tlog-log.vkey` / `witness.vkey` beside it, whatever the suite. */
function vkeyPathOf(keyPath: string): string {
  return keyPath.replace(/(\.sm2)?\.pem$/, '.vkey');
}

export function witnessDirOf(dataDir: string, region: RegionCode): string {
  return join(dataDir, 'witness', region);
}

export function logOrigin(region: RegionCode, publicKey: Uint8Array, suite: Suite = 'intl'): string {
  const hash = bytesToHex(SUITES[suite].digest([publicKey])).slice(0, 8);
  return `${region.toLowerCase()}.${TLOG_DOMAIN}/log/${hash}`;
}

export function witnessName(region: RegionCode): string {
  return `${region.toLowerCase()}.${TLOG_DOMAIN}/witness`;
}

/** The log's signing identity for `region` in `suite`, its key created in the data directory on first use. */
export function logIdentity(dataDir: string, region: RegionCode, suite: Suite = 'intl'): SignerIdentity {
  const path = logKeyPath(dataDir, suite);
  return logIdentityOf(loadOrCreateNoteKey(path, suite), region, path);
}

export function logIdentityOf(key: NoteKey, region: RegionCode, keyPath?: string): SignerIdentity {
  const name = logOrigin(region, key.publicKey, key.suite);
  const kind = noteKeyKindOf(key.suite, false);
  const vkey = formatNoteVerifierKey(kind, name, key.publicKey);
  if (keyPath) writeFileSync(vkeyPathOf(keyPath), `${vkey}\n`);
  return {
    name,
    key,
    signer: noteSignerOf(kind, name, key.publicKey, key.sign),
    verifier: parseVerifierKey(vkey),
  };
}

/** A region's witness identity in `suite`, its key created in `witnessDir` on first use. */
export function witnessIdentity(
  witnessDir: string,
  region: RegionCode,
  clock?: () => number,
  suite: Suite = 'intl',
): SignerIdentity {
  const path = join(witnessDir, suite === 'gm' ? 'witness.sm2.pem' : 'witness.pem');
  return witnessIdentityOf(loadOrCreateNoteKey(path, suite), region, clock, path);
}

export function witnessIdentityOf(
  key: NoteKey,
  region: RegionCode,
  clock?: () => number,
  keyPath?: string,
): SignerIdentity {
  const name = witnessName(region);
  const kind = noteKeyKindOf(key.suite, true);
  const vkey = formatNoteVerifierKey(kind, name, key.publicKey);
  if (keyPath) writeFileSync(vkeyPathOf(keyPath), `${vkey}\n`);
  return {
    name,
    key,
    signer: noteSignerOf(kind, name, key.publicKey, key.sign, clock),
    verifier: parseVerifierKey(vkey),
  };
}
