/**
 * C2SP tlog-cosignature, cosignature/v1 (c2sp.org/tlog-cosignature): a witness's note signature of type 0x04
 * over `cosignature/v1\ntime <t>\n` followed by the checkpoint text, carried as `u64 time || Ed25519 signature`.
 * The time is part of what is signed, and so is the whole checkpoint text: a cosignature of one checkpoint
 * never verifies for another, however it is replayed.
 */
import { utf8Encode } from '../bytes.js';
import { type TlogSuite, type TreeHead, verifyCheckpoint } from './checkpoint.js';
import {
  cosignedMessage,
  NOTE_KEY_KIND,
  type NoteKeyKind,
  noteKeyIdOf,
  type NoteSigner,
  type NoteVerifier,
  parseNote,
  readUint64,
  verifyNote,
  writeUint64,
} from './signed-note.js';

/** Ed25519 signing with a private key held elsewhere (node:crypto in the hub, @noble in tests). */
export type Ed25519Sign = (message: Uint8Array) => Uint8Array;

/**
 * A witness's cosigner: a note signer of type 0x04 that stamps each signature with `clock()` (POSIX seconds).
 */
export function cosignatureSigner(
  name: string,
  publicKey: Uint8Array,
  sign: Ed25519Sign,
  clock: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  return noteSignerOf('cosignature/v1', name, publicKey, sign, clock);
}

/** A log's note signer: plain Ed25519 (type 0x01) over the note text. */
export function ed25519NoteSigner(name: string, publicKey: Uint8Array, sign: Ed25519Sign): NoteSigner {
  return noteSignerOf('ed25519', name, publicKey, sign);
}

/**
 * A note signer of any kind: a log's (`ed25519`, `sm2`: the signature of the note text) or a witness's
 * (`cosignature/v1`, `sm2-cosignature/v1`: stamped with `clock()`). `sign` is the key's signature of a message
 * (Ed25519, or SM2-SM3 with the default user ID, DER).
 */
export function noteSignerOf(
  kind: NoteKeyKind,
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
  clock: () => number = () => Math.floor(Date.now() / 1000),
): NoteSigner {
  const keyId = noteKeyIdOf(kind, name, publicKey);
  if (!NOTE_KEY_KIND[kind].cosigns) return { name, keyId, sign };
  return {
    name,
    keyId,
    sign(text) {
      const time = clock();
      const signature = sign(cosignedMessage(time, text));
      const out = new Uint8Array(8 + signature.length);
      out.set(writeUint64(time));
      out.set(signature, 8);
      return out;
    },
  };
}

export interface WitnessCosignature {
  readonly witness: string;
  /** When the witness cosigned, POSIX seconds. */
  readonly time: number;
}

export type CosignedCheckpointVerification =
  | {
      readonly ok: true;
      readonly head: TreeHead;
      readonly text: string;
      readonly cosignatures: readonly WitnessCosignature[];
      readonly suite: TlogSuite;
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * A checkpoint signed by one of `logKeys` and cosigned by at least `quorum` of `witnessKeys` (distinct
 * witnesses). A failing signature of any trusted key rejects the whole note. Never throws.
 */
export function verifyCosignedCheckpoint(
  note: string,
  trust: {
    readonly logKeys: readonly NoteVerifier[];
    readonly witnessKeys: readonly NoteVerifier[];
    readonly quorum: number;
    /** The suites accepted (default: any whose keys are trusted). */
    readonly accepted?: readonly TlogSuite[];
  },
): CosignedCheckpointVerification {
  const checkpoint = verifyCheckpoint(note, trust.logKeys, trust.accepted);
  if (!checkpoint.ok) return checkpoint;
  const mixed = trust.witnessKeys.find((w) => w.suite !== checkpoint.suite || !NOTE_KEY_KIND[w.kind].cosigns);
  if (mixed) {
    return {
      ok: false,
      rule: 'checkpoint.suite',
      reason: `the checkpoint is of the ${checkpoint.suite} suite but witness key ${mixed.name} is a ${mixed.suite} ${mixed.kind} key`,
    };
  }
  const all = verifyNote(note, [...trust.logKeys, ...trust.witnessKeys]);
  if (!all.ok) return all;
  const witnesses = all.verifiedBy.filter((v) => trust.witnessKeys.includes(v));
  const cosignatures = witnesses.map((w) => ({ witness: w.name, time: cosignatureTime(note, w) ?? 0 }));
  if (cosignatures.length < trust.quorum) {
    return {
      ok: false,
      rule: 'checkpoint.quorum',
      reason: `${cosignatures.length} of the ${trust.quorum} witness cosignatures needed`,
    };
  }
  return { ok: true, head: checkpoint.head, text: checkpoint.text, cosignatures, suite: checkpoint.suite };
}

/** The time stamped in `witness`'s cosignature of the note (undefined when it has none). */
export function cosignatureTime(note: string, witness: NoteVerifier): number | undefined {
  const line = parseNote(note).signatures.find((s) => s.name === witness.name && s.keyId === witness.keyId);
  return line ? readUint64(line.signature) : undefined;
}

/** True when `signature` (after the key ID) is `witness`'s cosignature of `checkpointText`. */
export function verifyCosignature(
  witness: NoteVerifier,
  checkpointText: string,
  signature: Uint8Array,
): boolean {
  return NOTE_KEY_KIND[witness.kind].cosigns && witness.verify(utf8Encode(checkpointText), signature);
}
