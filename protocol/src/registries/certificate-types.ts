import { registryKeys } from './registry-keys.js';
import { type StageCode } from './stages.js';

interface CertificateTypeInfo {
  readonly zh: string;
  readonly en: string;
  readonly stage: StageCode;
}

/** Electronic licences and certificates (电子证照) and the stage that issues each. */
export const CERTIFICATE_TYPES = {
  PROJECT_FILING: { zh: '项目备案证明', en: 'Project filing certificate', stage: 'PROJECT_APPROVAL' },
  LAND_USE_PLANNING_PERMIT: {
    zh: '建设用地规划许可证',
    en: 'Land-use planning permit',
    stage: 'LAND_USE_PLANNING',
  },
  ENGINEERING_PLANNING_PERMIT: {
    zh: '建设工程规划许可证',
    en: 'Engineering planning permit',
    stage: 'ENGINEERING_PLANNING',
  },
  EIA_APPROVAL: { zh: '环评批复', en: 'Environmental impact assessment approval', stage: 'EIA' },
  FIRE_DESIGN_APPROVAL: {
    zh: '消防设计审查意见书',
    en: 'Fire-protection design approval',
    stage: 'FIRE_DESIGN',
  },
  CONSTRUCTION_PERMIT: {
    zh: '建筑工程施工许可证',
    en: 'Building construction permit',
    stage: 'CONSTRUCTION_PERMIT',
  },
  COMPLETION_FILING: {
    zh: '竣工验收备案证明',
    en: 'Completion acceptance filing certificate',
    stage: 'COMPLETION_ACCEPTANCE',
  },
} as const satisfies Record<string, CertificateTypeInfo>;

export type CertificateType = keyof typeof CERTIFICATE_TYPES;
export const CERTIFICATE_TYPE_CODES = registryKeys(CERTIFICATE_TYPES);
