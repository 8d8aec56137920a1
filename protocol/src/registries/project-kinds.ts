import { registryKeys } from './registry-keys.js';

/** The kind segment (CC) of a national investment project code. */
export const PROJECT_KINDS = {
  '01': { zh: '审批', en: 'approval (government investment)' },
  '02': { zh: '核准', en: 'authorisation' },
  '03': { zh: '备案', en: 'filing' },
} as const;

export type ProjectKind = keyof typeof PROJECT_KINDS;
export const PROJECT_KIND_CODES = registryKeys(PROJECT_KINDS);

/** Project types, each with its own approval plan. */
export const PROJECT_TYPES = {
  INDUSTRIAL: { zh: '工业项目', en: 'Industrial' },
  COMMERCIAL: { zh: '商业项目', en: 'Commercial' },
  RESIDENTIAL: { zh: '住宅项目', en: 'Residential' },
  GOVERNMENT: { zh: '政府投资项目', en: 'Government investment' },
  SMALL_COMMUNITY: { zh: '社区小型工程（简易流程）', en: 'Small community works (simplified procedure)' },
} as const;

export type ProjectType = keyof typeof PROJECT_TYPES;
export const PROJECT_TYPE_CODES = registryKeys(PROJECT_TYPES);
