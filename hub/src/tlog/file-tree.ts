/**
 * The log's Merkle tree on disk: one append-only file per level, `level-<k>.bin`, holding the 32-byte hash of
 * every complete subtree of 2^k leaves in order (level 0: the leaf hashes). That is 2n hashes for n leaves,
 * and any RFC 6962 proof or root is O(log n) positional reads (`rangeHashOf`), never a pass over the leaves.
 *
 * Appends keep the right edge in memory (the last odd node of each level, whose right sibling is the next to
 * come) and write each level with one positional write per batch. Level 0 is written first; on open the
 * upper levels are cut back to what level 0 implies and any missing node is recomputed from the level below,
 * so a crash between the writes (or a torn last hash) leaves a tree that opens to a consistent prefix.
 * `sync()` makes the appended leaves durable (fsync) before a checkpoint names them.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { type DigestImplementation, nodeHash, rangeHashOf, type TreeHashes } from '@approval-ledger/protocol';

const HASH = 32;
const MAX_LEVELS = 53;

export class FileTree implements TreeHashes {
  readonly #dir: string;
  readonly #fds: number[] = [];
  readonly #counts: number[] = [];
  /** The last node of each level whose count is odd: the left sibling of the next node there. */
  readonly #edge: (Uint8Array | undefined)[] = [];
  /** Levels written since the last sync. */
  readonly #dirty = new Set<number>();

  private constructor(
    dir: string,
    readonly digest: DigestImplementation | undefined,
  ) {
    this.#dir = dir;
  }

  /** The tree in `dir`, hashed with `digest` (the log's suite; SHA-256 unless given, SM3 for a gm log). */
  static open(dir: string, digest?: DigestImplementation): FileTree {
    mkdirSync(dir, { recursive: true });
    const tree = new FileTree(dir, digest);
    tree.#recover();
    return tree;
  }

  get size(): number {
    return this.#counts[0] ?? 0;
  }

  /** Appends leaf hashes (each 32 bytes) in order. */
  append(leafHashes: readonly Uint8Array[]): void {
    const pending: Uint8Array[][] = [];
    for (const leaf of leafHashes) {
      if (leaf.length !== HASH) throw new RangeError(`a leaf hash is 32 bytes, got ${leaf.length}`);
      let hash = leaf;
      for (let level = 0; ; level++) {
        (pending[level] ??= []).push(hash);
        const count = (this.#counts[level] ?? 0) + 1;
        this.#counts[level] = count;
        if (count % 2 === 1) {
          this.#edge[level] = hash;
          break;
        }
        hash = nodeHash(this.#edge[level] as Uint8Array, hash, this.digest);
        this.#edge[level] = undefined;
      }
    }
    pending.forEach((hashes, level) => this.#write(level, this.#counts[level]! - hashes.length, hashes));
  }

  /** Merkle Tree Hash of leaves [start, end). */
  rangeHash(start: number, end: number): Uint8Array {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end)) {
      throw new RangeError(`rangeHash: [${start}, ${end}) is not a non-empty range`);
    }
    if (end > this.size)
      throw new RangeError(`rangeHash: end ${end} is beyond the tree's ${this.size} leaves`);
    return rangeHashOf(start, end, (level, index) => this.#read(level, index), this.digest);
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    return this.rangeHash(index, index + 1);
  }

  /** Makes every appended hash durable (an fsync of each level written since the last sync). */
  sync(): void {
    for (const level of this.#dirty) fsyncSync(this.#fd(level));
    this.#dirty.clear();
  }

  close(): void {
    for (const fd of this.#fds.splice(0)) if (fd !== undefined) closeSync(fd);
  }

  #fd(level: number): number {
    if (level >= MAX_LEVELS) throw new RangeError('the tree is deeper than a safe integer allows');
    let fd = this.#fds[level];
    if (fd === undefined) {
      fd = openSync(join(this.#dir, `level-${String(level).padStart(2, '0')}.bin`), 'a+');
      this.#fds[level] = fd;
    }
    return fd;
  }

  #write(level: number, index: number, hashes: readonly Uint8Array[]): void {
    const buffer = Buffer.allocUnsafe(hashes.length * HASH);
    hashes.forEach((h, i) => buffer.set(h, i * HASH));
    // 'a+' appends whatever the position; the count says where that is, so check it
    const fd = this.#fd(level);
    if (fstatSync(fd).size !== index * HASH) ftruncateSync(fd, index * HASH);
    writeSync(fd, buffer, 0, buffer.length);
    this.#dirty.add(level);
  }

  #read(level: number, index: number): Uint8Array {
    const out = new Uint8Array(HASH);
    const read = readSync(this.#fd(level), out, 0, HASH, index * HASH);
    if (read !== HASH) throw new Error(`tree level ${level} has no node ${index} (${this.#dir})`);
    return out;
  }

  /** Cuts every level back to what level 0 implies and recomputes missing upper nodes; rebuilds the edge. */
  #recover(): void {
    let expected = Math.floor(fstatSync(this.#fd(0)).size / HASH);
    for (let level = 0; expected > 0 || level === 0; level++) {
      const fd = this.#fd(level);
      const bytes = fstatSync(fd).size;
      const keep = Math.min(Math.floor(bytes / HASH), expected);
      if (bytes !== keep * HASH) ftruncateSync(fd, keep * HASH);
      const missing: Uint8Array[] = [];
      for (let i = keep; i < expected; i++) {
        missing.push(nodeHash(this.#read(level - 1, 2 * i), this.#read(level - 1, 2 * i + 1), this.digest));
      }
      if (missing.length > 0) this.#write(level, keep, missing);
      this.#counts[level] = expected;
      this.#edge[level] = expected % 2 === 1 ? this.#read(level, expected - 1) : undefined;
      expected = Math.floor(expected / 2);
    }
  }
}
