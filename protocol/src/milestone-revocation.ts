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

/**
 * Why `revocation` does not revoke `milestone` under {@link revokesMilestone}, in words (for a verifier's
 * report), or undefined when it does. Never throws: an unreadable time is a reason too.
 */
export function milestoneRevocationMismatch(
  revocation: MilestoneRevocationFacts,
  milestone: MilestoneRevocationFacts,
): string | undefined {
  if (revocation.decision !== 'REVOKED')
    return `milestone ${revocation.id} is ${revocation.decision}, not REVOKED`;
  if (milestone.decision === 'REVOKED') return `milestone ${milestone.id} is itself a revocation`;
  if (revocation.id === milestone.id) return `milestone ${milestone.id} cannot revoke itself`;
  const differs = SAME.find((field) => revocation[field] !== milestone[field]);
  if (differs)
    return `REVOKED milestone ${revocation.id} is of ${differs} ${revocation[differs]}, not ${milestone[differs]}`;
  const [at, revokedAt] = [epochOf(milestone.decidedAt), epochOf(revocation.decidedAt)];
  if (at === undefined || revokedAt === undefined) return 'a decision time is not a valid timestamp';
  return at <= revokedAt
    ? undefined
    : `REVOKED milestone ${revocation.id} was decided at ${revocation.decidedAt}, before milestone ${milestone.id} (${milestone.decidedAt}): a later decision stands`;
}

function epochOf(text: string): number | undefined {
  try {
    return parseTimestamp(text).epochMs;
  } catch {
    return undefined;
  }
}
