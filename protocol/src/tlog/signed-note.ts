/**
 * C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, and signature lines
 * `— <key name> base64(key ID || signature)`. Verifier keys are `<name>+<hex key ID>+base64(type || public key)`.
 * Four signature types are spoken here, two per crypto suite:
 *
 * - `intl`: 0x01, Ed25519 over the note text (a log's checkpoint signature), and 0x04, timestamped Ed25519 witness
 *   cosignatures (c2sp.org/tlog-cosignature, see `cosignature.ts`); key ID = SHA-256(name || 0x0A || type ||
 *   key)[:4], as the spec recommends.
 * - `gm` (国密): two types under 0xff, the byte the spec reserves for "signature types without an identifier byte
 *   assigned by this specification", followed, as it recommends, by a longer identifier:
 *   `0xff || "approval-ledger/sm2-sm3/v1"` (an SM2 note signature) and
 *   `0xff || "approval-ledger/sm2-sm3-cosignature/v1"` (a timestamped SM2 witness cosignature). The public key is
 *   the 65-byte uncompressed SM2 point `04 || x || y`; the key ID is SM3(name || 0x0A || type identifier || key)[:4]
 *   (SM3 so that nothing in a gm log is SHA-256); signatures are SM2 with SM3 and GB/T 35276's default user ID
 *   `1234567812345678` in Z_A, DER `SEQUENCE { r, s }`. The note signature signs the note text; the cosignature is
 *   `u64 big-endian time || signature` over `cosignature/v1\ntime <t>\n || checkpoint text`, the message of
 *   c2sp.org/tlog-cosignature. Precisely specified, with vectors, in protocol/README.md ("国密 signed notes").
 *
 * Parsing throws a {@link NoteFormatError} naming the rule; {@link verifyNote} never throws, it answers, with
 * the spec's rules: unknown keys are ignored, a known key whose signature fails rejects the note, and a note
 * with no verified known signature is rejected.
 */
import { concatBytes, equalBytes, utf8Encode } from '../bytes.js';
import { sm2Verify, Sm2Point } from '../gm/sm2.js';
import { sm3OfParts } from '../gm/sm3.js';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { sha256OfParts } from '../sha256.js';
import { ed25519Verify } from './ed25519.js';

export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04, extended: 0xff } as const;
export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

/** The identifiers that follow 0xff in the type of the two 国密 (SM2) signature types. */
export const SM2_NOTE_TYPE_ID = 'approval-ledger/sm2-sm3/v1';
export const SM2_COSIGNATURE_TYPE_ID = 'approval-ledger/sm2-sm3-cosignature/v1';

/**
 * The four kinds of note key: a log's (`ed25519`, `sm2`) and a witness's (`cosignature/v1`,
 * `sm2-cosignature/v1`), one of each per crypto suite.
 */
export const NOTE_KEY_KINDS = ['ed25519', 'cosignature/v1', 'sm2', 'sm2-cosignature/v1'] as const;
export type NoteKeyKind = (typeof NOTE_KEY_KINDS)[number];

/** What a kind of key is: its suite, whether it cosigns (a witness) and its signature type bytes. */
export const NOTE_KEY_KIND: Readonly<
  Record<
    NoteKeyKind,
    { readonly suite: 'intl' | 'gm'; readonly cosigns: boolean; readonly typeBytes: Uint8Array }
  >
> = {
  ed25519: { suite: 'intl', cosigns: false, typeBytes: Uint8Array.of(SIGNATURE_TYPE.ed25519) },
  'cosignature/v1': { suite: 'intl', cosigns: true, typeBytes: Uint8Array.of(SIGNATURE_TYPE.cosignatureV1) },
  sm2: {
    suite: 'gm',
    cosigns: false,
    typeBytes: concatBytes(Uint8Array.of(0xff), utf8Encode(SM2_NOTE_TYPE_ID)),
  },
  'sm2-cosignature/v1': {
    suite: 'gm',
    cosigns: true,
    typeBytes: concatBytes(Uint8Array.of(0xff), utf8Encode(SM2_COSIGNATURE_TYPE_ID)),
  },
};

/** The kind of key a log (`cosigns` false) or a witness signs with in `suite`. */
export function noteKeyKindOf(suite: 'intl' | 'gm', cosigns: boolean): NoteKeyKind {
  const kind = NOTE_KEY_KINDS.find(
    (k) => NOTE_KEY_KIND[k].suite === suite && NOTE_KEY_KIND[k].cosigns === cosigns,
  );
  return kind as NoteKeyKind;
}

/** Most signatures a note may carry here (the spec asks verifiers to accept at least 16). */
export const MAX_NOTE_SIGNATURES = 64;

const EM_DASH = '\u2014';

export class NoteFormatError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(`${rule}: ${message}`);
    this.name = 'NoteFormatError';
  }
}

/** One signature line: who (name and key ID) and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

export interface Note {
  /** The note text, final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Signs note texts as one key: `sign` gets the text's bytes and returns the signature after the key ID. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

/** A public key trusted for notes: the name, key ID and type it signs with, and how to check a signature. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** The first byte of the signature type (0xff for the 国密 kinds, whose type goes on with an identifier). */
  readonly type: SignatureType;
  /** What the key is: its algorithm, suite and whether it cosigns. */
  readonly kind: NoteKeyKind;
  /** `intl` (Ed25519 keys) or `gm` (SM2 keys). */
  readonly suite: 'intl' | 'gm';
  readonly publicKey: Uint8Array;
  /** The verifier key text (`name+hex+base64`). */
  readonly vkey: string;
  /** True when `signature` (after the key ID) signs `text`; never throws. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Key names are non-empty and hold no spaces or plus signs. */
export function checkKeyName(name: string, field = 'name'): void {
  if (name.length === 0 || /[\s+]/u.test(name) || hasControl(name)) {
    throw new NoteFormatError(
      'note.key-name',
      `${field} ${JSON.stringify(name)} is empty or holds a space or +`,
    );
  }
}

/** SHA-256(name || 0x0A || type || publicKey)[:4], big-endian (the key ID of an `intl` key). */
export function keyIdOf(name: string, type: number, publicKey: Uint8Array): number {
  const hash = sha256OfParts([utf8Encode(`${name}\n`), new Uint8Array([type]), publicKey]);
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

/**
 * The key ID of a key of `kind`: `intl` kinds {@link keyIdOf}; `gm` kinds SM3(name || 0x0A || type identifier
 * (0xff and the identifier) || 65-byte public key)[:4], big-endian.
 */
export function noteKeyIdOf(kind: NoteKeyKind, name: string, publicKey: Uint8Array): number {
  const { suite, typeBytes } = NOTE_KEY_KIND[kind];
  if (suite === 'intl') return keyIdOf(name, typeBytes[0] as number, publicKey);
  const hash = sm3OfParts([utf8Encode(`${name}\n`), typeBytes, publicKey]);
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

/** `<name>+<hex key ID>+base64(type || public key)` of an `intl` key (type 0x01 or 0x04). */
export function formatVerifierKey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  const kind = type === SIGNATURE_TYPE.ed25519 ? 'ed25519' : 'cosignature/v1';
  return formatNoteVerifierKey(kind, name, publicKey);
}

/** `<name>+<hex key ID>+base64(type bytes || public key)` of a key of any kind. */
export function formatNoteVerifierKey(kind: NoteKeyKind, name: string, publicKey: Uint8Array): string {
  checkKeyName(name);
  const id = hex8(noteKeyIdOf(kind, name, publicKey));
  return `${name}+${id}+${bytesToBase64(concatBytes(NOTE_KEY_KIND[kind].typeBytes, publicKey))}`;
}

/** The kind of key whose type bytes begin `material`, or undefined. */
function kindOfMaterial(material: Uint8Array): NoteKeyKind | undefined {
  return NOTE_KEY_KINDS.find((kind) => {
    const type = NOTE_KEY_KIND[kind].typeBytes;
    return material.length > type.length && equalBytes(material.subarray(0, type.length), type);
  });
}

/**
 * The verifier of a verifier key text. Ed25519 (0x01), cosignature/v1 (0x04) and the two SM2 types (0xff with
 * their identifiers) are understood; the key ID must be the one the name and key give.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  // name and key ID hold no plus sign; the base64 key may
  const [name = '', idHex = '', ...rest] = vkey.trim().split('+');
  const keyB64 = rest.join('+');
  if (rest.length === 0) throw new NoteFormatError('vkey.form', `expected name+keyid+key, got ${vkey}`);
  checkKeyName(name, 'vkey name');
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new NoteFormatError('vkey.key-id', `key ID ${idHex} is not 8 hex digits`);
  const material = decodeBase64(keyB64, 'vkey key');
  const kind = kindOfMaterial(material);
  if (kind === undefined) {
    throw new NoteFormatError(
      'vkey.type',
      `signature type ${material[0]} of ${name} is not 0x01, 0x04 or 0xff with ${SM2_NOTE_TYPE_ID} or ${SM2_COSIGNATURE_TYPE_ID}`,
    );
  }
  const { typeBytes, suite } = NOTE_KEY_KIND[kind];
  const publicKey = material.slice(typeBytes.length);
  checkPublicKey(kind, name, publicKey);
  const keyId = noteKeyIdOf(kind, name, publicKey);
  if (keyId !== parseInt(idHex, 16)) {
    throw new NoteFormatError('vkey.key-id', `key ID ${idHex} of ${name} is not the key's (${hex8(keyId)})`);
  }
  const verify = VERIFY[kind].bind(null, publicKey);
  const type = typeBytes[0] as SignatureType;
  return { name, keyId, type, kind, suite, publicKey, vkey: vkey.trim(), verify };
}

function checkPublicKey(kind: NoteKeyKind, name: string, publicKey: Uint8Array): void {
  if (NOTE_KEY_KIND[kind].suite === 'intl') {
    if (publicKey.length !== 32) {
      throw new NoteFormatError('vkey.key', `an Ed25519 key is 32 bytes; ${name} has ${publicKey.length}`);
    }
    return;
  }
  let valid = publicKey.length === 65 && publicKey[0] === 0x04;
  try {
    if (valid) Sm2Point.fromBytes(publicKey).assertValidity();
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new NoteFormatError(
      'vkey.key',
      `an SM2 key is an uncompressed point on sm2p256v1 (65 bytes, 04 || x || y); ${name}'s is not`,
    );
  }
}

/** How each kind checks a signature (the bytes after the key ID) of a note text; never throws. */
const VERIFY: Readonly<
  Record<NoteKeyKind, (publicKey: Uint8Array, text: Uint8Array, signature: Uint8Array) => boolean>
> = {
  ed25519: (publicKey, text, signature) => ed25519Verify(publicKey, text, signature),
  'cosignature/v1': (publicKey, text, signature) =>
    verifyTimestamped(publicKey, text, signature, (k, m, s) => s.length === 64 && ed25519Verify(k, m, s)),
  sm2: (publicKey, text, signature) => sm2Verify(publicKey, text, signature),
  'sm2-cosignature/v1': (publicKey, text, signature) =>
    verifyTimestamped(publicKey, text, signature, (k, m, s) => sm2Verify(k, m, s)),
};

/**
 * A timestamped cosignature: 8-byte big-endian timestamp || the signature (Ed25519: 64 bytes; SM2: DER) of
 * "cosignature/v1\ntime <t>\n" || text.
 */
function verifyTimestamped(
  publicKey: Uint8Array,
  text: Uint8Array,
  signature: Uint8Array,
  check: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean,
): boolean {
  if (signature.length <= 8) return false;
  const time = readUint64(signature);
  if (time === undefined) return false;
  return check(publicKey, cosignedMessage(time, text), signature.subarray(8));
}

/** The bytes a cosignature/v1 signs: the header line, the time line, then the checkpoint text. */
export function cosignedMessage(time: number, text: Uint8Array): Uint8Array {
  const head = utf8Encode(`cosignature/v1\ntime ${time}\n`);
  const out = new Uint8Array(head.length + text.length);
  out.set(head);
  out.set(text, head.length);
  return out;
}

/** A big-endian u64 as a safe integer (undefined when it is not one). */
export function readUint64(bytes: Uint8Array): number | undefined {
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

export function writeUint64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  let v = BigInt(value);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Splits a signed note into its text and signature lines; throws a {@link NoteFormatError} naming the rule. */
export function parseNote(note: string): Note {
  if (hasControl(note.replace(/\n/g, ''))) {
    throw new NoteFormatError('note.control', 'a note holds no control characters but newlines');
  }
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) {
    throw new NoteFormatError(
      'note.form',
      'a note is text, a blank line, and signature lines each ending in a newline',
    );
  }
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw new NoteFormatError('note.signatures', `more than ${MAX_NOTE_SIGNATURES} signatures`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
  if (!match)
    throw new NoteFormatError('note.signature-line', `not "— <name> <base64>": ${line.slice(0, 120)}`);
  const name = match[1] as string;
  checkKeyName(name, 'signature name');
  const bytes = decodeBase64(match[2] as string, `signature of ${name}`);
  if (bytes.length < 5) throw new NoteFormatError('note.signature', `the signature of ${name} is too short`);
  const keyId = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return { name, keyId, signature: bytes.slice(4) };
}

/** One signature line (`— name base64`) with its final newline. */
export function formatSignatureLine(signature: NoteSignature): string {
  const id = new Uint8Array([
    signature.keyId >>> 24,
    (signature.keyId >>> 16) & 0xff,
    (signature.keyId >>> 8) & 0xff,
    signature.keyId & 0xff,
  ]);
  return `${EM_DASH} ${signature.name} ${bytesToBase64(Uint8Array.from([...id, ...signature.signature]))}\n`;
}

/** The text (which must end in a newline) signed by each signer, as a note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n')) throw new NoteFormatError('note.text', 'the note text must end with a newline');
  if (hasControl(text.replace(/\n/g, '')))
    throw new NoteFormatError('note.control', 'control characters in text');
  const bytes = utf8Encode(text);
  const lines = signers.map((s) =>
    formatSignatureLine({ name: s.name, keyId: s.keyId, signature: s.sign(bytes) }),
  );
  return `${text}\n${lines.join('')}`;
}

/** A note with more signature lines (e.g. witness cosignatures) added after its own. */
export function addSignatures(note: string, signatures: readonly NoteSignature[]): string {
  parseNote(note);
  return note + signatures.map(formatSignatureLine).join('');
}

export type NoteVerification =
  | { readonly ok: true; readonly text: string; readonly verifiedBy: readonly NoteVerifier[] }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * Checks a note against trusted verifiers: signatures of unknown keys (name and key ID) are ignored; a known
 * key's failing signature rejects the note (`note.bad-signature`); no known verified signature rejects it
 * (`note.no-trusted-signature`). A malformed note answers its format rule.
 */
export function verifyNote(note: string | Note, verifiers: readonly NoteVerifier[]): NoteVerification {
  let parsed: Note;
  try {
    parsed = typeof note === 'string' ? parseNote(note) : note;
  } catch (error) {
    const rule = error instanceof NoteFormatError ? error.rule : 'note.form';
    return { ok: false, rule, reason: (error as Error).message };
  }
  const text = utf8Encode(parsed.text);
  const verifiedBy: NoteVerifier[] = [];
  for (const signature of parsed.signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (!verifier) continue;
    if (!verifier.verify(text, signature.signature)) {
      return {
        ok: false,
        rule: 'note.bad-signature',
        reason: `the signature of ${verifier.name} does not verify`,
      };
    }
    if (!verifiedBy.includes(verifier)) verifiedBy.push(verifier);
  }
  if (verifiedBy.length === 0) {
    return { ok: false, rule: 'note.no-trusted-signature', reason: 'no signature by a trusted key' };
  }
  return { ok: true, text: parsed.text, verifiedBy };
}

/** Two verifiers name the same key. */
export function sameKey(a: NoteVerifier, b: NoteVerifier): boolean {
  return a.name === b.name && a.kind === b.kind && equalBytes(a.publicKey, b.publicKey);
}

/** The key ID as 8 hex digits. */
export function keyIdHex(keyId: number): string {
  return hex8(keyId);
}

function decodeBase64(text: string, field: string): Uint8Array {
  try {
    return base64ToBytes(text);
  } catch {
    throw new NoteFormatError('note.base64', `${field} is not padded standard base64`);
  }
}

function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/u.test(text);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
