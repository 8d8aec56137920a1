import { registryKeys } from './registry-keys.js';

/** What a user or client identity may do (bearer tokens and certificate attribute `ledger.role`). */
export const ROLES = {
  approver: { zh: '审批人员', en: 'Approver: writes its own region and department' },
  authority: { zh: '互认主管机关', en: 'Authority: decides recognitions for its own region' },
  admin: { zh: '管理员', en: 'Administrator: grants issuers and registers signers' },
  auditor: { zh: '审计人员', en: 'Auditor: reads everything, writes nothing' },
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = registryKeys(ROLES);

/** X.509 attribute (Fabric CA `--id.attrs`) carrying the role of a client identity. */
export const ROLE_ATTRIBUTE = 'ledger.role';
/** X.509 attribute carrying the department code of a client identity. */
export const DEPT_ATTRIBUTE = 'ledger.dept';
