/**
 * The anchorer's durable state in `<dataDir>/anchor/`, each file written so that kill -9 at any point leaves
 * a state it can resume from:
 * - `contract.json`: the chain id and CheckpointAnchor address in use (atomic replace);
 * - `pending.json`: the signed transaction about to be sent, written BEFORE it is broadcast (atomic replace),
 *   removed once its anchor is recorded. On start a pending transaction is looked up on the chain: recorded
 *   if mined, sent again if unknown (same nonce, same bytes: it can only be mined once);
 * - `anchors.jsonl`: one anchor record per line, appended and fsynced; a torn last line (kill -9 during the
 *   append) is ignored on read, and the pending file, still there, restores it;
 * - `notes/<size>.note`: the cosigned checkpoint note as anchored (its SHA-256 is the event's noteHash), written
 *   (atomic replace) before its anchor record: proof bundles carry it, so a verifier checks the anchored
 *   checkpoint's signatures itself. An anchor recovered from the chain's logs alone has no note.
 */
import { type AnchorRecord } from '@approval-ledger/protocol/api';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../tlog/atomic-file';

export interface ContractRecord {
  readonly chainId: number;
  readonly address: string;
  /** The block it was deployed in (logs are searched from there); null when configured, not deployed. */
  readonly deployedAtBlock: number | null;
  /** The JSON-RPC URL the hub last used (what `ledger anchors verify` asks when given none). */
  readonly rpcUrl?: string;
}

export interface PendingAnchor {
  readonly txHash: string;
  /** The signed transaction, hex. */
  readonly raw: string;
  readonly nonce: number;
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly rootHash: string };
  readonly noteHash: string;
  readonly cosignedBy: readonly string[];
  /** The cosigned note anchored (absent in a pending file an older hub wrote). */
  readonly note?: string;
}

export function anchorDir(dataDir: string): string {
  return join(dataDir, 'anchor');
}

export class AnchorStore {
  readonly #dir: string;
  #anchors: AnchorRecord[];

  constructor(dataDir: string) {
    this.#dir = anchorDir(dataDir);
    mkdirSync(this.#dir, { recursive: true });
    for (const file of ['contract.json', 'pending.json']) removeStaleTemps(join(this.#dir, file));
    this.#anchors = this.#readAnchors();
  }

  get dir(): string {
    return this.#dir;
  }

  contract(): ContractRecord | undefined {
    return this.#readJson<ContractRecord>('contract.json');
  }

  saveContract(contract: ContractRecord): void {
    writeFileAtomic(join(this.#dir, 'contract.json'), `${JSON.stringify(contract, null, 2)}\n`);
  }

  pending(): PendingAnchor | undefined {
    return this.#readJson<PendingAnchor>('pending.json');
  }

  savePending(pending: PendingAnchor): void {
    writeFileAtomic(join(this.#dir, 'pending.json'), `${JSON.stringify(pending, null, 2)}\n`);
  }

  clearPending(): void {
    rmSync(join(this.#dir, 'pending.json'), { force: true });
  }

  /** Keeps the cosigned note anchored at `size` (before the anchor record is appended). */
  saveNote(size: number, note: string): void {
    mkdirSync(join(this.#dir, 'notes'), { recursive: true });
    writeFileAtomic(this.#notePath(size), note);
  }

  /** The cosigned note anchored at `size`, when it was kept. */
  note(size: number): string | undefined {
    const path = this.#notePath(size);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  #notePath(size: number): string {
    return join(this.#dir, 'notes', `${size}.note`);
  }

  /** Oldest first. */
  all(): readonly AnchorRecord[] {
    return this.#anchors;
  }

  latest(): AnchorRecord | undefined {
    return this.#anchors.at(-1);
  }

  /** Whether a checkpoint of this origin and size, or a larger one, is recorded. */
  covers(origin: string, size: number): boolean {
    return this.#anchors.some(
      (a) => a.anchor.checkpoint.origin === origin && a.anchor.checkpoint.size >= size,
    );
  }

  /** Appends (fsynced) unless an anchor of the same transaction is recorded already. */
  append(record: AnchorRecord): void {
    if (this.#anchors.some((a) => a.anchor.txHash === record.anchor.txHash)) return;
    const path = join(this.#dir, 'anchors.jsonl');
    const fd = openSync(path, 'a', 0o644);
    try {
      // a torn line a kill -9 left would glue onto this one: start on a fresh line
      writeSync(fd, `${this.#endsTorn(path) ? '\n' : ''}${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#anchors = [...this.#anchors, record];
  }

  /** Newest first, anchors of sizes below `before` when given. */
  page(limit: number, before?: number): AnchorRecord[] {
    return [...this.#anchors]
      .reverse()
      .filter((a) => before === undefined || a.anchor.checkpoint.size < before)
      .slice(0, limit);
  }

  #endsTorn(path: string): boolean {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    return text !== '' && !text.endsWith('\n');
  }

  #readAnchors(): AnchorRecord[] {
    const path = join(this.#dir, 'anchors.jsonl');
    if (!existsSync(path)) return [];
    const records: AnchorRecord[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as AnchorRecord);
      } catch {
        // a line torn by kill -9 during append; its pending.json restores it
      }
    }
    return records;
  }

  #readJson<T>(file: string): T | undefined {
    const path = join(this.#dir, file);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
  }
}
