// Realistic records for tests, taken from the legacy-system samples in ../shared/samples.
import { type Certificate, type CreditEvent, type Milestone, type RecognitionRequest } from '../src/index.js';

export function sampleMilestone(overrides: Partial<Milestone> = {}): Milestone {
  return {
    id: 'BJ-EE-EIA-2025-0042',
    projectCode: '2025-110105-47-03-000318',
    projectName: '朝阳区望京科技园三期研发楼',
    projectType: 'COMMERCIAL',
    region: 'BJ',
    dept: 'EE',
    stage: 'EIA',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    documentNo: '京环审〔2025〕42号',
    documents: [
      {
        name: '批复文件.pdf',
        sha256: '5b0f6e0d1f1cbb3e29f1ae6a0e2e4c6a4e47cfc0b3f4a2f7a43b1c2e0f9d8a71',
        bytes: 482113,
      },
    ],
    source: { system: 'bj-eia', recordId: 'EIA-2025-0042', version: 1 },
    dataClass: 'internal',
    details: { category: '报告书', floors: 12 },
    ...overrides,
  };
}

export function sampleCertificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    number: '110105202503100101',
    type: 'CONSTRUCTION_PERMIT',
    projectCode: '2025-110105-47-03-000318',
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
    issuedAt: '2025-03-10T09:30:00+08:00',
    validFrom: '2025-03-10T00:00:00+08:00',
    validUntil: '2026-03-10T00:00:00+08:00',
    documents: [],
    source: { system: 'bj-hc-sgxk', recordId: '110105202503100101', version: 1 },
    dataClass: 'public',
    ...overrides,
  };
}

export function sampleCreditEvent(overrides: Partial<CreditEvent> = {}): CreditEvent {
  return {
    id: 'TJ-CREDIT-2025-000123',
    uscc: '91120116MA05TJ2N2H',
    enterpriseName: '天津滨海智造科技有限公司',
    level: 'A',
    dishonest: false,
    evaluatedAt: '2025-03-01T00:00:00+08:00',
    region: 'TJ',
    source: { system: 'tj-credit', recordId: '000123', version: 2 },
    dataClass: 'public',
    ...overrides,
  };
}

export function sampleRecognitionRequest(overrides: Partial<RecognitionRequest> = {}): RecognitionRequest {
  return {
    id: 'REC-TJ-2025-0001',
    subjectType: 'certificate',
    subjectId: '110105202503100101',
    sourceRegion: 'BJ',
    targetRegion: 'TJ',
    ...overrides,
  };
}
