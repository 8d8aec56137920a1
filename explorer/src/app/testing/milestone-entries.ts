import { type DepartmentCode, type Decision, STAGES, type StageCode } from '@approval-ledger/protocol';
import { type MilestoneProvenanceEntry } from '@approval-ledger/protocol/api';

let sequence = 0;

/** A milestone entry as the hub's provenance lists it, with defaults for what a test does not care about. */
export function milestoneEntry(
  stage: StageCode,
  decision: Decision,
  decidedAt: string,
  extra: Partial<MilestoneProvenanceEntry> = {},
): MilestoneProvenanceEntry {
  sequence += 1;
  const dept: DepartmentCode = STAGES[stage].dept;
  return {
    kind: 'milestone',
    id: `BJ-${dept}-${stage}-${sequence}`,
    region: 'BJ',
    dept,
    stage,
    decision,
    decidedAt,
    commitment: sequence.toString(16).padStart(64, '0'),
    documentDigests: [],
    txId: sequence.toString(16).padStart(64, 'a'),
    blockNumber: sequence,
    recordedAt: decidedAt,
    endorsedBy: ['BeijingMSP'],
    submittedBy: 'bj-ee-approver',
    offChain: 'match',
    tampered: false,
    version: 1,
    current: true,
    versions: [],
    ...extra,
  };
}
