/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text `<origin>\n<tree size>\n<base64 root>\n`
 * with optional non-empty extension lines, signed as a note by the log's key (whose name should be the
 * origin) and cosigned by witnesses (`cosignature.ts`).
 */
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { checkKeyName, NoteFormatError, type NoteVerifier, verifyNote } from './signed-note.js';

export interface TreeHead {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly extensions?: readonly string[];
}

/** The checkpoint's note text. */
export function formatCheckpoint(head: TreeHead): string {
  checkKeyName(head.origin, 'origin');
  if (!Number.isSafeInteger(head.size) || head.size < 0) {
    throw new NoteFormatError('checkpoint.size', `size ${head.size} is not a non-negative integer`);
  }
  if (head.root.length !== 32) throw new NoteFormatError('checkpoint.root', 'the root hash is 32 bytes');
  const extensions = head.extensions ?? [];
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n')) {
      throw new NoteFormatError('checkpoint.extension', 'extension lines are non-empty single lines');
    }
  }
  return [head.origin, String(head.size), bytesToBase64(head.root), ...extensions]
    .map((l) => `${l}\n`)
    .join('');
}

/** The tree head of a checkpoint note text; throws a {@link NoteFormatError} naming the line's rule. */
export function parseCheckpoint(text: string): TreeHead {
  if (!text.endsWith('\n')) throw new NoteFormatError('checkpoint.form', 'the text ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteFormatError('checkpoint.form', 'a checkpoint has at least three lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new NoteFormatError('checkpoint.origin', 'the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new NoteFormatError(
      'checkpoint.size',
      `tree size ${JSON.stringify(sizeLine)} is not a decimal without leading zeroes`,
    );
  }
  const root = rootOf(rootLine);
  if (extensions.some((l) => l.length === 0)) {
    throw new NoteFormatError('checkpoint.extension', 'extension lines are non-empty');
  }
  return { origin, size: Number(sizeLine), root, ...(extensions.length ? { extensions } : {}) };
}

function rootOf(line: string): Uint8Array {
  let root: Uint8Array;
  try {
    root = base64ToBytes(line);
  } catch {
    throw new NoteFormatError('checkpoint.root', 'the root hash line is not base64');
  }
  if (root.length !== 32 || /\s/.test(line)) {
    throw new NoteFormatError('checkpoint.root', `the root hash is ${root.length} bytes, not 32`);
  }
  return root;
}

export type CheckpointVerification =
  | {
      readonly ok: true;
      readonly head: TreeHead;
      readonly text: string;
      readonly signedBy: readonly NoteVerifier[];
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * A signed checkpoint checked against the log keys trusted for it: the note must verify by one of `logKeys`
 * whose name is the checkpoint's origin. Never throws.
 */
export function verifyCheckpoint(note: string, logKeys: readonly NoteVerifier[]): CheckpointVerification {
  const verified = verifyNote(note, logKeys);
  if (!verified.ok) return verified;
  let head: TreeHead;
  try {
    head = parseCheckpoint(verified.text);
  } catch (error) {
    return { ok: false, rule: (error as NoteFormatError).rule, reason: (error as Error).message };
  }
  const signedBy = verified.verifiedBy.filter((v) => v.name === head.origin);
  if (signedBy.length === 0) {
    return { ok: false, rule: 'checkpoint.origin', reason: `no trusted key named ${head.origin} signed it` };
  }
  return { ok: true, head, text: verified.text, signedBy };
}
