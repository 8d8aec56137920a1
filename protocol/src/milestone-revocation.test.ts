import { expect } from 'chai';
import {
  milestoneRevocationMismatch,
  revokesMilestone,
  type MilestoneRevocationFacts,
} from './milestone-revocation.js';

describe('milestone revocations', () => {
  const approval: MilestoneRevocationFacts = {
    id: 'BJ-EE-EIA-2025-0042',
    projectCode: '2025-110105-47-03-000318',
    region: 'BJ',
    dept: 'EE',
    stage: 'EIA',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
  };
  const revocation: MilestoneRevocationFacts = {
    ...approval,
    id: 'BJ-EE-EIA-2025-0042-R',
    decision: 'REVOKED',
    decidedAt: '2025-04-01T09:00:00+08:00',
  };

  it('revokes an earlier decision of the same project, region, department and stage', () => {
    expect(revokesMilestone(revocation, approval)).to.be.true;
    expect(revokesMilestone(revocation, { ...approval, decision: 'CONDITIONALLY_ACCEPTED' })).to.be.true;
  });

  it('compares instants, not texts: the same instant in another offset is at or before it', () => {
    expect(revokesMilestone(revocation, { ...approval, decidedAt: '2025-04-01T01:00:00Z' })).to.be.true;
    expect(revokesMilestone(revocation, { ...approval, decidedAt: '2025-04-01T01:00:01Z' })).to.be.false;
  });

  it('leaves a later re-approval, other stages, departments, regions and projects alone', () => {
    expect(revokesMilestone(revocation, { ...approval, decidedAt: '2025-05-01T09:00:00+08:00' })).to.be.false;
    expect(revokesMilestone(revocation, { ...approval, stage: 'PROJECT_APPROVAL' })).to.be.false;
    expect(revokesMilestone(revocation, { ...approval, dept: 'HC' })).to.be.false;
    expect(revokesMilestone(revocation, { ...approval, region: 'TJ' })).to.be.false;
    expect(revokesMilestone(revocation, { ...approval, projectCode: '2025-110105-47-03-000319' })).to.be
      .false;
  });

  it('needs a REVOKED decision, and does not revoke itself or another revocation', () => {
    expect(revokesMilestone({ ...revocation, decision: 'WITHDRAWN' }, approval)).to.be.false;
    expect(revokesMilestone(revocation, revocation)).to.be.false;
    expect(revokesMilestone(revocation, { ...revocation, id: 'other', decidedAt: approval.decidedAt })).to.be
      .false;
  });

  it('says why a milestone does not revoke another, exactly when the rule does not hold', () => {
    expect(milestoneRevocationMismatch(revocation, approval)).to.equal(undefined);
    const cases: [MilestoneRevocationFacts, MilestoneRevocationFacts, string][] = [
      [{ ...revocation, decision: 'APPROVED' }, approval, 'is APPROVED, not REVOKED'],
      [revocation, { ...approval, decision: 'REVOKED' }, 'is itself a revocation'],
      [revocation, { ...approval, id: revocation.id }, 'cannot revoke itself'],
      [revocation, { ...approval, stage: 'PROJECT_APPROVAL' }, 'is of stage EIA, not PROJECT_APPROVAL'],
      [revocation, { ...approval, region: 'TJ' }, 'is of region BJ, not TJ'],
      [revocation, { ...approval, decidedAt: '2025-05-01T09:00:00+08:00' }, 'before milestone'],
      [revocation, { ...approval, decidedAt: 'yesterday' }, 'not a valid timestamp'],
    ];
    for (const [by, milestone, reason] of cases) {
      expect(milestoneRevocationMismatch(by, milestone), reason).to.include(reason);
      if (milestone.decidedAt !== 'yesterday') expect(revokesMilestone(by, milestone), reason).to.be.false;
    }
  });
});
