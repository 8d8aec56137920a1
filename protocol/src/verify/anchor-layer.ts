/**
 * The public-anchor layer of a proof bundle v2 (see `PublicAnchorSchema` for what the bundle carries). The
 * bundle's checkpoint C is verified already (`verify-proof-bundle-v2.ts`); this checks, offline:
 *
 *   anchor.note         the anchored checkpoint A is signed by a pinned log key, for C's origin
 *   anchor.inclusion    the record's block is below A's size and is leaf <block> of A (RFC 6962 audit path)
 *   anchor.consistency  C extends A (RFC 6962 consistency proof A -> C)
 *   anchor.checkpoint   the anchor reference names exactly A: origin, size and root (`anchor/verify-anchor.ts`)
 *
 * That proves which checkpoint the anchor names and that the record is in it; it does not prove that the chain
 * holds the reference ({@link OFFLINE_ANCHOR_LIMITS}): the level stays `not-proven` offline, and only
 * {@link verifyPublicAnchorOnline} with an RPC makes it `proven`. A bundle without an anchor is "not yet
 * anchored": anchoring lags the log by an interval, so that is a state, not a failure.
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { sha256 } from '../sha256.js';
import { type AnchorReference } from '../anchor/anchor-reference.js';
import {
  checkAnchorOffline,
  OFFLINE_ANCHOR_LIMITS,
  type OnlineAnchorOptions,
  verifyAnchorOnline,
} from '../anchor/verify-anchor.js';
import { type ProofBundleV2, type PublicAnchor } from '../proof/proof-bundle.js';
import { checkpointSuite, type TreeHead, parseCheckpoint, verifyCheckpoint } from '../tlog/checkpoint.js';
import { type SuiteAlgorithms } from './crypto-suite.js';
import { verifyConsistencyProof } from '../tlog/merkle-proofs.js';
import { parseNote } from '../tlog/signed-note.js';
import { blockInclusionCheck } from './block-inclusion.js';
import { type Check, failed, passed, unchecked, verified } from './check.js';
import {
  type Assurance,
  type AssuranceLevel,
  type ProofVerdict,
  type VerifyProofOptions,
} from './proof-checks.js';

export type PublicAnchorState = NonNullable<Assurance['anchor']>['state'];

export interface AnchorFinding {
  readonly level: AssuranceLevel;
  readonly anchor: NonNullable<Assurance['anchor']>;
  /** A plain sentence for the verdict's summary, when there is something to say. */
  readonly summary?: string;
}

/** The bundle's checkpoint C as the checkpoint layer verified it (undefined: it did not verify). */
export interface VerifiedCheckpoint {
  readonly head: TreeHead;
  /** Signed by a pinned log key (false: nothing pinned). */
  readonly signed: boolean;
  /** The log's suite: the anchored checkpoint must name the same, and its proofs are in its hash. */
  readonly suite: SuiteAlgorithms;
}

/** Checks the bundle's public anchor offline, pushing its checks; never throws. */
export function anchorLayer(
  bundle: ProofBundleV2,
  evidence: ProofVerdict,
  checkpoint: VerifiedCheckpoint | undefined,
  options: VerifyProofOptions,
  checks: Check[],
): AnchorFinding {
  const block = evidence.anchoredAt?.blockNumber;
  const anchor = bundle.anchor;
  if (!anchor) return notAnchored(block);
  if (!checkpoint) {
    const detail = 'there is no verified checkpoint for the anchor to be consistent with';
    checks.push(failed('anchor.checkpoint', detail));
    return failedFinding(detail, anchor);
  }
  const own: Check[] = [];
  const anchored = anchoredCheckpoint(anchor.note, checkpoint, options, own);
  if (anchored) {
    own.push(inclusionCheck(anchor, evidence, anchored, checkpoint.suite));
    own.push(consistencyCheck(anchor, anchored, checkpoint.head, checkpoint.suite));
    own.push(referenceCheck(anchor.reference, anchored));
  }
  checks.push(...own);
  const failure = own.find((c) => c.status === 'failed');
  if (failure) return failedFinding(`${failure.name}: ${failure.detail ?? ''}`, anchor, anchored);
  return offlineFinding(anchor, anchored!, checkpoint.head, block, own.every(passed));
}

function notAnchored(block: number | undefined): AnchorFinding {
  const detail =
    `not yet anchored: the bundle carries no public anchor of a checkpoint covering block ${block ?? '?'} ` +
    '(anchoring follows the log at an interval; export the bundle again after the next anchor)';
  return {
    level: { level: 'public-anchor', status: 'not-proven', detail },
    anchor: { state: 'not-anchored' },
  };
}

function failedFinding(detail: string, anchor: PublicAnchor, anchored?: TreeHead): AnchorFinding {
  return {
    level: { level: 'public-anchor', status: 'failed', detail },
    anchor: { state: 'failed', ...described(anchor, anchored) },
  };
}

function offlineFinding(
  anchor: PublicAnchor,
  anchored: TreeHead,
  head: TreeHead,
  block: number | undefined,
  authenticated: boolean,
): AnchorFinding {
  const ref = anchor.reference;
  const names =
    `block ${block ?? '?'} is in checkpoint ${anchored.size} of ${anchored.origin}` +
    `${authenticated ? ' (signed by the pinned log key)' : ' (no log key pinned: not authenticated)'}, ` +
    `which checkpoint ${head.size} extends, and which the anchor names: chain ${ref.chainId}, contract ` +
    `${ref.contract}, transaction ${ref.txHash}, block ${ref.blockNumber}`;
  return {
    level: { level: 'public-anchor', status: 'not-proven', detail: `${names}; ${OFFLINE_ANCHOR_LIMITS}` },
    anchor: { state: 'offline', ...described(anchor, anchored) },
    summary: `anchor named (not checked on chain): checkpoint ${anchored.size} on chain ${ref.chainId}, block ${ref.blockNumber}`,
  };
}

function described(
  anchor: PublicAnchor,
  anchored: TreeHead | undefined,
): Omit<NonNullable<Assurance['anchor']>, 'state'> {
  return {
    reference: anchor.reference,
    noteHash: bytesToHex(sha256(anchor.note)),
    ...(anchored
      ? { checkpoint: { origin: anchored.origin, size: anchored.size, root: bytesToHex(anchored.root) } }
      : {}),
  };
}

/** A's tree head, signed by a pinned log key when one is pinned, of the same log as C. */
function anchoredCheckpoint(
  note: string,
  checkpoint: VerifiedCheckpoint,
  options: VerifyProofOptions,
  checks: Check[],
): TreeHead | undefined {
  const origin = checkpoint.head.origin;
  let head: TreeHead;
  if (options.tlog) {
    const signed = verifyCheckpoint(note, options.tlog.logKeys, [checkpoint.suite.name]);
    if (!signed.ok) {
      checks.push(failed('anchor.note', `the anchored checkpoint: ${signed.rule}: ${signed.reason}`));
      return undefined;
    }
    head = signed.head;
  } else {
    try {
      head = parseCheckpoint(parseNote(note).text);
      const suite = checkpointSuite(head);
      if (suite !== checkpoint.suite.name) {
        checks.push(
          failed('anchor.note', `the anchored checkpoint is ${suite}, the log ${checkpoint.suite.name}`),
        );
        return undefined;
      }
    } catch (error) {
      checks.push(failed('anchor.note', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  }
  if (head.origin !== origin) {
    checks.push(failed('anchor.note', `the anchored checkpoint is of ${head.origin}, not ${origin}`));
    return undefined;
  }
  checks.push(
    options.tlog
      ? verified('anchor.note', `checkpoint ${head.size} is signed by the pinned log key`)
      : unchecked(
          'anchor.note',
          'no log key is pinned (trust anchors): the anchored checkpoint is not authenticated',
        ),
  );
  return head;
}

function inclusionCheck(
  anchor: PublicAnchor,
  evidence: ProofVerdict,
  anchored: TreeHead,
  suite: SuiteAlgorithms,
): Check {
  const at = evidence.anchoredAt;
  if (!at?.blockHash) return failed('anchor.inclusion', 'the evidence established no block of the record');
  return blockInclusionCheck(
    { name: 'anchor.inclusion', tree: 'anchored checkpoint', blockIs: 'the record is in block' },
    { number: at.blockNumber, hash: at.blockHash },
    anchor.inclusion,
    anchored,
    suite,
  );
}

function consistencyCheck(
  anchor: PublicAnchor,
  anchored: TreeHead,
  head: TreeHead,
  suite: SuiteAlgorithms,
): Check {
  const ok = verifyConsistencyProof(
    anchored.size,
    head.size,
    anchor.consistency.map(hexToBytes),
    anchored.root,
    head.root,
    suite.digest,
  );
  return ok
    ? verified(
        'anchor.consistency',
        `checkpoint ${head.size} extends the anchored checkpoint ${anchored.size}`,
      )
    : failed(
        'anchor.consistency',
        `the proof does not show checkpoint ${head.size} extending the anchored checkpoint ${anchored.size}`,
      );
}

function referenceCheck(reference: AnchorReference, anchored: TreeHead): Check {
  const offline = checkAnchorOffline(reference, {
    origin: anchored.origin,
    size: anchored.size,
    rootHash: anchored.root,
  });
  return (
    offline.checks.find((c) => c.name === 'anchor.checkpoint' || c.status === 'failed') ??
    failed('anchor.checkpoint', 'the anchor reference could not be compared')
  );
}

// ------------------------------------------------------------------------------------------------- online

export interface OnlineAnchorCheckOptions {
  /** Confirmations below this leave the anchor not proven. Default 1. */
  readonly minConfirmations?: number;
}

const ONLINE_CHECKS = new Set([
  'anchor.chain',
  'anchor.transaction',
  'anchor.block',
  'anchor.event',
  'anchor.confirmations',
  'anchor.onchain',
]);

/**
 * The verdict with its public anchor checked against the chain through the JSON-RPC at `rpcUrl` (any node of
 * that chain; `anchor/verify-anchor.ts`): the receipt, the canonical block, the contract's Anchored event
 * naming A's origin, size and root and SHA-256 of the very note the bundle carries, the confirmations. Only an
 * anchor whose offline checks passed is asked about; a failed online check fails the verdict, an RPC that does
 * not answer (or too few confirmations) leaves the level `not-proven` with the reason.
 */
export async function verifyPublicAnchorOnline(
  verdict: ProofVerdict,
  rpcUrl: string,
  options: OnlineAnchorCheckOptions = {},
): Promise<ProofVerdict> {
  const anchor = namedAnchor(verdict);
  if (!anchor || !verdict.assurance) return verdict;
  const online = await verifyAnchorOnline(anchor.reference, rpcUrl, onlineOptions(anchor, options));
  const found = online.checks.filter((c) => ONLINE_CHECKS.has(c.name));
  const failure = found.find((c) => c.status === 'failed');
  const weakest = failure ?? found.find((c) => c.status === 'unchecked');
  const finding = onlineFinding(anchor, weakest, online.confirmations, rpcUrl);
  const assurance = verdict.assurance;
  const summary = assurance.summary.filter((line) => !line.startsWith('anchor named'));
  return {
    ...verdict,
    ok: verdict.ok && !failure,
    status: failure && verdict.status !== 'tampered' ? 'invalid' : verdict.status,
    checks: [...verdict.checks, ...found.filter((c) => c.status !== 'unchecked')],
    assurance: {
      ...assurance,
      levels: assurance.levels.map((l) => (l.level === 'public-anchor' ? finding.level : l)),
      anchor: finding.anchor,
      summary: finding.summary ? [...summary, finding.summary] : assurance.summary,
    },
  };
}

/** The verdict's anchor when its offline checks passed (the only kind worth asking the chain about). */
function namedAnchor(verdict: ProofVerdict): NamedAnchor | undefined {
  const anchor = verdict.assurance?.anchor;
  if (anchor?.state !== 'offline' || !anchor.reference || !anchor.checkpoint) return undefined;
  return { ...anchor, reference: anchor.reference, checkpoint: anchor.checkpoint };
}

function onlineOptions(anchor: NamedAnchor, options: OnlineAnchorCheckOptions): OnlineAnchorOptions {
  return {
    proven: { ...anchor.checkpoint, rootHash: hexToBytes(anchor.checkpoint.root) },
    ...(anchor.noteHash ? { noteHash: `0x${anchor.noteHash}` } : {}),
    ...(options.minConfirmations !== undefined ? { minConfirmations: options.minConfirmations } : {}),
  };
}

type NamedAnchor = NonNullable<Assurance['anchor']> & {
  readonly reference: AnchorReference;
  readonly checkpoint: NonNullable<NonNullable<Assurance['anchor']>['checkpoint']>;
};

/** The level after the chain answered: `weakest` is the first failed, else the first unchecked, online check. */
function onlineFinding(
  anchor: NamedAnchor,
  weakest: Check | undefined,
  confirmations: number | undefined,
  rpcUrl: string,
): AnchorFinding {
  const counted = confirmations === undefined ? {} : { confirmations };
  if (weakest?.status === 'failed') {
    return {
      level: { level: 'public-anchor', status: 'failed', detail: `${weakest.name}: ${weakest.detail ?? ''}` },
      anchor: { ...anchor, ...counted, state: 'failed' },
    };
  }
  const { reference: ref, checkpoint } = anchor;
  if (weakest) {
    const detail = `checkpoint ${checkpoint.size} is named by the anchor, but not proven on chain: ${weakest.detail ?? ''}`;
    return {
      level: { level: 'public-anchor', status: 'not-proven', detail },
      anchor: { ...anchor, ...counted, state: 'offline' },
    };
  }
  const detail =
    `checkpoint ${checkpoint.size} of ${checkpoint.origin} (root ${checkpoint.root}) is anchored on chain ` +
    `${ref.chainId}: contract ${ref.contract} recorded it and SHA-256 of its note in transaction ${ref.txHash}, ` +
    `block ${ref.blockNumber} ${ref.blockHash} (${confirmations ?? '?'} confirmation(s), asked ${rpcUrl})`;
  return {
    level: { level: 'public-anchor', status: 'proven', detail },
    anchor: { ...anchor, ...counted, state: 'on-chain' },
    summary: `anchored on chain ${ref.chainId} at block ${ref.blockNumber} (checkpoint ${checkpoint.size})`,
  };
}
