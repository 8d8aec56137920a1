// Records of the approval chaincode for ledger tests: anchors with real salted commitments, issuer grants,
// signer registrations, recognition requests and EIP-712 signed decisions. Ids carry a per-run suffix so a
// suite can run repeatedly against a persistent Fabric network.
import { randomBytes } from 'node:crypto';
import {
  sha256Hex,
  toCertificateAnchor,
  toCreditAnchor,
  toMilestoneAnchor,
  type Certificate,
  type CreditEvent,
  type Milestone,
  type RecognitionDecision,
  type RecognitionRequest,
} from '@approval-ledger/protocol';
import { sampleIssuerGrant, signedDecision as signDecision } from '@approval-ledger/protocol/testing';
import { Wallet } from 'ethers';

export const RUN = randomBytes(4).toString('hex');
export const SALT = 'a'.repeat(64);
export const OTHER_SALT = 'b'.repeat(64);
export const PROJECT_BJ = '2025-110105-47-03-000318';
export const USCC_A = '91110105MA01WJ3K7N';

export function milestone(n: number, overrides: Partial<Milestone> = {}): Milestone {
  return {
    id: `conf-${RUN}-m${n}`,
    projectCode: PROJECT_BJ,
    region: 'BJ',
    dept: 'PNR',
    stage: 'LAND_USE_PLANNING',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: USCC_A },
    documents: [{ name: '用地规划许可证.pdf', sha256: sha256Hex(`conf-${RUN}-doc-${n}`) }],
    source: { system: 'bj-pnr-planning', recordId: `R-${RUN}-${n}`, version: 1 },
    dataClass: 'internal',
    ...overrides,
  };
}

export const anchorOf = (m: Milestone, salt = SALT): string => JSON.stringify(toMilestoneAnchor(m, salt));

/** Now in Beijing time (+08:00), to the second: a credit evaluation dated now is the latest of its enterprise. */
function beijingNow(): string {
  return `${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export function creditEvent(n: number): CreditEvent {
  return {
    id: `conf-${RUN}-credit${n}`,
    uscc: USCC_A,
    enterpriseName: '北京望京科创置业有限公司',
    level: 'A',
    dishonest: false,
    evaluatedAt: beijingNow(),
    region: 'BJ',
    source: { system: 'bj-credit', recordId: `C-${RUN}-${n}`, version: 1 },
    dataClass: 'internal',
  };
}

export const creditAnchorOf = (e: CreditEvent): string => JSON.stringify(toCreditAnchor(e, SALT));

export function certificate(n: number): Certificate {
  return {
    number: `建字第${RUN}${String(n).padStart(4, '0')}号`,
    type: 'CONSTRUCTION_PERMIT',
    projectCode: PROJECT_BJ,
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: USCC_A },
    issuedAt: '2025-03-06T16:30:00+08:00',
    validFrom: '2025-03-06T16:30:00+08:00',
    validUntil: '2027-03-06T16:30:00+08:00',
    documents: [{ name: '施工许可证.pdf', sha256: sha256Hex(`conf-${RUN}-cert-${n}`) }],
    source: { system: 'bj-hc-permits', recordId: `C-${RUN}-${n}`, version: 1 },
    dataClass: 'public',
  };
}

export const certificateAnchorOf = (c: Certificate): string => JSON.stringify(toCertificateAnchor(c, SALT));

export function revocationOf(c: Certificate): string {
  return JSON.stringify({
    number: c.number,
    region: c.region,
    dept: c.dept,
    reason: '证照信息有误',
    revokedAt: '2025-04-01T10:00:00+08:00',
    source: { system: 'bj-hc-permits', recordId: `REV-${RUN}`, version: 1 },
  });
}

export function grant(
  region: 'BJ' | 'TJ' | 'HE',
  dept: string,
  stages: string[],
  certificateTypes: string[] = [],
): string {
  return JSON.stringify(sampleIssuerGrant(region, dept, stages, certificateTypes));
}

/** A deciding official of the target region (a fresh key per run). */
export const official = Wallet.createRandom();

export function signerRegistration(region: 'BJ' | 'TJ' | 'HE'): string {
  return JSON.stringify({
    region,
    address: official.address,
    name: '互认审核员',
    validFrom: '2020-01-01T00:00:00+08:00',
  });
}

export function recognitionRequest(n: number, subject: Milestone): RecognitionRequest {
  return {
    id: `conf-${RUN}-rec${n}`,
    subjectType: 'milestone',
    subjectId: subject.id,
    sourceRegion: subject.region,
    targetRegion: 'TJ',
  };
}

/** A RECOGNISED decision on `request` signed by {@link official}. */
export const signedDecision = (request: RecognitionRequest): Promise<RecognitionDecision> =>
  signDecision(request, official);
