/**
 * Proof bundle v2 (`approval-ledger/proof@2`): a v1 bundle of either engine, its header chain ending at a
 * block of the latest checkpoint, wrapped with what makes it hold against a pinned log: the cosigned
 * checkpoint (C2SP signed note, status line included), the RFC 6962 inclusion proof of that block in it, and
 * the record's status proof in the status tree the checkpoint commits to, and the supersession proof of the
 * version it proves (superseded by which version, or the latest). A record newer than the latest
 * checkpoint (or revoked or corrected after it) has no v2 bundle yet: UnsupportedProofError, the next checkpoint
 * covers it.
 *
 * The public anchor: anchoring lags the checkpoints, so the bundle carries the newest anchored checkpoint A
 * that covers the record's block (at most the bundle's checkpoint C): A's note as anchored, the record's block's
 * inclusion proof in A, the consistency proof A -> C and the anchor reference (protocol `PublicAnchorSchema`).
 * None covers it yet: no anchor, and the verifier says "not yet anchored".
 */
import {
  type AnyProofBundle,
  type ProofBundleV2,
  PROOF_BUNDLE_V2_FORMAT,
  type PublicAnchor,
  versionOf,
} from '@approval-ledger/protocol';
import {
  type ConsistencyProofJson,
  type InclusionProofJson,
  type StatusAnswer,
} from '@approval-ledger/protocol/api';
import { type CoveringAnchor } from '../anchor/checkpoint-anchorer';
import { UnsupportedProofError } from './proof-bundle-builder';

/** What the v2 builder reads of the transparency log (the hub's checkpointer). */
export interface CheckpointSource {
  latest(): { readonly size: number; readonly cosigned: string; readonly status?: unknown } | undefined;
  inclusion(block: number, size?: number): Promise<InclusionProofJson>;
  consistency(from: number, to?: number): ConsistencyProofJson;
  statusProof(
    kind: 'certificate' | 'milestone',
    id: string,
    checkpoint?: number,
    version?: number,
  ): StatusAnswer;
}

/** The anchors of the log's checkpoints (the hub's anchorer). */
export interface AnchorSource {
  covering(block: number, atMost: number): CoveringAnchor | undefined;
}

/** The newest block a v1 bundle's chain vouches for (either engine). */
export function headOf(evidence: AnyProofBundle): number {
  const last = evidence.chain[evidence.chain.length - 1];
  return last ? last.number : evidence.transaction.blockNumber;
}

/**
 * The record's status proof and, for its version, the supersession proof (whether it is the latest), both in
 * the status tree of the checkpoint of `size`; none for a credit evaluation, which is neither revoked nor
 * corrected.
 */
function statusProofsOf(
  log: CheckpointSource,
  evidence: AnyProofBundle,
  size: number,
): Pick<ProofBundleV2, 'status' | 'supersession'> {
  const { kind, id, anchor } = evidence.record;
  if (kind === 'credit') return {};
  const version = versionOf(anchor);
  return {
    status: log.statusProof(kind, id, size).proof,
    supersession: log.statusProof(kind, id, size, version).proof,
  };
}

/**
 * Whether the hub says the proved version is superseded while the checkpoint's status tree still has it as the
 * latest: it was corrected after the checkpoint.
 */
function correctedSince(evidence: AnyProofBundle, proofs: Pick<ProofBundleV2, 'supersession'>): boolean {
  return evidence.statement?.latest === false && proofs.supersession?.member === undefined;
}

/**
 * Builds the v2 bundle: `evidenceTo(n)` builds the v1 bundle with its chain up to block n (the checkpoint's
 * last block); `anchors`, when the hub anchors, gives the anchored checkpoint covering the record's block.
 */
export async function buildProofBundleV2(
  log: CheckpointSource,
  evidenceTo: (lastBlock: number) => Promise<AnyProofBundle | undefined>,
  anchors?: AnchorSource,
): Promise<ProofBundleV2 | undefined> {
  const latest = log.latest();
  if (!latest) throw new UnsupportedProofError('no checkpoint is published yet: a v2 bundle needs one');
  const evidence = await evidenceTo(latest.size - 1);
  if (!evidence) return undefined;
  const head = headOf(evidence);
  if (head >= latest.size) {
    throw new UnsupportedProofError(
      `block ${head} is not yet in a checkpoint (the latest covers ${latest.size} blocks): retry after the next`,
    );
  }
  const proofs = latest.status === undefined ? {} : statusProofsOf(log, evidence, latest.size);
  // like a record revoked after the checkpoint (its chain then reaches past it, above), a version corrected
  // after it waits for the next one: its supersession proof would say it is the latest
  if (correctedSince(evidence, proofs)) {
    throw new UnsupportedProofError(
      `version ${versionOf(evidence.record.anchor)} of ${evidence.record.kind} ${evidence.record.id} is superseded by a version no checkpoint covers yet (the latest covers ${latest.size} blocks): retry after the next`,
    );
  }
  const inclusion = await log.inclusion(head, latest.size);
  const anchor = await publicAnchor(log, anchors, evidence.transaction.blockNumber, latest.size);
  return {
    format: PROOF_BUNDLE_V2_FORMAT,
    createdAt: new Date().toISOString(),
    evidence,
    checkpoint: { note: latest.cosigned, inclusion: { block: head, path: inclusion.proof } },
    ...proofs,
    ...(anchor ? { anchor } : {}),
  };
}

/** The anchored checkpoint covering `block`, proven against the bundle's checkpoint of `size` blocks. */
async function publicAnchor(
  log: CheckpointSource,
  anchors: AnchorSource | undefined,
  block: number,
  size: number,
): Promise<PublicAnchor | undefined> {
  const covering = anchors?.covering(block, size);
  if (!covering) return undefined;
  const anchored = covering.reference.checkpoint.size;
  const inclusion = await log.inclusion(block, anchored);
  return {
    reference: covering.reference,
    note: covering.note,
    inclusion: { block, path: inclusion.proof },
    consistency: log.consistency(anchored, size).proof,
  };
}
