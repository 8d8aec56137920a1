/** Valid protocol records for hub tests (codes and credit codes from the shared vectors). */
import {
  sha256Hex,
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type DepartmentCode,
  type Envelope,
  type Milestone,
  type RegionCode,
  type StageCode,
} from '@approval-ledger/protocol';
import {
  SAMPLE_USCC,
  sampleEnvelope,
  sampleProjectCode,
  sampleStageOf,
} from '@approval-ledger/protocol/testing';

export { sampleProjectCode as projectCode } from '@approval-ledger/protocol/testing';

export interface MilestoneOptions {
  readonly region?: RegionCode;
  readonly dept?: DepartmentCode;
  readonly stage?: StageCode;
  readonly serial?: number;
  readonly n?: number;
  readonly decision?: Milestone['decision'];
  readonly decidedAt?: string;
  readonly system?: string;
  readonly dataClass?: Milestone['dataClass'];
  readonly document?: string;
}

export function milestone(o: MilestoneOptions = {}): Milestone {
  const region = o.region ?? 'BJ';
  const dept = o.dept ?? 'EE';
  const n = o.n ?? 1;
  const serial = o.serial ?? n;
  return {
    id: `${region}-${dept}-${o.system ?? 't'}-${n}`,
    projectCode: sampleProjectCode(region, serial),
    projectName: `测试项目${serial}号研发楼`,
    projectType: 'COMMERCIAL',
    region,
    dept,
    stage: o.stage ?? sampleStageOf(dept),
    decision: o.decision ?? 'APPROVED',
    decidedAt: o.decidedAt ?? '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: SAMPLE_USCC[region] },
    documents: [{ name: '批复文件.pdf', sha256: sha256Hex(o.document ?? `document ${region} ${dept} ${n}`) }],
    source: {
      system: o.system ?? `test-${region.toLowerCase()}-${dept.toLowerCase()}`,
      recordId: `R${n}`,
      version: 1,
    },
    dataClass: o.dataClass ?? 'internal',
  };
}

export function certificate(
  number: string,
  o: { region?: RegionCode; serial?: number; validUntil?: string; document?: string } = {},
): Certificate {
  const region = o.region ?? 'BJ';
  return {
    number,
    type: 'CONSTRUCTION_PERMIT',
    projectCode: sampleProjectCode(region, o.serial ?? 1),
    region,
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: SAMPLE_USCC[region] },
    issuedAt: '2025-03-10T09:30:00+08:00',
    validFrom: '2025-03-10T00:00:00+08:00',
    validUntil: o.validUntil ?? '2035-03-10T00:00:00+08:00',
    documents: [{ name: '施工许可证.pdf', sha256: sha256Hex(o.document ?? `certificate ${number}`) }],
    source: { system: `test-${region.toLowerCase()}-hc`, recordId: `C${number}`, version: 1 },
    dataClass: 'public',
  };
}

export function revocation(
  number: string,
  revokedAt: string,
  region: RegionCode = 'BJ',
): CertificateRevocation {
  return {
    number,
    region,
    dept: 'HC',
    reason: '申请人提供虚假材料',
    revokedAt,
    source: { system: `test-${region.toLowerCase()}-hc`, recordId: `REV${number}`, version: 1 },
  };
}

export function creditEvent(n: number, region: RegionCode = 'TJ'): CreditEvent {
  return {
    id: `${region}-CREDIT-${n}`,
    uscc: SAMPLE_USCC[region],
    enterpriseName: '天津滨海智造科技有限公司',
    level: 'A',
    dishonest: false,
    evaluatedAt: '2025-03-01T00:00:00+08:00',
    region,
    source: { system: `test-${region.toLowerCase()}-credit`, recordId: `CR${n}`, version: 1 },
    dataClass: 'public',
  };
}

/** `record` as its adapter would publish it (a credit event under dept CREDIT unless `dept` says otherwise). */
export function envelopeOf(
  record: Milestone | Certificate | CertificateRevocation | CreditEvent,
  kind: Envelope['kind'],
  dept?: DepartmentCode,
): Envelope {
  return sampleEnvelope(record, kind, dept === undefined ? {} : { dept });
}
