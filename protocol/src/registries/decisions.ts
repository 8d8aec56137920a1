import { registryKeys } from './registry-keys.js';

/** What a department decided at a stage. */
export const DECISIONS = {
  APPROVED: { zh: '准予许可', en: 'Approved' },
  CONDITIONALLY_ACCEPTED: { zh: '容缺受理', en: 'Accepted with documents to follow' },
  RETURNED: { zh: '退回补正', en: 'Returned for correction' },
  REJECTED: { zh: '不予许可', en: 'Rejected' },
  REVOKED: { zh: '撤销', en: 'Revoked' },
  WITHDRAWN: { zh: '撤回', en: 'Withdrawn' },
} as const;

export type Decision = keyof typeof DECISIONS;
export const DECISION_CODES = registryKeys(DECISIONS);
