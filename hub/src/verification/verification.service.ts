/**
 * Verification by hash: which anchored records a SHA-256 names (as the commitment of a record, or the digest
 * of an attached document), whether each is still valid (revoked, expired, its recognitions source-revoked),
 * whether the off-chain record still matches its on-chain commitment (`tampered`), and the proof bundle that
 * lets anyone check the answer offline. Lookups go to the chain index (derived from committed blocks); the
 * bundle is built from the blocks themselves.
 */
import {
  openingCheck,
  type CommitmentSuite,
  parseTimestamp,
  passed,
  sha256Hex,
  type AnyProofBundle,
  parseVerifierKey,
  type ProofStatus,
  verifyProofBundle,
} from '@approval-ledger/protocol';
import {
  type MatchRecognition as RecognitionOfMatch,
  type MatchStatus,
  type OffChainState,
  type VerificationStatus,
  type VerifyMatch as VerificationMatch,
  type VerifyResponse as VerificationResult,
  type BundleVerification,
  type TlogStatus,
  type VerifyBundleBody,
} from '@approval-ledger/protocol/api';
import { type StoredRecord, type Store } from '../store';
import {
  type ChainIndex,
  type IndexedAnchor,
  type IndexedRecognition,
  type IndexedVersion,
  versionOfJson,
} from './chain-index';
import { type ProofBundleBuilder } from './proof-bundle-builder';
import { isSourceRevoked, revocationOf, type Revocation } from './source-revocation';

// The answer's shapes are the API contract's (`POST /verify`); the names here are the hub's.
export type {
  MatchStatus,
  OffChainState,
  VerificationStatus,
  MatchRecognition as RecognitionOfMatch,
  VerifyMatch as VerificationMatch,
  VerifyResponse as VerificationResult,
} from '@approval-ledger/protocol/api';
export type { Revocation } from './source-revocation';

export interface VerifyOptions {
  /** Embed each match's proof bundle (they can be large: a batch transaction's envelope). */
  readonly bundles?: boolean;
  readonly now?: Date;
}

export class VerificationService {
  constructor(
    private readonly index: ChainIndex,
    private readonly store: Store,
    private readonly bundles: ProofBundleBuilder,
    /** The suite of the hub's commitments (the data dir's artefact suite). */
    private readonly suite: CommitmentSuite = 'intl',
    /** The transparency log's latest checkpoint (none when the hub runs no log): what a v2 bundle needs. */
    private readonly checkpoints?: { latest(): { readonly size: number } | undefined },
  ) {}

  async verifyHash(sha256: string, options: VerifyOptions = {}): Promise<VerificationResult> {
    const now = options.now ?? new Date();
    const found = [
      ...this.index.byHash(sha256).map((f) => ({ ...f, version: currentVersionFacts(f.anchor) })),
      ...this.#supersededByCommitment(sha256),
    ];
    const matches: VerificationMatch[] = [];
    for (const { anchor, matchedBy, version } of found) {
      // the same record can match as commitment and as document only if a document hash equals a commitment
      const match = await this.#match(anchor, matchedBy, sha256, now, version);
      const latest = match.version?.latest ?? true;
      matches.push(
        options.bundles
          ? { ...match, bundle: await this.bundleOf(anchor, sha256, match, undefined, undefined, latest) }
          : match,
      );
    }
    return {
      sha256,
      anchored: matches.length > 0,
      status: overall(matches),
      matches,
      checkedAt: now.toISOString(),
    };
  }

  /** Verification of an uploaded document: by the SHA-256 of its bytes. */
  verifyDocument(bytes: Uint8Array, options: VerifyOptions = {}): Promise<VerificationResult> {
    return this.verifyHash(sha256Hex(bytes), options);
  }

  /**
   * The proof bundle of an anchored record; `opening` adds the full record and salt (for holders). `version`
   * proves that version of a corrected record (更正) instead of the current one: its own transaction, the
   * key's revocation, and a statement saying whether it is still the latest.
   */
  async bundleFor(
    kind: IndexedAnchor['kind'],
    id: string,
    options: { query?: string; opening?: boolean; chainTo?: number; now?: Date; version?: number } = {},
  ): Promise<AnyProofBundle | undefined> {
    const found = this.#anchorOf(kind, id, options.version);
    if (!found) return undefined;
    const { anchor, version } = found;
    const match = await this.#match(
      anchor,
      'commitment',
      options.query ?? anchor.commitment,
      options.now ?? new Date(),
      version,
    );
    const stored = options.opening ? await this.#stored(anchor) : undefined;
    const latest = version?.latest ?? true;
    return this.bundleOf(anchor, options.query, match, stored, options.chainTo, latest);
  }

  /** The key's current anchor, or its version `version` as that was anchored, with the version facts. */
  #anchorOf(
    kind: IndexedAnchor['kind'],
    id: string,
    version: number | undefined,
  ): { anchor: IndexedAnchor; version: VerificationMatch['version'] } | undefined {
    const current = this.index.get(kind, id);
    if (!current) return undefined;
    if (version === undefined) return { anchor: current, version: currentVersionFacts(current) };
    const v = this.index.version(kind, id, version);
    return v && { anchor: asAnchorOf(current, v), version: versionFactsOf(v) };
  }

  /** Superseded versions (更正) whose commitment the hash is, as the anchors they were. */
  #supersededByCommitment(sha256: string): {
    anchor: IndexedAnchor;
    matchedBy: 'commitment';
    version: VerificationMatch['version'];
  }[] {
    return this.index.supersededByCommitment(sha256).flatMap((v) => {
      const current = this.index.get(v.kind, v.key);
      if (!current) return [];
      return [
        { anchor: asAnchorOf(current, v), matchedBy: 'commitment' as const, version: versionFactsOf(v) },
      ];
    });
  }

  /**
   * Runs the protocol's one verifier on a bundle someone sends (`POST /verify` with `proofBundle`), pinned to
   * this hub's own ledger (block 0's hash) and, when it runs a transparency log, its log key and witnesses (all
   * of them must have cosigned: quorum = their number), in this hub's suites only.
   */
  async verifyBundle(body: VerifyBundleBody, log: TlogStatus | undefined): Promise<BundleVerification> {
    const genesis = await this.bundles.genesisHash();
    const suite = await this.bundles.suite();
    const witnesses = log?.witnesses.map((w) => parseVerifierKey(w.vkey)) ?? [];
    const verdict = verifyProofBundle(body.proofBundle, {
      trustedGenesisHash: genesis,
      // the ledger's suite and the hub's artefacts' (the same on the embedded engine; Fabric's ledger is intl)
      acceptedSuites: [...new Set([suite.name, this.suite])],
      ...(log
        ? {
            tlog: {
              logKeys: [parseVerifierKey(log.logKey)],
              witnessKeys: witnesses,
              quorum: witnesses.length,
              suite: this.suite,
            },
          }
        : {}),
      ...(body.maxStatusAgeSeconds ? { maxStatusAgeSeconds: body.maxStatusAgeSeconds } : {}),
    });
    return {
      verdict: verdict as unknown as BundleVerification['verdict'],
      pinnedTo: {
        genesis,
        logKey: log?.logKey ?? null,
        witnesses: log?.witnesses.map((w) => w.vkey) ?? [],
        quorum: witnesses.length,
      },
      checkedAt: new Date().toISOString(),
    };
  }

  /** The recognition requests and decisions about an anchored record, as the index holds them. */
  recognitionsAbout(kind: IndexedAnchor['kind'], id: string): IndexedRecognition[] {
    return this.index.recognitionsOf(kind, id);
  }

  bundleOf(
    anchor: IndexedAnchor,
    query: string | undefined,
    match: Pick<VerificationMatch, 'status' | 'tampered' | 'revoked'>,
    opening?: StoredRecord,
    chainTo?: number,
    latest = true,
  ): Promise<AnyProofBundle> {
    return this.bundles.build({
      kind: anchor.kind,
      id: anchor.key,
      anchor: JSON.parse(anchor.anchorJson) as Record<string, unknown>,
      txId: anchor.txId,
      ...(match.revoked?.txId ? { revocationTxId: match.revoked.txId } : {}),
      ...(opening
        ? { opening: { record: opening.record as unknown as Record<string, unknown>, salt: opening.salt } }
        : {}),
      ...(query ? { query } : {}),
      status: bundleStatus(match, latest),
      tampered: match.tampered,
      latest,
      ...(chainTo === undefined ? {} : { chainTo }),
    });
  }

  async #match(
    anchor: IndexedAnchor,
    matchedBy: VerificationMatch['matchedBy'],
    query: string,
    now: Date,
    version: VerificationMatch['version'],
  ): Promise<VerificationMatch> {
    const offChain = await this.#offChainState(anchor);
    const revoked = revocationOf(this.index, anchor);
    const status = version?.latest === false && !revoked ? 'superseded' : statusOf(anchor, revoked, now);
    return {
      kind: anchor.kind,
      id: anchor.key,
      matchedBy,
      status,
      tampered: offChain === 'mismatch',
      offChain,
      region: anchor.region,
      dept: anchor.dept,
      projectCode: anchor.projectCode,
      commitment: anchor.commitment,
      anchored: { txId: anchor.txId, blockNumber: anchor.blockNumber, at: anchor.recordedAt },
      ...(revoked ? { revoked } : {}),
      ...(version ? { version } : {}),
      recognitions: this.#recognitionsOf(anchor),
      proof: {
        format: await this.bundles.format(),
        href: `/api/v1/proofs/${anchor.kind}/${encodeURIComponent(anchor.key)}?sha256=${query}${
          version?.latest === false ? `&recordVersion=${version.number}` : ''
        }`,
        checkpointed: this.#checkpointed(newestBlockProved(anchor, version)),
      },
    };
  }

  /**
   * Whether the latest checkpoint covers block `blockNumber`: a v2 bundle is refused (422) until one does, so a
   * client can skip asking.
   */
  #checkpointed(blockNumber: number): boolean {
    const size = this.checkpoints?.latest()?.size;
    return size !== undefined && blockNumber < size;
  }

  /**
   * The record's revocation: a certificate's own; for a milestone, the earliest-decided REVOKED milestone that
   * revokes it (protocol's revokesMilestone, the rule that makes its recognitions SOURCE_REVOKED).
   */
  /** Its recognitions, SOURCE_REVOKED when it is revoked (a certificate's revocation, a REVOKED milestone). */
  #recognitionsOf(anchor: IndexedAnchor): RecognitionOfMatch[] {
    const recognitions = this.index.recognitionsOf(anchor.kind, anchor.key);
    if (recognitions.length === 0) return [];
    const revoked = isSourceRevoked(this.index, anchor);
    return recognitions.map((r) => recognitionOf(r, revoked));
  }

  /** Does the off-chain record still open the on-chain commitment? */
  async #offChainState(anchor: IndexedAnchor): Promise<OffChainState> {
    const candidates = await this.store.records.findOpeningsByLedgerKey(anchor.kind, anchor.key);
    if (candidates.length === 0) return 'missing';
    const same = candidates.find((c) => c.commitment === anchor.commitment);
    if (same) return opens(same, this.suite) ? 'match' : 'mismatch';
    return candidates.some((c) => c.status === 'anchored') ? 'mismatch' : 'missing';
  }

  async #stored(anchor: IndexedAnchor): Promise<StoredRecord | undefined> {
    const candidates = await this.store.records.findByLedgerKey(anchor.kind, anchor.key);
    return candidates.find((c) => c.commitment === anchor.commitment && opens(c, this.suite));
  }
}

/** The version facts of a key's current anchor: none for a record never corrected, else its number and latest. */
function currentVersionFacts(current: IndexedAnchor): VerificationMatch['version'] {
  const number = versionOfJson(current.anchorJson);
  return number > 1 ? { number, latest: true } : undefined;
}

/**
 * The newest block a v2 bundle of this version proves something about: its own, or, for a superseded version,
 * the block of the version that superseded it (a version corrected after the latest checkpoint waits, like its
 * record, for a checkpoint covering the correction).
 */
function newestBlockProved(anchor: IndexedAnchor, version: VerificationMatch['version']): number {
  return Math.max(anchor.blockNumber, version?.supersededBy?.blockNumber ?? 0);
}

/** The version facts of one version from the index: superseded (by which) or the current one. */
function versionFactsOf(v: IndexedVersion): VerificationMatch['version'] {
  const by = v.supersededBy;
  if (!by) return v.version > 1 ? { number: v.version, latest: true } : undefined;
  return {
    number: v.version,
    latest: false,
    supersededBy: { version: by.version, txId: by.txId, blockNumber: by.block },
  };
}

/** The current anchor's row as one of its versions had it: that version's commitment, transaction and anchor. */
function asAnchorOf(current: IndexedAnchor, v: IndexedVersion): IndexedAnchor {
  const anchor = JSON.parse(v.anchorJson) as { documentDigests?: unknown };
  return {
    ...current,
    commitment: v.commitment,
    txId: v.txId,
    blockNumber: v.blockNumber,
    txIndex: v.txIndex,
    recordedAt: v.recordedAt,
    anchorJson: v.anchorJson,
    documentDigests: Array.isArray(anchor.documentDigests) ? (anchor.documentDigests as string[]) : [],
  };
}

/**
 * True when the stored record and salt still produce the stored commitment: the verification core's
 * `record.opening` rule over the stored canonical text (any change to the stored bytes, even one that parses to
 * the same value, breaks it).
 */
export function opens(
  stored: Pick<StoredRecord, 'recordJson' | 'salt' | 'commitment'>,
  suite: CommitmentSuite = 'intl',
): boolean {
  return passed(openingCheck(stored.recordJson, stored.salt, stored.commitment, suite));
}

/** The status at `now`: revoked from the revocation's time on (as the certificates route's `?at=` reads it). */
function statusOf(anchor: IndexedAnchor, revoked: Revocation | undefined, now: Date): MatchStatus {
  const t = now.getTime();
  if (revoked && epoch(revoked.at) <= t) return 'revoked';
  if (anchor.kind !== 'certificate') return 'valid';
  if (anchor.validFrom && epoch(anchor.validFrom) > t) return 'not-yet-valid';
  if (anchor.validUntil && epoch(anchor.validUntil) <= t) return 'expired';
  return 'valid';
}

function recognitionOf(r: IndexedRecognition, sourceRevoked: boolean): RecognitionOfMatch {
  return {
    id: r.id,
    sourceRegion: r.sourceRegion,
    targetRegion: r.targetRegion,
    status: sourceRevoked ? 'SOURCE_REVOKED' : r.outcome,
  };
}

function overall(matches: readonly VerificationMatch[]): VerificationStatus {
  if (matches.length === 0) return 'not-anchored';
  if (matches.some((m) => m.tampered)) return 'tampered';
  if (matches.some((m) => m.status === 'valid')) return 'valid';
  return matches.some((m) => m.status === 'superseded') ? 'superseded' : 'revoked';
}

/** The hub's statement of a bundle's status: a version no longer the latest is `superseded` unless revoked. */
function bundleStatus(match: Pick<VerificationMatch, 'status' | 'tampered'>, latest: boolean): ProofStatus {
  if (match.tampered) return 'tampered';
  if (match.status === 'revoked') return 'revoked';
  if (!latest) return 'superseded';
  return match.status === 'expired' ? 'expired' : 'valid';
}

function epoch(timestamp: string): number {
  try {
    return parseTimestamp(timestamp).epochMs;
  } catch {
    return Date.parse(timestamp);
  }
}
