/**
 * A C2SP tlog-witness (c2sp.org/tlog-witness): for each log it knows (origin and key), it keeps the latest
 * checkpoint it cosigned, and cosigns a new one only with a consistency proof from that one, so a log that
 * shows two different trees (a split view) to this witness is refused.
 *
 * `addCheckpoint` answers exactly as the spec's add-checkpoint: 400 a malformed request or an old size above
 * the checkpoint's; 404 an unknown origin; 403 no signature by the origin's trusted key; 409 (with the known
 * size, `text/x.tlog.size`) an old size that is not the one last cosigned, or the same size with another
 * root; 422 a consistency proof that does not verify; 200 the cosignature line. The check and the persisting
 * of the new state are one synchronous step (no await between them), so concurrent requests cannot roll the
 * state back; the state is written atomically and durably before the cosignature is returned.
 *
 * A witness is of one crypto suite: `intl` (Ed25519 cosignatures of SHA-256 logs) or `gm` (SM2 cosignatures of
 * SM3 logs, whose checkpoints say `crypto gm`). It trusts log keys of its own suite only and cosigns only
 * checkpoints naming it (403 otherwise), checking consistency proofs in the suite's hash.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DigestImplementation,
  NOTE_KEY_KIND,
  SUITES,
  base64ToBytes,
  bytesToBase64,
  equalBytes,
  formatSignatureLine,
  NoteFormatError,
  type NoteSigner,
  type NoteVerifier,
  parseAddCheckpoint,
  TLOG_SIZE_CONTENT_TYPE,
  utf8Encode,
  verifyCheckpoint,
  verifyConsistencyProof,
  type AddCheckpointRequest,
  type TreeHead,
} from '@approval-ledger/protocol';
import { removeStaleTemps, writeFileAtomic } from '../tlog/atomic-file';

export interface WitnessAnswer {
  readonly status: 200 | 400 | 403 | 404 | 409 | 422;
  readonly contentType: string;
  readonly body: string;
}

interface LogState {
  readonly size: number;
  /** base64 root hash of the latest cosigned checkpoint. */
  readonly root: string;
  readonly cosignedAt: string;
}

interface StateFile {
  readonly format: 'approval-ledger/witness-state@1';
  readonly witness: string;
  readonly logs: Record<string, LogState>;
}

const TEXT = 'text/plain; charset=utf-8';

export class Witness {
  readonly #statePath: string;
  readonly #signer: NoteSigner;
  readonly #logs: readonly NoteVerifier[];
  #state: StateFile;

  readonly suite: 'intl' | 'gm';

  /**
   * A witness keeping its state in `dir/state.json`, trusting the given log keys (named by their origins), all of
   * its `suite` (a key of another suite is refused with a TypeError naming it).
   */
  constructor(dir: string, signer: NoteSigner, logs: readonly NoteVerifier[], suite: 'intl' | 'gm' = 'intl') {
    const other = logs.find((k) => k.suite !== suite || NOTE_KEY_KIND[k.kind].cosigns);
    if (other) {
      throw new TypeError(
        `a ${suite} witness trusts ${suite} log keys only; ${other.name} is a ${other.suite} ${other.kind} key`,
      );
    }
    this.suite = suite;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#statePath = join(dir, 'state.json');
    removeStaleTemps(this.#statePath);
    this.#signer = signer;
    this.#logs = logs;
    this.#state = this.#load();
  }

  get name(): string {
    return this.#signer.name;
  }

  /** The latest cosigned size for `origin` (0 when none). */
  latestSize(origin: string): number {
    return this.#state.logs[origin]?.size ?? 0;
  }

  addCheckpoint(body: string): WitnessAnswer {
    let request: AddCheckpointRequest;
    try {
      request = parseAddCheckpoint(body);
    } catch (error) {
      return answer(400, error instanceof NoteFormatError ? error.message : 'malformed request');
    }
    const origin = request.checkpoint.slice(0, request.checkpoint.indexOf('\n'));
    const keys = this.#logs.filter((k) => k.name === origin);
    if (keys.length === 0) return answer(404, `unknown log origin ${JSON.stringify(origin.slice(0, 200))}`);
    const checked = verifyCheckpoint(request.checkpoint, keys, [this.suite]);
    if (!checked.ok) return answer(403, `${checked.rule}: ${checked.reason}`);
    return this.#consider(request, checked.head, checked.text);
  }

  #consider(request: AddCheckpointRequest, head: TreeHead, text: string): WitnessAnswer {
    const known = this.#state.logs[head.origin];
    const knownSize = known?.size ?? 0;
    if (request.oldSize > head.size) return answer(400, `old size ${request.oldSize} exceeds ${head.size}`);
    const conflict = { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${knownSize}\n` } as const;
    if (request.oldSize !== knownSize) return conflict;
    if (known && head.size === known.size && !equalBytes(head.root, base64ToBytes(known.root)))
      return conflict;
    const refusal = proofRefusal(known, head, request.proof, SUITES[this.suite].digest);
    if (refusal) return answer(422, refusal);
    this.#persist(head);
    const signature = this.#signer.sign(utf8Encode(text));
    const line = formatSignatureLine({ name: this.#signer.name, keyId: this.#signer.keyId, signature });
    return { status: 200, contentType: TEXT, body: line };
  }

  #persist(head: TreeHead): void {
    const next: StateFile = {
      ...this.#state,
      logs: {
        ...this.#state.logs,
        [head.origin]: {
          size: head.size,
          root: bytesToBase64(head.root),
          cosignedAt: new Date().toISOString(),
        },
      },
    };
    writeFileAtomic(this.#statePath, `${JSON.stringify(next, null, 2)}\n`);
    this.#state = next;
  }

  #load(): StateFile {
    if (!existsSync(this.#statePath)) {
      return { format: 'approval-ledger/witness-state@1', witness: this.#signer.name, logs: {} };
    }
    const state = JSON.parse(readFileSync(this.#statePath, 'utf8')) as StateFile;
    if (state.format !== 'approval-ledger/witness-state@1' || state.witness !== this.#signer.name) {
      throw new Error(`${this.#statePath} is not the state of witness ${this.#signer.name}`);
    }
    return state;
  }
}

/** Why the consistency proof does not take the known checkpoint to `head` (undefined: it does). */
function proofRefusal(
  known: LogState | undefined,
  head: TreeHead,
  proof: readonly Uint8Array[],
  digest: DigestImplementation,
): string | undefined {
  if (!known) return proof.length > 0 ? 'a proof from old size 0 must be empty' : undefined;
  if (head.size === known.size) return proof.length > 0 ? 'equal sizes take an empty proof' : undefined;
  return verifyConsistencyProof(known.size, head.size, proof, base64ToBytes(known.root), head.root, digest)
    ? undefined
    : `the proof does not show ${head.size} extends the cosigned ${known.size}`;
}

function answer(status: WitnessAnswer['status'], message: string): WitnessAnswer {
  return { status, contentType: TEXT, body: `${message}\n` };
}
