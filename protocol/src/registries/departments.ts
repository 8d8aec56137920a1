import { registryKeys } from './registry-keys.js';

/** Departments that write to the ledger; the same codes in every region. */
export const DEPARTMENTS = {
  DRC: { zh: '发展和改革委员会', en: 'Development and Reform' },
  PNR: { zh: '规划和自然资源委员会', en: 'Planning and Natural Resources' },
  HC: { zh: '住房和城乡建设委员会', en: 'Housing and Urban-Rural Development' },
  EE: { zh: '生态环境局', en: 'Ecology and Environment' },
  FIRE: { zh: '消防救援', en: 'Fire and Rescue' },
  SAMR: { zh: '市场监督管理局', en: 'Market Regulation' },
  CREDIT: { zh: '公共信用信息中心', en: 'Public Credit Information Centre' },
} as const;

export type DepartmentCode = keyof typeof DEPARTMENTS;
export const DEPARTMENT_CODES = registryKeys(DEPARTMENTS);
