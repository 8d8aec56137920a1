/** Realistic milestones for the benchmarks, about 900 bytes each as envelopes. */
import {
  ENVELOPE_SCHEMA,
  sha256Hex,
  type DepartmentCode,
  type Envelope,
  type Milestone,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';

const DIVISION: Record<RegionCode, string> = { BJ: '110105', TJ: '120116', HE: '130102' };
const USCC: Record<RegionCode, string> = {
  BJ: '91110105MA01WJ3K7N',
  TJ: '91120116MA05TJ2N2H',
  HE: '91130600MA0BD9H43Q',
};
const STAGE: Partial<Record<DepartmentCode, StageCode>> = {
  DRC: 'PROJECT_APPROVAL',
  EE: 'EIA',
  HC: 'CONSTRUCTION_PERMIT',
  PNR: 'LAND_USE_PLANNING',
  FIRE: 'FIRE_DESIGN',
};

/** The SHA-256 of the attached document of bench milestone `i` (what /verify is asked for). */
export function benchDocumentHash(i: number, tag: string): string {
  return sha256Hex(`bench document ${tag} ${i}`);
}

export function benchMilestone(i: number, region: RegionCode, dept: DepartmentCode, tag: string): Milestone {
  const serial = String(i % 999_999).padStart(6, '0');
  return {
    id: `${region}-${dept}-${tag}-${i}`,
    projectCode: `2025-${DIVISION[region]}-47-03-${serial}`,
    projectName: `${region}基准测试项目${i}号研发楼`,
    projectType: 'COMMERCIAL',
    region,
    dept,
    stage: STAGE[dept] ?? 'EIA',
    decision: 'APPROVED',
    decidedAt: new Date(Date.UTC(2024, 0, 1) + (i % 500) * 86_400_000).toISOString(),
    applicant: { name: '北京望京科创置业有限公司', uscc: USCC[region] },
    documentNo: `京环审〔2025〕${i}号`,
    documents: [{ name: '批复文件.pdf', sha256: benchDocumentHash(i, tag), bytes: 480_000 + (i % 1000) }],
    source: {
      system: `bench-${tag}-${region.toLowerCase()}-${dept.toLowerCase()}`,
      recordId: `R${i}`,
      version: 1,
    },
    dataClass: 'internal',
    details: { category: '报告书', floors: (i % 30) + 1 },
  };
}

export function benchEnvelope(i: number, region: RegionCode, dept: DepartmentCode, tag: string): Envelope {
  const record = benchMilestone(i, region, dept, tag);
  return {
    schema: ENVELOPE_SCHEMA,
    kind: 'milestone',
    region,
    dept,
    source: record.source,
    emittedAt: record.decidedAt,
    record,
  };
}
