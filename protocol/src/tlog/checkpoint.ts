/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text `<origin>\n<tree size>\n<base64 root>\n`
 * with optional non-empty extension lines, signed as a note by the log's key (whose name should be the
 * origin) and cosigned by witnesses (`cosignature.ts`).
 *
 * The crypto suite: a checkpoint of a `gm` log (SM3 tree hashes, SM2 signatures) carries the extension line
 * `crypto gm` (before any other), so the suite is part of what the log and the witnesses sign; a checkpoint
 * without one is `intl` (SHA-256, Ed25519: every checkpoint made before the 国密 suite, byte for byte). A
 * verifier refuses a checkpoint of a suite it was not told to accept, and one signed by a key of another suite.
 */
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { checkKeyName, NoteFormatError, type NoteVerifier, parseNote, verifyNote } from './signed-note.js';

/** The suites a log can be in; the names of `SUITES`. */
export type TlogSuite = 'intl' | 'gm';

/** The extension line naming a checkpoint's suite: `crypto gm` (an `intl` checkpoint names none). */
export const CRYPTO_EXTENSION_PREFIX = 'crypto ';

/** The extension lines that name `suite` (none for `intl`, so its checkpoints are what they always were). */
export function suiteExtensions(suite: TlogSuite): string[] {
  return suite === 'intl' ? [] : [`${CRYPTO_EXTENSION_PREFIX}${suite}`];
}

/** The suite a checkpoint names; throws a {@link NoteFormatError} (`checkpoint.crypto`) for a malformed line. */
export function checkpointSuite(head: Pick<TreeHead, 'extensions'>): TlogSuite {
  const lines = (head.extensions ?? []).filter((l) => l.startsWith(CRYPTO_EXTENSION_PREFIX));
  if (lines.length === 0) return 'intl';
  const name = (lines[0] as string).slice(CRYPTO_EXTENSION_PREFIX.length);
  if (lines.length > 1 || (name !== 'intl' && name !== 'gm')) {
    throw new NoteFormatError(
      'checkpoint.crypto',
      `the checkpoint's crypto line ${JSON.stringify(lines[0])} is not one "crypto intl|gm"`,
    );
  }
  return name;
}

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
      /** The suite the checkpoint names, its signing key's. */
      readonly suite: TlogSuite;
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * A signed checkpoint checked against the log keys trusted for it: the note must verify by one of `logKeys`
 * whose name is the checkpoint's origin, and the key must be of the suite the checkpoint names. With `accepted`,
 * a checkpoint naming another suite is refused (`checkpoint.suite`, naming both) before any signature is
 * checked. Never throws.
 */
export function verifyCheckpoint(
  note: string,
  logKeys: readonly NoteVerifier[],
  accepted?: readonly TlogSuite[],
): CheckpointVerification {
  let suite: TlogSuite;
  try {
    suite = checkpointSuite(parseCheckpoint(parseNote(note).text));
  } catch (error) {
    const rule = error instanceof NoteFormatError ? error.rule : 'note.form';
    return { ok: false, rule, reason: (error as Error).message };
  }
  if (accepted && !accepted.includes(suite)) {
    return {
      ok: false,
      rule: 'checkpoint.suite',
      reason: `the checkpoint is of the ${suite} crypto suite, not accepted here (accepted: ${accepted.join(', ') || 'none'})`,
    };
  }
  const verified = verifyNote(note, logKeys);
  if (!verified.ok) return verified;
  const head = parseCheckpoint(verified.text);
  const signedBy = verified.verifiedBy.filter((v) => v.name === head.origin);
  if (signedBy.length === 0) {
    return { ok: false, rule: 'checkpoint.origin', reason: `no trusted key named ${head.origin} signed it` };
  }
  const other = signedBy.find((v) => v.suite !== suite || v.kind !== (suite === 'gm' ? 'sm2' : 'ed25519'));
  if (other) {
    return {
      ok: false,
      rule: 'checkpoint.suite',
      reason: `the checkpoint is of the ${suite} suite but its log key ${other.name} is a ${other.suite} ${other.kind} key`,
    };
  }
  return { ok: true, head, text: verified.text, signedBy, suite };
}
