/**
 * Which approval plan applies to a project: the project type its records state, else the one its code
 * implies (kind 01, 审批, is government investment), else the full plan of a commercial project, saying so.
 */
import {
  approvalPlan,
  checkProjectCode,
  ProjectTypeSchema,
  type ApprovalPlan,
  type ProjectType,
} from '@approval-ledger/protocol';

export interface PlanChoice {
  readonly plan: ApprovalPlan;
  readonly projectType: ProjectType;
  /** How the type was chosen. */
  readonly basis: 'recorded' | 'project code kind' | 'assumed';
}

export function planOfProject(projectCode: string, recordedType: string | undefined): PlanChoice {
  const recorded = ProjectTypeSchema.safeParse(recordedType);
  if (recorded.success)
    return { plan: approvalPlan(recorded.data), projectType: recorded.data, basis: 'recorded' };
  const code = checkProjectCode(projectCode);
  if (code.ok && code.value.kind === '01') {
    return { plan: approvalPlan('GOVERNMENT'), projectType: 'GOVERNMENT', basis: 'project code kind' };
  }
  return { plan: approvalPlan('COMMERCIAL'), projectType: 'COMMERCIAL', basis: 'assumed' };
}
