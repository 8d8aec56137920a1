/**
 * The body of a C2SP tlog-witness `add-checkpoint` request (c2sp.org/tlog-witness): `old <size>`, up to 63
 * consistency proof lines in base64, a blank line, then the signed checkpoint. Shared by the log that sends
 * it (the hub) and the witness that reads it.
 */
import { base64ToBytes, bytesToBase64 } from '../proof/base64.js';
import { NoteFormatError } from './signed-note.js';

export const MAX_PROOF_LINES = 63;
/** The response content type of a 409 naming the witness's latest size. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note. */
  readonly checkpoint: string;
}

export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  const proof = request.proof.map((hash) => `${bytesToBase64(hash)}\n`).join('');
  return `old ${request.oldSize}\n${proof}\n${request.checkpoint}`;
}

/** Parses a request body; throws a {@link NoteFormatError} naming the rule (a witness answers 400). */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw new NoteFormatError('add-checkpoint.form', 'no blank line before the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const oldLine = head[0] ?? '';
  const match = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!match || !Number.isSafeInteger(Number(match[1]))) {
    throw new NoteFormatError(
      'add-checkpoint.old',
      `the first line is "old <size>" without leading zeroes: ${oldLine.slice(0, 40)}`,
    );
  }
  const proofLines = head.slice(1);
  if (proofLines.length > MAX_PROOF_LINES) {
    throw new NoteFormatError('add-checkpoint.proof', `more than ${MAX_PROOF_LINES} consistency proof lines`);
  }
  const proof = proofLines.map((line, i) => {
    let hash: Uint8Array;
    try {
      hash = base64ToBytes(line);
    } catch {
      throw new NoteFormatError('add-checkpoint.proof', `proof line ${i + 1} is not base64`);
    }
    if (hash.length !== 32 || /\s/.test(line)) {
      throw new NoteFormatError('add-checkpoint.proof', `proof line ${i + 1} is not a 32-byte hash`);
    }
    return hash;
  });
  return { oldSize: Number(match[1]), proof, checkpoint: body.slice(blank + 2) };
}
