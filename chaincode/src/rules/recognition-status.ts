// A recognition's status is derived when read: the decision's outcome (or PENDING), overridden by
// SOURCE_REVOKED once the recognised result is revoked: a certificate that carries a revocation, or a
// milestone that a later REVOKED milestone of the same project, region, department and stage revokes
// (protocol's revokesMilestone). The issuing region revokes on its own keys; no recognition key (and so no
// other region's endorsement) is touched.
import { revokesMilestone } from '@approval-ledger/protocol';
import type { CertificateEntry, MilestoneEntry, RecognitionEntry, RecognitionView } from '../ledger/entries';
import { KEY } from '../ledger/keys';
import type { StateReader } from '../ledger/namespace-state';
import { sortableTime } from '../ledger/ledger-time';

export async function sourceRevoked(
  state: StateReader,
  entry: Pick<RecognitionEntry, 'subjectType' | 'subjectId'>,
): Promise<boolean> {
  if (entry.subjectType === 'milestone')
    return (await milestoneRevocationOf(state, entry.subjectId)) !== undefined;
  const certificate = await state.get<CertificateEntry>(KEY.certificate, [entry.subjectId]);
  return certificate?.revocation !== undefined;
}

/**
 * The REVOKED milestone that revokes milestone `id`, if any: looked for among the revocations of the same
 * project, region, department and stage (index keys [projectCode, region, dept, stage, decidedAt (UTC), id]),
 * from the milestone's decision time on. Reading the project's whole trail instead made a recognition decision's
 * read set grow with the project (on a real peer: a 4 MB gRPC message past the limit at 300,000 milestones).
 */
export async function milestoneRevocationOf(
  state: StateReader,
  id: string,
): Promise<MilestoneEntry | undefined> {
  const milestone = await state.get<MilestoneEntry>(KEY.milestone, [id]);
  if (!milestone || milestone.decision === 'REVOKED') return undefined;
  const from = sortableTime(milestone.decidedAt);
  const { projectCode, region, dept, stage } = milestone;
  const revocations = await state.list<string>(KEY.milestoneRevocation, [projectCode, region, dept, stage]);
  for (const { attributes, value: laterId } of revocations) {
    if ((attributes[4] ?? '') < from || laterId === id) continue;
    const later = await state.get<MilestoneEntry>(KEY.milestone, [laterId]);
    if (later && revokesMilestone(later, milestone)) return later;
  }
  return undefined;
}

/** `source`: the state holding the recognised result (its region's namespace; see `regionState`). */
export async function recognitionView(
  source: StateReader,
  entry: RecognitionEntry,
): Promise<RecognitionView> {
  if (await sourceRevoked(source, entry)) return { ...entry, status: 'SOURCE_REVOKED' };
  return { ...entry, status: entry.decision ? entry.decision.outcome : 'PENDING' };
}
