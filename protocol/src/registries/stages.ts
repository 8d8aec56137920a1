import { type DepartmentCode } from './departments.js';
import { registryKeys } from './registry-keys.js';

/** The four phases of the construction-project approval reform (工程建设项目审批制度改革). */
export const PHASES = {
  LAND_PLANNING: { zh: '立项用地规划许可', en: 'Project approval and land-use planning permit' },
  ENGINEERING_PERMIT: { zh: '工程建设许可', en: 'Engineering construction permit' },
  CONSTRUCTION_PERMIT: { zh: '施工许可', en: 'Construction permit' },
  COMPLETION: { zh: '竣工验收', en: 'Completion acceptance' },
} as const;

export type PhaseCode = keyof typeof PHASES;
export const PHASE_CODES = registryKeys(PHASES);

interface StageInfo {
  readonly phase: PhaseCode;
  readonly dept: DepartmentCode;
  readonly zh: string;
  readonly en: string;
}

/** Approval stages, each in a phase and handled by default by one department. */
export const STAGES = {
  PROJECT_APPROVAL: {
    phase: 'LAND_PLANNING',
    dept: 'DRC',
    zh: '项目审批（核准、备案）',
    en: 'Project approval (authorisation, filing)',
  },
  LAND_USE_PLANNING: {
    phase: 'LAND_PLANNING',
    dept: 'PNR',
    zh: '建设用地规划许可',
    en: 'Land-use planning permit',
  },
  ENGINEERING_PLANNING: {
    phase: 'ENGINEERING_PERMIT',
    dept: 'PNR',
    zh: '建设工程规划许可',
    en: 'Engineering planning permit',
  },
  EIA: {
    phase: 'ENGINEERING_PERMIT',
    dept: 'EE',
    zh: '环境影响评价审批',
    en: 'Environmental impact assessment approval',
  },
  FIRE_DESIGN: {
    phase: 'ENGINEERING_PERMIT',
    dept: 'FIRE',
    zh: '消防设计审查',
    en: 'Fire-protection design review',
  },
  ENERGY_REVIEW: {
    phase: 'ENGINEERING_PERMIT',
    dept: 'DRC',
    zh: '节能审查',
    en: 'Energy-conservation review',
  },
  CONSTRUCTION_PERMIT: {
    phase: 'CONSTRUCTION_PERMIT',
    dept: 'HC',
    zh: '建筑工程施工许可',
    en: 'Building construction permit',
  },
  COMPLETION_ACCEPTANCE: {
    phase: 'COMPLETION',
    dept: 'HC',
    zh: '竣工联合验收',
    en: 'Joint completion acceptance',
  },
} as const satisfies Record<string, StageInfo>;

export type StageCode = keyof typeof STAGES;
export const STAGE_CODES = registryKeys(STAGES);
