/**
 * The log's side of c2sp.org/tlog-witness: send a signed checkpoint with a consistency proof from the size
 * the witness last cosigned, and take back its cosignature. A 409 names the witness's size: the request is
 * made once more from there (a witness restarted from older state, or a log restarted before it stored the
 * last answer). The cosignature is checked against the witness's pinned key before it is kept.
 */
import {
  formatAddCheckpoint,
  type NoteSignature,
  type NoteVerifier,
  parseNote,
  type RegionCode,
  TLOG_SIZE_CONTENT_TYPE,
  type TreeHashes,
  consistencyProof,
  verifyCosignature,
} from '@approval-ledger/protocol';

export interface WitnessEndpoint {
  readonly region: RegionCode;
  /** The submission prefix, e.g. http://127.0.0.1:7402 */
  readonly url: string;
  readonly key: NoteVerifier;
}

export interface Cosigned {
  readonly signature: NoteSignature;
  /** The size the witness now holds for this log. */
  readonly size: number;
}

export class WitnessRefusedError extends Error {
  override readonly name = 'WitnessRefusedError';
  constructor(
    readonly witness: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`witness ${witness} answered ${status}: ${body.trim().slice(0, 300)}`);
  }
}

/** Asks `witness` to cosign `note` (the checkpoint of `tree` at its size), starting from `oldSize`. */
export async function requestCosignature(
  witness: WitnessEndpoint,
  note: string,
  text: string,
  size: number,
  tree: TreeHashes,
  oldSize: number,
  timeoutMs = 10_000,
): Promise<Cosigned> {
  let from = oldSize;
  for (let attempt = 0; ; attempt++) {
    const proof = from > 0 && from < size ? consistencyProof(tree, from, size) : [];
    const response = await fetch(`${witness.url}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpoint({ oldSize: from, proof, checkpoint: note }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.status === 200) return { signature: cosignatureIn(witness, body, text), size };
    const known = knownSize(response, body);
    if (attempt > 0 || known === undefined || known > size || known === from) {
      throw new WitnessRefusedError(witness.key.name, response.status, body);
    }
    from = known;
  }
}

function knownSize(response: Response, body: string): number | undefined {
  if (response.status !== 409) return undefined;
  if (!(response.headers.get('content-type') ?? '').startsWith(TLOG_SIZE_CONTENT_TYPE)) return undefined;
  const size = /^(0|[1-9][0-9]*)\n$/.exec(body);
  return size ? Number(size[1]) : undefined;
}

function cosignatureIn(witness: WitnessEndpoint, body: string, text: string): NoteSignature {
  const lines = parseNote(`${text}\n${body}`).signatures;
  const mine = lines.find((s) => s.name === witness.key.name && s.keyId === witness.key.keyId);
  if (!mine || !verifyCosignature(witness.key, text, mine.signature)) {
    throw new WitnessRefusedError(
      witness.key.name,
      200,
      'no valid cosignature by its pinned key in the answer',
    );
  }
  return mine;
}
