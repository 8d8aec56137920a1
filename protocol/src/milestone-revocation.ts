/**
 * Which milestones a REVOKED milestone revokes (撤销): every other decision of the same project, region,
 * department and stage taken at or before it. A decision taken after it (a re-approval) stands. The chaincode
 * derives SOURCE_REVOKED for recognitions of a revoked milestone with this rule, and the hub its board with it.
 */
import { type MilestoneAnchor } from './schemas/anchors.js';
import { parseTimestamp } from './timestamp.js';

/** The facts of a milestone the rule reads (an anchor, a full milestone record or an index row). */
export type MilestoneRevocationFacts = Pick<
  MilestoneAnchor,
  'id' | 'projectCode' | 'region' | 'dept' | 'stage' | 'decision' | 'decidedAt'
>;

const SAME = ['projectCode', 'region', 'dept', 'stage'] as const;

/** True when `revocation` (a REVOKED milestone) revokes `milestone`. */
export function revokesMilestone(
  revocation: MilestoneRevocationFacts,
  milestone: MilestoneRevocationFacts,
): boolean {
  if (revocation.decision !== 'REVOKED' || milestone.decision === 'REVOKED') return false;
  if (revocation.id === milestone.id || SAME.some((field) => revocation[field] !== milestone[field]))
    return false;
  return parseTimestamp(milestone.decidedAt).epochMs <= parseTimestamp(revocation.decidedAt).epochMs;
}
