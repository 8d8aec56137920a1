/**
 * C2SP signed notes (c2sp.org/signed-note): a text ending in a newline, a blank line, and signature lines
 * `— <key name> base64(key ID || signature)`. Key IDs are SHA-256(name || 0x0A || type || public key)[:4];
 * verifier keys are `<name>+<hex key ID>+base64(type || public key)`. Two signature types are spoken here:
 * 0x01, Ed25519 over the note text (a log's checkpoint signature), and 0x04, timestamped Ed25519 witness
 * cosignatures (c2sp.org/tlog-cosignature, see `cosignature.ts`).
 *
 * Parsing throws a {@link NoteFormatError} naming the rule; {@link verifyNote} never throws, it answers, with
 * the spec's rules: unknown keys are ignored, a known key whose signature fails rejects the note, and a note
 * with no verified known signature is rejected.
 */
import { equalBytes, utf8Encode } from '../bytes.js';
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { sha256OfParts } from '../sha256.js';
import { ed25519Verify } from './ed25519.js';

export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

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
  readonly type: SignatureType;
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

/** SHA-256(name || 0x0A || type || publicKey)[:4], big-endian. */
export function keyIdOf(name: string, type: number, publicKey: Uint8Array): number {
  const hash = sha256OfParts([utf8Encode(`${name}\n`), new Uint8Array([type]), publicKey]);
  return ((hash[0]! << 24) | (hash[1]! << 16) | (hash[2]! << 8) | hash[3]!) >>> 0;
}

/** `<name>+<hex key ID>+base64(type || public key)`. */
export function formatVerifierKey(name: string, type: SignatureType, publicKey: Uint8Array): string {
  checkKeyName(name);
  const id = keyIdOf(name, type, publicKey).toString(16).padStart(8, '0');
  return `${name}+${id}+${bytesToBase64(Uint8Array.from([type, ...publicKey]))}`;
}

/**
 * The verifier of a verifier key text. Ed25519 (0x01) and cosignature/v1 (0x04) keys are understood; the key ID
 * must be the one the name and key give.
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
  const type = material[0];
  const publicKey = material.slice(1);
  if (type !== SIGNATURE_TYPE.ed25519 && type !== SIGNATURE_TYPE.cosignatureV1) {
    throw new NoteFormatError('vkey.type', `signature type ${type} of ${name} is not 0x01 or 0x04`);
  }
  if (publicKey.length !== 32) {
    throw new NoteFormatError('vkey.key', `an Ed25519 key is 32 bytes; ${name} has ${publicKey.length}`);
  }
  const keyId = keyIdOf(name, type, publicKey);
  if (keyId !== parseInt(idHex, 16)) {
    throw new NoteFormatError('vkey.key-id', `key ID ${idHex} of ${name} is not the key's (${hex8(keyId)})`);
  }
  const verify =
    type === SIGNATURE_TYPE.ed25519
      ? (text: Uint8Array, signature: Uint8Array) => ed25519Verify(publicKey, text, signature)
      : (text: Uint8Array, signature: Uint8Array) => verifyTimestamped(publicKey, text, signature);
  return { name, keyId, type, publicKey, vkey: vkey.trim(), verify };
}

/** cosignature/v1: 8-byte big-endian timestamp || Ed25519 over "cosignature/v1\ntime <t>\n" || text. */
function verifyTimestamped(publicKey: Uint8Array, text: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 72) return false;
  const time = readUint64(signature);
  if (time === undefined) return false;
  return ed25519Verify(publicKey, cosignedMessage(time, text), signature.subarray(8));
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
  return a.name === b.name && a.type === b.type && equalBytes(a.publicKey, b.publicKey);
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
