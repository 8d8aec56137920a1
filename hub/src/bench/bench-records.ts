/** Realistic milestones for the benchmarks, about 900 bytes each as envelopes. */
import {
  sha256Hex,
  type DepartmentCode,
  type Envelope,
  type Milestone,
  type RegionCode,
} from '@approval-ledger/protocol';
import {
  SAMPLE_USCC,
  sampleEnvelope,
  sampleProjectCode,
  sampleStageOf,
} from '@approval-ledger/protocol/testing';

/** The SHA-256 of the attached document of bench milestone `i` (what /verify is asked for). */
export function benchDocumentHash(i: number, tag: string): string {
  return sha256Hex(`bench document ${tag} ${i}`);
}

export function benchMilestone(i: number, region: RegionCode, dept: DepartmentCode, tag: string): Milestone {
  return {
    id: `${region}-${dept}-${tag}-${i}`,
    projectCode: sampleProjectCode(region, i % 999_999),
    projectName: `${region}基准测试项目${i}号研发楼`,
    projectType: 'COMMERCIAL',
    region,
    dept,
    stage: sampleStageOf(dept),
    decision: 'APPROVED',
    decidedAt: new Date(Date.UTC(2024, 0, 1) + (i % 500) * 86_400_000).toISOString(),
    applicant: { name: '北京望京科创置业有限公司', uscc: SAMPLE_USCC[region] },
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
  return sampleEnvelope(record, 'milestone', { emittedAt: record.decidedAt });
}
