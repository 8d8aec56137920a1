/** Realistic milestones for the benchmarks, about 900 bytes each as envelopes. */
import {
  generateUscc,
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

/**
 * How milestones are spread over projects: by default milestone i is of project i mod 999,999 of its region, with
 * the region's one applicant (`SAMPLE_USCC`), so the project and credit-code indexes fill in key order. With
 * `projects` > 0, consecutive milestones go to projects far apart among `projects` of the region, each with an
 * applicant of its own, as records of many projects in progress arrive.
 */
export interface ProjectSpread {
  readonly projects: number;
}

const applicants = new Map<number, string>();

/**
 * The project of record i among `projects`, consecutive records far apart (a multiplicative hash: both factors
 * reduced first, so the product stays an exact integer). Also the chain-index bench's.
 */
export function spreadProject(i: number, projects: number): number {
  return ((i % projects) * (2_654_435_761 % projects)) % projects;
}

function applicantOf(project: number): string {
  let uscc = applicants.get(project);
  if (uscc === undefined) {
    uscc = generateUscc(project);
    applicants.set(project, uscc);
  }
  return uscc;
}

export function benchMilestone(
  i: number,
  region: RegionCode,
  dept: DepartmentCode,
  tag: string,
  spread: ProjectSpread = { projects: 0 },
): Milestone {
  const project = spread.projects > 0 ? spreadProject(i, spread.projects) : i % 999_999;
  return {
    id: `${region}-${dept}-${tag}-${i}`,
    projectCode: sampleProjectCode(region, project),
    // the project's name, as every record of a project carries it (until 2026-12-07 each record named its
    // project anew, `…项目${i}号…`: a name per record, where a project has one)
    projectName: `${region}基准测试项目${project}号研发楼`,
    projectType: 'COMMERCIAL',
    region,
    dept,
    stage: sampleStageOf(dept),
    decision: 'APPROVED',
    decidedAt: new Date(Date.UTC(2024, 0, 1) + (i % 500) * 86_400_000).toISOString(),
    applicant: {
      name: '北京望京科创置业有限公司',
      uscc: spread.projects > 0 ? applicantOf(project) : SAMPLE_USCC[region],
    },
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

export function benchEnvelope(
  i: number,
  region: RegionCode,
  dept: DepartmentCode,
  tag: string,
  spread?: ProjectSpread,
): Envelope {
  const record = benchMilestone(i, region, dept, tag, spread);
  return sampleEnvelope(record, 'milestone', { emittedAt: record.decidedAt });
}
