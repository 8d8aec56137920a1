// `@approval-ledger/protocol/testing`: the one home of sample records for tests and benches in every package.
// Realistic values taken from the legacy-system samples in ../shared/samples (valid USCCs, project codes,
// certificate numbers), so every builder passes its schema as it stands; each takes overrides for the one field a
// test is about. A separate entry point, never re-exported from the package root, so that no production bundle
// carries it.
import { type TypedDataDomain, type TypedDataField } from 'ethers';
import { EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, recognitionDecisionMessage } from '../eip712.js';
import { type DepartmentCode } from '../registries/departments.js';
import { type RegionCode } from '../registries/regions.js';
import { STAGE_CODES, STAGES, type StageCode } from '../registries/stages.js';
import { type Certificate, type CertificateRevocation } from '../schemas/certificate.js';
import { type Checkpoint } from '../schemas/checkpoint.js';
import { type CreditEvent } from '../schemas/credit-event.js';
import { type IssuerGrant } from '../schemas/issuer-registry.js';
import { ENVELOPE_SCHEMA, type Envelope } from '../schemas/envelope.js';
import { type Milestone } from '../schemas/milestone.js';
import { type RecognitionDecision, type RecognitionRequest } from '../schemas/recognition.js';
import { sha256Hex } from '../sha256.js';

/** A county-level division code of each region (Chaoyang, Binhai New Area, Shijiazhuang Chang'an). */
export const SAMPLE_DIVISION: Readonly<Record<RegionCode, string>> = {
  BJ: '110105',
  TJ: '120116',
  HE: '130102',
};

/** A valid unified social credit code (USCC) of an enterprise in each region. */
export const SAMPLE_USCC: Readonly<Record<RegionCode, string>> = {
  BJ: '91110105MA01WJ3K7N',
  TJ: '91120116MA05TJ2N2H',
  HE: '91130600MA0BD9H43Q',
};

const pad6 = (n: number): string => String(n).padStart(6, '0');

/** A valid project code of `region` (serial taken modulo 10⁶, kind 03: filed). */
export function sampleProjectCode(
  region: RegionCode,
  serial: number,
  kind: '01' | '02' | '03' = '03',
): string {
  return `2025-${SAMPLE_DIVISION[region]}-47-${kind}-${pad6(serial % 1_000_000)}`;
}

/** The first stage the registry gives `dept` (the stage a sample milestone of that department is at). */
export function sampleStageOf(dept: DepartmentCode): StageCode {
  return STAGE_CODES.find((stage) => STAGES[stage].dept === dept) ?? 'EIA';
}

/** Beijing's environmental-impact approval 京环审〔2025〕42号 of the Wangjing science park, phase three. */
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
    applicant: { name: '北京望京科创置业有限公司', uscc: SAMPLE_USCC.BJ },
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

/**
 * The n-th milestone like {@link sampleMilestone}: its own id, source record, document number and a document whose
 * SHA-256 is {@link sampleDocumentDigest}(n), for tests and benches that need many distinct records.
 */
export function numberedMilestone(n: number, overrides: Partial<Milestone> = {}): Milestone {
  return sampleMilestone({
    id: `BJ-EE-EIA-2025-${pad6(n)}`,
    documentNo: `京环审〔2025〕${n}号`,
    documents: [{ name: '批复文件.pdf', sha256: sampleDocumentDigest(n), bytes: 482113 }],
    source: { system: 'bj-eia', recordId: `EIA-2025-${pad6(n)}`, version: 1 },
    ...overrides,
  });
}

/** The SHA-256 of the document attached to {@link numberedMilestone}(n). */
export function sampleDocumentDigest(n: number): string {
  return sha256Hex(`doc-${n}`);
}

/** Beijing's construction permit of the same project (a public certificate without documents). */
export function sampleCertificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    number: '110105202503100101',
    type: 'CONSTRUCTION_PERMIT',
    projectCode: '2025-110105-47-03-000318',
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: SAMPLE_USCC.BJ },
    issuedAt: '2025-03-10T09:30:00+08:00',
    validFrom: '2025-03-10T00:00:00+08:00',
    validUntil: '2026-03-10T00:00:00+08:00',
    documents: [],
    source: { system: 'bj-hc-sgxk', recordId: '110105202503100101', version: 1 },
    dataClass: 'public',
    ...overrides,
  };
}

/** The revocation of {@link sampleCertificate} (pass `number` when the certificate had another). */
export function sampleRevocation(overrides: Partial<CertificateRevocation> = {}): CertificateRevocation {
  return {
    number: '110105202503100101',
    region: 'BJ',
    dept: 'HC',
    reason: '建设单位申请注销',
    revokedAt: '2025-06-01T10:00:00+08:00',
    source: { system: 'bj-hc-sgxk', recordId: '110105202503100101-R', version: 1 },
    ...overrides,
  };
}

/** Tianjin's credit centre rating an enterprise of the Binhai New Area A. */
export function sampleCreditEvent(overrides: Partial<CreditEvent> = {}): CreditEvent {
  return {
    id: 'TJ-CREDIT-2025-000123',
    uscc: SAMPLE_USCC.TJ,
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

/** Tianjin asked to recognise {@link sampleCertificate}. */
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

/**
 * A region's grant to `dept` of `stages` (and `certificateTypes`), valid from 2020 on: what an admin registers.
 * The codes are taken as given, so that a test can pass one the registry does not know and see it refused.
 */
export function sampleIssuerGrant(
  region: RegionCode,
  dept: string,
  stages: readonly string[],
  certificateTypes: readonly string[] = [],
  overrides: Partial<IssuerGrant> = {},
): IssuerGrant {
  const grant = { region, dept, stages, certificateTypes, validFrom: '2020-01-01T00:00:00+08:00' };
  return { ...(grant as IssuerGrant), ...overrides };
}

/** Beijing's first checkpoint: the root over blocks 0 to 99. */
export function sampleCheckpoint(overrides: Partial<Checkpoint> = {}): Checkpoint {
  return {
    id: 'cp-BJ-000001',
    kind: 'blocks',
    region: 'BJ',
    fromBlock: 0,
    toBlock: 99,
    size: 100,
    root: 'aa'.repeat(32),
    createdAt: '2025-03-12T10:00:00+08:00',
    ...overrides,
  };
}

/** A record as an adapter would publish it: the envelope's header taken from the record. */
export function sampleEnvelope(
  record: Milestone | Certificate | CertificateRevocation | CreditEvent,
  kind: Envelope['kind'],
  options: { readonly dept?: DepartmentCode; readonly emittedAt?: string } = {},
): Envelope {
  return {
    schema: ENVELOPE_SCHEMA,
    kind,
    region: record.region,
    dept: options.dept ?? ('dept' in record ? record.dept : 'CREDIT'),
    source: record.source,
    emittedAt: options.emittedAt ?? '2025-03-06T16:31:00+08:00',
    record,
  } as Envelope;
}

/** What signs a decision: an ethers `Wallet` (or any EIP-712 signer with an address). */
export interface DecisionSigner {
  readonly address: string;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** A decision on `request` signed by `signer` (EIP-712), RECOGNISED unless `overrides` say otherwise. */
export async function signedDecision(
  request: RecognitionRequest,
  signer: DecisionSigner,
  overrides: Partial<Omit<RecognitionDecision, 'signature' | 'signer'>> = {},
): Promise<RecognitionDecision> {
  const decision = {
    recognitionId: request.id,
    outcome: 'RECOGNISED' as const,
    decidedAt: '2025-03-10T09:30:00+08:00',
    ...overrides,
  };
  const message = recognitionDecisionMessage(request, decision);
  const signature = await signer.signTypedData(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, { ...message });
  return { ...decision, signer: signer.address, signature };
}
