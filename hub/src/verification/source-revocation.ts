/**
 * Is the result a recognition recognises revoked? A certificate when its revocation is indexed; a milestone
 * when a REVOKED milestone of the same project, region, department and stage, decided at or after it, is
 * indexed (protocol's revokesMilestone, the rule the chaincode applies). Either makes the recognition
 * SOURCE_REVOKED.
 */
import { revokesMilestone, type MilestoneRevocationFacts } from '@approval-ledger/protocol';
import { type ChainIndex, type IndexedAnchor } from './chain-index';

type Index = Pick<ChainIndex, 'get' | 'byProject'>;

/** The milestone keys among `anchors` (one project's) that a REVOKED milestone among them revokes. */
export function revokedMilestones(anchors: readonly IndexedAnchor[]): Set<string> {
  const milestones = anchors.map(factsOf).filter((m) => m !== undefined);
  const revocations = milestones.filter((m) => m.decision === 'REVOKED');
  const revoked = new Set<string>();
  if (revocations.length === 0) return revoked;
  for (const m of milestones) if (revocations.some((r) => revokes(r, m))) revoked.add(m.id);
  return revoked;
}

/** True when the anchored result is revoked, so recognitions of it read SOURCE_REVOKED. */
export function isSourceRevoked(index: Index, anchor: IndexedAnchor | undefined): boolean {
  if (!anchor) return false;
  if (anchor.revokedAt) return true;
  if (anchor.kind !== 'milestone' || anchor.projectCode === null) return false;
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
