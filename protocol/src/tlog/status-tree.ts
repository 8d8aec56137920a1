/**
 * The status commitment: a sorted-leaf RFC 6962 Merkle tree over the status of every revoked thing at one tree
 * size of the log, so that a checkpoint can commit to "what is revoked as of block N" and a bundle can prove
 * both "K was revoked by tx X at block B" (membership) and "K is not revoked" (non-membership: the two
 * neighbouring leaves whose keys enclose K, adjacent in the tree).
 *
 * Leaves. One leaf per revoked key; the key is `<kind>/<id>` (kind: certificate, milestone, recognition), and
 * leaves are sorted by the key's UTF-8 bytes (not by JavaScript's UTF-16 order). The leaf data is the
 * canonical JSON (RFC 8785) of the entry, `{"block":B,"by":"…","id":"…","kind":"…","status":"…","txId":"…"}`
 * (`by` only when there is one: the REVOKED milestone, the revoked source), hashed as RFC 6962 leaves:
 * SHA-256(0x00 || UTF-8 bytes). The empty tree's root is SHA-256(""). A key revoked twice keeps its first
 * revocation: status is a fact about the earliest revocation, later ones change nothing.
 *
 * Versions (corrections, 更正). A superseded version N of a certificate or milestone is a leaf of its own,
 * keyed `<kind>@<N>/<id>` (the `@N` sits in the kind part, which holds no `/`, so it can never collide with
 * a `<kind>/<id>` key whatever the id), status SUPERSEDED, with `version` N, `supersededBy` M (the next
 * version) and the transaction and block that anchored M. So a bundle of version N proves either "superseded
 * by version M in tx X at block B" (membership) or "still the latest version" (non-membership), as of the
 * checkpoint, exactly as it proves revocation; the leaf data then has `supersededBy` and `version` as well.
 *
 * Why a sorted-leaf tree rather than a sparse Merkle tree: it reuses the RFC 6962 hashing and proofs the log
 * already uses (and its vectors), proofs are O(log n) for the n revoked things rather than 256 levels, and
 * rebuilding it at 100 000 leaves costs ~200 000 hashes. The checkpoint commits to its size and root together
 * (`status <size> <base64 root>`), because an inclusion proof is only meaningful for a known size: with the
 * size fixed, index i and i+1 are adjacent leaves, which is what non-membership rests on.
 *
 * The verifier never throws for a malformed proof, it answers.
 */
import { bytesToHex, equalBytes, hexToBytes, utf8Encode } from '../bytes.js';
import { canonicalize } from '../canonical-json.js';
import { leafHash } from '../merkle.js';
import { bytesToBase64, base64ToBytes } from '../proof/base64.js';
import { type DigestImplementation } from '../pluggable-digest.js';
import { emptyRoot, inclusionPath, MemoryTree, verifyInclusionProof } from './merkle-proofs.js';

export const STATUS_KINDS = ['certificate', 'milestone', 'recognition'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

/**
 * REVOKED: revoked itself (a certificate, a milestone a REVOKED milestone revoked); SOURCE_REVOKED: a recognition;
 * SUPERSEDED: a version of a certificate or milestone that a later version (a correction) replaced.
 */
export const STATUS_VALUES = ['REVOKED', 'SOURCE_REVOKED', 'SUPERSEDED'] as const;
export type StatusValue = (typeof STATUS_VALUES)[number];

export interface StatusEntry {
  readonly kind: StatusKind;
  readonly id: string;
  readonly status: StatusValue;
  /**
   * The transaction that revoked it (for SOURCE_REVOKED, the one that revoked the source; for SUPERSEDED, the one
   * that anchored the version that supersedes it).
   */
  readonly txId: string;
  /** The block holding that transaction. */
  readonly block: number;
  /** The REVOKED milestone that revoked a milestone, or the revoked source of a recognition. */
  readonly by?: string;
  /** SUPERSEDED only: the superseded version. */
  readonly version?: number;
  /** SUPERSEDED only: the version that superseded it (the next one). */
  readonly supersededBy?: number;
}

/** One leaf of a status proof: its position in the tree, its entry and its RFC 6962 audit path (hex). */
export interface StatusLeafProof {
  readonly index: number;
  readonly entry: StatusEntry;
  readonly path: string[];
}

/**
 * A status proof against the status tree of `size` leaves: `member` when the key is revoked, else the
 * neighbours `left` (largest key below) and `right` (smallest key above), either absent at an end of the tree.
 */
export interface StatusProof {
  readonly kind: StatusKind;
  readonly id: string;
  /** The version the proof is about (a supersession proof); absent for a revocation proof. */
  readonly version?: number;
  readonly size: number;
  readonly member?: StatusLeafProof;
  readonly left?: StatusLeafProof;
  readonly right?: StatusLeafProof;
}

export type StatusProofVerification =
  | { readonly ok: true; readonly revoked: true; readonly entry: StatusEntry }
  | { readonly ok: true; readonly revoked: false }
  | { readonly ok: false; readonly reason: string };

/** The extension line a checkpoint carries for the status tree at its size. */
export const STATUS_EXTENSION_PREFIX = 'status ';

const MAX_ID = 256;

export class StatusEntryError extends Error {
  override readonly name = 'StatusEntryError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** `<kind>/<id>`, or `<kind>@<version>/<id>` for the supersession of one version. */
export function statusKey(kind: string, id: string, version?: number): string {
  return version === undefined ? `${kind}/${id}` : `${kind}@${version}/${id}`;
}

/** The key of an entry. */
export function statusKeyOf(entry: StatusEntry): string {
  return statusKey(entry.kind, entry.id, entry.version);
}

/** Compares keys by their UTF-8 bytes (the tree's order). */
export function compareStatusKeys(a: string, b: string): number {
  return compareBytes(utf8Encode(a), utf8Encode(b));
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const ENTRY_RULES: readonly [keyof StatusEntry, string, (e: StatusEntry) => boolean][] = [
  [
    'kind',
    `must be one of ${STATUS_KINDS.join(', ')}`,
    (e) => (STATUS_KINDS as readonly string[]).includes(e.kind),
  ],
  [
    'id',
    `must be 1..${MAX_ID} characters`,
    (e) => typeof e.id === 'string' && e.id.length > 0 && e.id.length <= MAX_ID,
  ],
  [
    'status',
    `must be one of ${STATUS_VALUES.join(', ')}`,
    (e) => (STATUS_VALUES as readonly string[]).includes(e.status),
  ],
  ['txId', 'must be a non-empty transaction id', (e) => typeof e.txId === 'string' && e.txId.length > 0],
  ['block', 'must be a non-negative integer', (e) => Number.isSafeInteger(e.block) && e.block >= 0],
  [
    'by',
    'must be a non-empty string when present',
    (e) => e.by === undefined || (typeof e.by === 'string' && e.by.length > 0),
  ],
  [
    'version',
    'must be a positive integer on a SUPERSEDED entry (of a certificate or milestone) and absent otherwise',
    (e) =>
      e.status === 'SUPERSEDED'
        ? e.kind !== 'recognition' && isVersion(e.version)
        : e.version === undefined && e.supersededBy === undefined,
  ],
  [
    'supersededBy',
    'must be a version above `version` on a SUPERSEDED entry',
    (e) =>
      e.status !== 'SUPERSEDED' ||
      (isVersion(e.supersededBy) && (e.supersededBy as number) > (e.version as number)),
  ],
];

function isVersion(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/** Throws a {@link StatusEntryError} naming the field and the rule when the entry is not well formed. */
export function checkStatusEntry(entry: StatusEntry): void {
  if (typeof entry !== 'object' || entry === null) throw new StatusEntryError('entry', 'must be an object');
  for (const [field, rule, ok] of ENTRY_RULES) if (!ok(entry)) throw new StatusEntryError(field, rule);
}

/** The entry's canonical leaf data (only the documented fields, in RFC 8785 order). */
export function statusLeafData(entry: StatusEntry): string {
  const { kind, id, status, txId, block, by, version, supersededBy } = entry;
  return canonicalize({
    block,
    ...(by === undefined ? {} : { by }),
    id,
    kind,
    status,
    ...(supersededBy === undefined ? {} : { supersededBy }),
    txId,
    ...(version === undefined ? {} : { version }),
  });
}

export function statusLeafHash(entry: StatusEntry, digest?: DigestImplementation): Uint8Array {
  return leafHash(utf8Encode(statusLeafData(entry)), digest);
}

/**
 * The status tree over a set of entries (any order; the first entry of a key wins), hashed with `digest` (the log's
 * suite: SHA-256 unless given, SM3 for a `gm` log).
 */
export class StatusTree {
  readonly entries: readonly StatusEntry[];
  /** The sorted keys' UTF-8 bytes, encoded once. */
  readonly #keys: readonly Uint8Array[];
  readonly #tree: MemoryTree;

  constructor(
    entries: Iterable<StatusEntry>,
    readonly digest?: DigestImplementation,
  ) {
    const byKey = new Map<string, StatusEntry>();
    for (const entry of entries) {
      checkStatusEntry(entry);
      const key = statusKeyOf(entry);
      const known = byKey.get(key);
      if (!known || entry.block < known.block) byKey.set(key, entry);
    }
    const keys = [...byKey.keys()]
      .map((key) => ({ key, bytes: utf8Encode(key) }))
      .sort((a, b) => compareBytes(a.bytes, b.bytes));
    this.#keys = keys.map((k) => k.bytes);
    this.entries = keys.map((k) => byKey.get(k.key) as StatusEntry);
    this.#tree = new MemoryTree(
      this.entries.map((e) => statusLeafHash(e, digest)),
      digest,
    );
  }

  get size(): number {
    return this.entries.length;
  }

  root(): Uint8Array {
    return this.size === 0 ? emptyRoot(this.digest) : this.#tree.root();
  }

  /** The entry of a key (with `version`: of that version's supersession), when there is one. */
  get(kind: StatusKind, id: string, version?: number): StatusEntry | undefined {
    const i = this.#search(statusKey(kind, id, version));
    return i.found ? this.entries[i.index] : undefined;
  }

  /** The membership or non-membership proof of a key (with `version`: of that version's supersession). */
  prove(kind: StatusKind, id: string, version?: number): StatusProof {
    const { found, index } = this.#search(statusKey(kind, id, version));
    const base = { kind, id, ...(version === undefined ? {} : { version }), size: this.size };
    if (found) return { ...base, member: this.#leaf(index) };
    return {
      ...base,
      ...(index > 0 ? { left: this.#leaf(index - 1) } : {}),
      ...(index < this.size ? { right: this.#leaf(index) } : {}),
    };
  }

  #leaf(index: number): StatusLeafProof {
    return {
      index,
      entry: this.entries[index] as StatusEntry,
      path: inclusionPath(this.#tree, index, this.size).map(bytesToHex),
    };
  }

  /** Binary search: the key's index, or where it would be inserted. */
  #search(text: string): { found: boolean; index: number } {
    const key = utf8Encode(text);
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareBytes(this.#keys[mid] as Uint8Array, key);
      if (c === 0) return { found: true, index: mid };
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return { found: false, index: lo };
  }
}

/** `status <size> <base64 root>`: the checkpoint extension line committing to the status tree. */
export function formatStatusExtension(size: number, root: Uint8Array): string {
  return `${STATUS_EXTENSION_PREFIX}${size} ${bytesToBase64(root)}`;
}

/** The status commitment of a checkpoint's extension lines, or undefined when it has none (or it is malformed). */
export function parseStatusExtension(
  extensions: readonly string[] | undefined,
): { readonly size: number; readonly root: Uint8Array } | undefined {
  const lines = (extensions ?? []).filter((l) => l.startsWith(STATUS_EXTENSION_PREFIX));
  if (lines.length !== 1) return undefined;
  const match = /^status (0|[1-9][0-9]*) ([A-Za-z0-9+/]{43}=)$/.exec(lines[0] as string);
  if (!match || !Number.isSafeInteger(Number(match[1]))) return undefined;
  const root = base64ToBytes(match[2] as string);
  return root.length === 32 ? { size: Number(match[1]), root } : undefined;
}

/**
 * Checks a status proof for the key `<kind>/<id>` against the status tree of `size` leaves with root `root`
 * (from a verified checkpoint): a member proves the key revoked, two adjacent neighbours enclosing the key
 * (or one at an end of the tree, or an empty tree) prove it not revoked. Never throws.
 */
export function verifyStatusProof(
  proof: StatusProof,
  expected: {
    readonly kind: string;
    readonly id: string;
    /** A supersession proof: about this version of the record. */
    readonly version?: number;
    readonly size: number;
    readonly root: Uint8Array;
    /** The status tree's hash (the log's suite); SHA-256 unless given. */
    readonly digest?: DigestImplementation;
  },
): StatusProofVerification {
  try {
    const key = statusKey(expected.kind, expected.id, expected.version);
    const about = statusKey(proof.kind, proof.id, proof.version);
    if (about !== key) return fail(`the proof is about ${about}, not ${key}`);
    if (proof.size !== expected.size) {
      return fail(
        `the proof is for a status tree of ${proof.size} leaves, the checkpoint commits to ${expected.size}`,
      );
    }
    if (proof.member) return verifyMember(proof.member, key, expected);
    return verifyAbsent(proof, key, expected);
  } catch (error) {
    return fail(`malformed status proof: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fail(reason: string): StatusProofVerification {
  return { ok: false, reason };
}

function leafVerifies(leaf: StatusLeafProof, expected: Expected): boolean {
  checkStatusEntry(leaf.entry);
  if (
    !Array.isArray(leaf.path) ||
    leaf.path.some((p) => typeof p !== 'string' || !/^[0-9a-f]{64}$/.test(p))
  ) {
    return false;
  }
  return verifyInclusionProof(
    statusLeafHash(leaf.entry, expected.digest),
    leaf.index,
    expected.size,
    leaf.path.map(hexToBytes),
    expected.root,
    expected.digest,
  );
}

function verifyMember(member: StatusLeafProof, key: string, expected: Expected): StatusProofVerification {
  if (statusKeyOf(member.entry) !== key) {
    return fail(`the member leaf is ${statusKeyOf(member.entry)}, not ${key}`);
  }
  if (!leafVerifies(member, expected))
    return fail(`the member leaf ${member.index} is not in the status tree`);
  return { ok: true, revoked: true, entry: member.entry };
}

type Expected = {
  readonly size: number;
  readonly root: Uint8Array;
  readonly digest?: DigestImplementation;
};

function verifyAbsent(proof: StatusProof, key: string, expected: Expected): StatusProofVerification {
  if (expected.size === 0) return verifyEmpty(proof, expected);
  if (!proof.left && !proof.right) return fail('a non-membership proof needs at least one neighbour');
  const problem = leftProblem(proof, key, expected) || rightProblem(proof, key, expected) || adjacency(proof);
  return problem ? fail(problem) : { ok: true, revoked: false };
}

function leftProblem(proof: StatusProof, key: string, expected: Expected): string | false {
  if (proof.left) return neighbourProblem(proof.left, 'left', key, expected);
  return proof.right?.index !== 0 && 'without a left neighbour the right one must be leaf 0';
}

function rightProblem(proof: StatusProof, key: string, expected: Expected): string | false {
  if (proof.right) return neighbourProblem(proof.right, 'right', key, expected);
  return (
    proof.left?.index !== expected.size - 1 && 'without a right neighbour the left one must be the last leaf'
  );
}

function adjacency({ left, right }: StatusProof): string | false {
  return !!left && !!right && right.index !== left.index + 1 && 'the neighbours are not adjacent leaves';
}

function verifyEmpty(proof: StatusProof, expected: Expected): StatusProofVerification {
  if (proof.left || proof.right) return fail('an empty status tree has no neighbours');
  return equalBytes(expected.root, emptyRoot(expected.digest))
    ? { ok: true, revoked: false }
    : fail('the status root is not the empty tree');
}

/** Why a neighbour does not prove what it should, or false. */
function neighbourProblem(
  leaf: StatusLeafProof,
  side: 'left' | 'right',
  key: string,
  expected: Expected,
): string | false {
  if (!leafVerifies(leaf, expected)) return `the ${side} neighbour ${leaf.index} is not in the status tree`;
  const order = compareStatusKeys(statusKeyOf(leaf.entry), key);
  if (side === 'left' ? order >= 0 : order <= 0) {
    return `the ${side} neighbour ${statusKeyOf(leaf.entry)} does not sort ${side === 'left' ? 'below' : 'above'} ${key}`;
  }
  return false;
}
