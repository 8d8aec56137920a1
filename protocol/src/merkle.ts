/**
 * RFC 6962 (Certificate Transparency) Merkle trees over SHA-256:
 * leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right), the empty tree hashes to
 * SHA-256(""). Trees are built bottom-up, a level's odd last node moving up unchanged, which yields exactly
 * RFC 6962's "split at the largest power of two" tree in O(n) hashes.
 *
 * Every function takes the tree's hash as an optional last argument (a 32-byte digest such as a crypto suite's
 * `digest`: SM3 for the 国密 suite); SHA-256 when none is given, so every existing tree is what it was.
 */
import { equalBytes } from './bytes.js';
import { type DigestImplementation } from './pluggable-digest.js';
import { sha256OfParts } from './sha256.js';

const SHA256: DigestImplementation = (parts) => sha256OfParts(parts);

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);
const HASH_BYTES = 32;

/** RFC 6962 leaf hash: SHA-256(0x00 || data); a string leaf stands for its UTF-8 bytes. */
export function leafHash(data: Uint8Array | string, digest: DigestImplementation = SHA256): Uint8Array {
  return digest([LEAF_PREFIX, data]);
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(
  left: Uint8Array,
  right: Uint8Array,
  digest: DigestImplementation = SHA256,
): Uint8Array {
  return digest([NODE_PREFIX, left, right]);
}

/**
 * Merkle Tree Hash of the raw leaves (the leaf hash is applied here); a string leaf stands for its UTF-8 bytes,
 * hashed without a separate copy when the registered SHA-256 takes strings natively.
 */
export function merkleRoot(
  leaves: readonly (Uint8Array | string)[],
  digest: DigestImplementation = SHA256,
): Uint8Array {
  if (leaves.length === 0) return digest([]);
  let level = leaves.map((leaf) => leafHash(leaf, digest));
  while (level.length > 1) level = parentLevel(level, digest);
  return level[0] as Uint8Array;
}

/** Audit path of leaf `index`: sibling hashes from the leaf up to the root. */
export function inclusionProof(
  index: number,
  leaves: readonly Uint8Array[],
  digest: DigestImplementation = SHA256,
): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`inclusionProof: index ${index} is outside a tree of ${leaves.length} leaves`);
  }
  const proof: Uint8Array[] = [];
  let level = leaves.map((leaf) => leafHash(leaf, digest));
  let position = index;
  while (level.length > 1) {
    const sibling = level[position ^ 1];
    if (sibling) proof.push(sibling);
    level = parentLevel(level, digest);
    position >>= 1;
  }
  return proof;
}

/**
 * True when `proof` shows that raw leaf `leaf` sits at `index` in a tree of `size` leaves with root `root`
 * (RFC 9162 section 2.1.3.2). Never throws: malformed input is simply not a proof.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  digest: DigestImplementation = SHA256,
): boolean {
  if (!isSafeIndex(index, size) || proof.some((p) => p.length !== HASH_BYTES)) return false;
  const computed = rootFromInclusionPath(leafHash(leaf, digest), index, size - 1, proof, digest);
  return computed !== undefined && equalBytes(computed, root);
}

/**
 * The root an audit path leads to from the leaf hash `start` at `index` in a tree whose last index is
 * `lastIndex` (RFC 9162 section 2.1.3.2, steps 2 to 5); undefined when the path has the wrong length.
 */
export function rootFromInclusionPath(
  start: Uint8Array,
  index: number,
  lastIndex: number,
  proof: readonly Uint8Array[],
  digest: DigestImplementation = SHA256,
): Uint8Array | undefined {
  let fn = index;
  let sn = lastIndex;
  let hash = start;
  for (const sibling of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash, digest);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, sibling, digest);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? hash : undefined;
}

function isSafeIndex(index: number, size: number): boolean {
  return Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size;
}

function parentLevel(level: readonly Uint8Array[], digest: DigestImplementation): Uint8Array[] {
  const parents: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) {
    parents.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array, digest));
  }
  if (level.length % 2 === 1) parents.push(level[level.length - 1] as Uint8Array);
  return parents;
}
