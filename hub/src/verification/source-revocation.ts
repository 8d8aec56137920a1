/**
 * Is the result a recognition recognises revoked? A certificate when its revocation is indexed; a milestone
 * when a REVOKED milestone of the same project, region, department and stage, decided at or after it, is
 * indexed (protocol's revokesMilestone, the rule the chaincode applies). Either makes the recognition
 * SOURCE_REVOKED.
 */
import { parseTimestamp, revokesMilestone, type MilestoneRevocationFacts } from '@approval-ledger/protocol';
import { type Revoked } from '@approval-ledger/protocol/api';
import { type ChainIndex, type IndexedAnchor } from './chain-index';

type Index = Pick<ChainIndex, 'get' | 'byProject' | 'revokingMilestones'>;

/** How a record is revoked: the API contract's `revoked` (`POST /verify`, `GET /projects/{code}`). */
export type Revocation = Revoked;

/**
 * How `anchor` is revoked, if it is: a certificate's indexed revocation, or for a milestone the earliest REVOKED
 * milestone that revokes it (`at` its decision time, `txId` the transaction that recorded it).
 */
export function revocationOf(index: Index, anchor: IndexedAnchor): Revocation | undefined {
  if (anchor.revokedAt)
    return { at: anchor.revokedAt, reason: anchor.revocationReason, txId: anchor.revocationTxId };
  const [by] = milestoneRevocationsOf(index, anchor);
  if (!by?.decidedAt) return undefined;
  return { at: by.decidedAt, reason: `revoked by milestone ${by.key} (REVOKED)`, txId: by.txId };
}

/** The milestone keys among `anchors` (one project's) that a REVOKED milestone among them revokes. */
export function revokedMilestones(anchors: readonly IndexedAnchor[]): Set<string> {
  const milestones = anchors.map(factsOf).filter((m) => m !== undefined);
  const revocations = milestones.filter((m) => m.decision === 'REVOKED');
  const revoked = new Set<string>();
  if (revocations.length === 0) return revoked;
  for (const m of milestones) if (revocations.some((r) => revokes(r, m))) revoked.add(m.id);
  return revoked;
}

/** The milestones among `anchors` (one project's) that the REVOKED milestone `revocation` revokes. */
export function milestonesRevokedBy(
  revocation: MilestoneRevocationFacts,
  anchors: readonly IndexedAnchor[],
): MilestoneRevocationFacts[] {
  return anchors
    .map(factsOf)
    .filter((m): m is MilestoneRevocationFacts => m !== undefined && revokes(revocation, m));
}

/**
 * The REVOKED milestones (anchored, among the project's) that revoke milestone `anchor`, earliest decision
 * first (ties: earliest recorded). Empty for anything else.
 */
export function milestoneRevocationsOf(index: Index, anchor: IndexedAnchor): IndexedAnchor[] {
  const milestone = anchor.kind === 'milestone' ? factsOf(anchor) : undefined;
  if (!milestone || milestone.decision === 'REVOKED') return [];
  const found: { anchor: IndexedAnchor; at: number }[] = [];
  for (const candidate of index.revokingMilestones(milestone.projectCode)) {
    const facts = factsOf(candidate);
    // revokes() holds only when both times parse
    if (facts && revokes(facts, milestone))
      found.push({ anchor: candidate, at: parseTimestamp(facts.decidedAt).epochMs });
  }
  return found
    .sort(
      (x, y) =>
        x.at - y.at || x.anchor.blockNumber - y.anchor.blockNumber || x.anchor.txIndex - y.anchor.txIndex,
    )
    .map((f) => f.anchor);
}

/** True when the anchored result is revoked, so recognitions of it read SOURCE_REVOKED. */
export function isSourceRevoked(index: Index, anchor: IndexedAnchor | undefined): boolean {
  if (!anchor) return false;
  if (anchor.revokedAt) return true;
  if (anchor.kind !== 'milestone' || anchor.projectCode === null) return false;
  if (index.revokingMilestones(anchor.projectCode).length === 0) return false;
  return revokedMilestones(index.byProject(anchor.projectCode)).has(anchor.key);
}

/** {@link isSourceRevoked} by recognition subject. */
export function isSubjectRevoked(index: Index, subjectType: string, subjectId: string): boolean {
  if (subjectType !== 'certificate' && subjectType !== 'milestone') return false;
  return isSourceRevoked(index, index.get(subjectType, subjectId));
}

function factsOf(a: IndexedAnchor): MilestoneRevocationFacts | undefined {
  if (a.kind !== 'milestone' || !a.projectCode || !a.dept || !a.stage || !a.decision || !a.decidedAt)
    return undefined;
  const { key: id, projectCode, region, dept, stage, decision, decidedAt } = a;
  return { id, projectCode, region, dept, stage, decision, decidedAt } as MilestoneRevocationFacts;
}

/** The rule, with a time the index cannot read (never written by the chaincode) counting as not revoking. */
function revokes(revocation: MilestoneRevocationFacts, milestone: MilestoneRevocationFacts): boolean {
  try {
    return revokesMilestone(revocation, milestone);
  } catch {
    return false;
  }
}
