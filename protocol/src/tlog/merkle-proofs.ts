/**
 * Inclusion and consistency proofs of an append-only RFC 6962 log, over leaf hashes (as a log stores them).
 *
 * Generation follows RFC 6962 section 2.1.1 (PATH) and 2.1.2 (SUBPROOF) by name, asking a {@link TreeHashes}
 * for the hash of each subtree it needs: a store that keeps the hash of every complete (power-of-two aligned)
 * subtree answers each with one read, the right edge's incomplete subtrees with O(log n) reads, so a proof
 * costs O(log n) reads at any tree size. Verification follows RFC 9162 section 2.1.3.2 and 2.1.4.2; like
 * `merkle.ts` it never throws for malformed input, it answers false. Every function takes the tree's hash as an
 * optional last argument (a crypto suite's `digest`: SM3 for a `gm` log), SHA-256 when none is given.
 */
import { equalBytes } from '../bytes.js';
import { nodeHash, rootFromInclusionPath } from '../merkle.js';
import { type DigestImplementation } from '../pluggable-digest.js';
import { sha256, sha256OfParts } from '../sha256.js';

/** The tree hash when a caller names none: SHA-256 (the `intl` suite); a `gm` log passes SM3 (`SUITES.gm.digest`). */
const SHA256: DigestImplementation = (parts) => sha256OfParts(parts);

const HASH_BYTES = 32;

/** Read access to a log's tree: the RFC 6962 hash of leaves [start, end), 0 <= start < end <= size. */
export interface TreeHashes {
  readonly size: number;
  /** Merkle Tree Hash of D[start:end]. */
  rangeHash(start: number, end: number): Uint8Array;
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The hash of leaves [start, end) from the hashes of complete subtrees: `completeNode(level, index)` is the
 * hash of leaves [index * 2^level, (index + 1) * 2^level). An aligned power-of-two range is one read; any
 * other splits at the largest power of two, whose left part is complete, so a range costs O(log n) reads.
 */
export function rangeHashOf(
  start: number,
  end: number,
  completeNode: (level: number, index: number) => Uint8Array,
  digest: DigestImplementation = SHA256,
): Uint8Array {
  const width = end - start;
  const level = Math.log2(width);
  if (Number.isInteger(level) && start % width === 0) return completeNode(level, start / width);
  const k = splitPoint(width);
  return nodeHash(
    rangeHashOf(start, start + k, completeNode, digest),
    rangeHashOf(start + k, end, completeNode, digest),
    digest,
  );
}

/**
 * An in-memory tree over leaf hashes, every complete subtree kept (for tests, tools and small logs). `digest` is
 * the tree's hash (SHA-256 unless given).
 */
export class MemoryTree implements TreeHashes {
  readonly #levels: Uint8Array[][] = [[]];

  constructor(
    leafHashes: readonly Uint8Array[] = [],
    readonly digest: DigestImplementation = SHA256,
  ) {
    for (const hash of leafHashes) this.append(hash);
  }

  get size(): number {
    return (this.#levels[0] as Uint8Array[]).length;
  }

  append(leafHash: Uint8Array): void {
    let hash = leafHash;
    for (let level = 0; ; level++) {
      const row = (this.#levels[level] ??= []);
      row.push(hash);
      if (row.length % 2 === 1) return;
      hash = nodeHash(row[row.length - 2] as Uint8Array, hash, this.digest);
    }
  }

  rangeHash(start: number, end: number): Uint8Array {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end)) {
      throw new RangeError(`rangeHash: [${start}, ${end}) is not a non-empty range`);
    }
    if (end > this.size)
      throw new RangeError(`rangeHash: end ${end} is beyond the tree's ${this.size} leaves`);
    return rangeHashOf(start, end, (level, index) => this.#levels[level]?.[index] as Uint8Array, this.digest);
  }

  root(size: number = this.size): Uint8Array {
    return size === 0 ? emptyRoot(this.digest) : this.rangeHash(0, size);
  }
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = sha256(new Uint8Array(0));

/** The root of the empty tree under `digest`: the digest of nothing. */
export function emptyRoot(digest: DigestImplementation = SHA256): Uint8Array {
  return digest === SHA256 ? EMPTY_ROOT : digest([]);
}

/** RFC 6962 PATH(index, D[0:size]): sibling hashes from the leaf up. Throws a RangeError for a bad index. */
export function inclusionPath(tree: TreeHashes, index: number, size: number = tree.size): Uint8Array[] {
  checkSize(tree, size, 'size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`inclusionPath: index ${index} is outside a tree of ${size} leaves`);
  }
  const path: Uint8Array[] = [];
  let start = 0;
  let end = size;
  let m = index;
  // walk down from the root, collecting siblings top-down; reversed at the end (RFC order is leaf-up)
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      path.push(tree.rangeHash(start + k, end));
      end = start + k;
    } else {
      path.push(tree.rangeHash(start, start + k));
      start += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** RFC 6962 PROOF(oldSize, D[0:newSize]); empty when the sizes are equal. 0 < oldSize <= newSize. */
export function consistencyProof(
  tree: TreeHashes,
  oldSize: number,
  newSize: number = tree.size,
): Uint8Array[] {
  checkSize(tree, newSize, 'newSize');
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newSize) {
    throw new RangeError(`consistencyProof: oldSize ${oldSize} must be 1..${newSize}`);
  }
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[start:end], b), unrolled; nodes are found top-down and listed bottom-up
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      proof.push(tree.rangeHash(start + k, end));
      end = start + k;
    } else {
      proof.push(tree.rangeHash(start, start + k));
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(tree.rangeHash(start, end));
  return proof.reverse();
}

function checkSize(tree: TreeHashes, size: number, field: string): void {
  if (!Number.isSafeInteger(size) || size < 1 || size > tree.size) {
    throw new RangeError(`${field} ${size} must be 1..${tree.size} (the tree's size)`);
  }
}

/**
 * True when `proof` shows that the leaf with hash `leafHash` sits at `index` in the tree of `size` leaves
 * whose root is `root` (RFC 9162 section 2.1.3.2).
 */
export function verifyInclusionProof(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  digest: DigestImplementation = SHA256,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leafHash.length !== HASH_BYTES || proof.some((p) => p.length !== HASH_BYTES)) return false;
  const computed = rootFromInclusionPath(leafHash, index, size - 1, proof, digest);
  return computed !== undefined && equalBytes(computed, root);
}

/**
 * True when `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of
 * `newSize` leaves with root `newRoot` (RFC 9162 section 2.1.4.2). Equal sizes need an empty proof and equal
 * roots; a proof from the empty tree (oldSize 0) proves nothing and is refused, as transparency-dev/merkle does.
 */
export function verifyConsistencyProof(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  digest: DigestImplementation = SHA256,
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize)) return false;
  if (oldSize < 1 || newSize < oldSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_BYTES)) return false;
  return consistencyWalk(oldSize, newSize, proof, oldRoot, newRoot, digest);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** Right-shifts both while the first is odd (RFC 9162 section 2.1.4.2, step 4). */
function shiftWhileOdd(fn: number, sn: number): [number, number] {
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return [fn, sn];
}

function consistencyWalk(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  digest: DigestImplementation,
): boolean {
  // step 2: a power-of-two old tree is itself the first node of the path
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let [fn, sn] = shiftWhileOdd(oldSize - 1, newSize - 1);
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr, digest);
      sr = nodeHash(c, sr, digest);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c, digest);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}
