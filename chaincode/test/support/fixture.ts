// A three-region channel in memory: an organisation CA per region with approvers, authorities, admins
// and auditors (Fabric CA attributes ledger.role / ledger.dept), the real contracts on fabric-shim's
// stub, and builders for records whose anchors carry real salted commitments.
import {
  commitment,
  parseLedgerError,
  sha256Hex,
  toCertificateAnchor,
  toCreditAnchor,
  toMilestoneAnchor,
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type DepartmentCode,
  type Milestone,
  type PolicyEndorser as Endorser,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import { sampleIssuerGrant, sampleRevocation } from '@approval-ledger/protocol/testing';
import { expect } from 'chai';
import { Wallet } from 'ethers';
import type { ChaincodeInterface } from 'fabric-shim';
import { createChaincode } from '../../src/index';
import {
  CertificateAuthority,
  InMemoryNetwork,
  type InMemoryNetworkOptions,
  type SubmitResult,
  type X509Identity,
} from '@approval-ledger/fabric-engine';

export const MSP: Record<RegionCode, string> = { BJ: 'BeijingMSP', TJ: 'TianjinMSP', HE: 'HebeiMSP' };
const DOMAIN: Record<RegionCode, string> = {
  BJ: 'beijing.approval-ledger',
  TJ: 'tianjin.approval-ledger',
  HE: 'hebei.approval-ledger',
};

export const PROJECT = {
  BJ: '2025-110105-47-03-000318',
  TJ: '2025-120116-35-02-000411',
  HE: '2024-130600-70-01-000007',
} as const;
export const USCC = {
  A: '91110105MA01WJ3K7N',
  B: '91110115MA02YZ7D0R',
  C: '91120116MA05TJ2N2H',
  D: '91130600MA0BD9H43Q',
} as const;

export const SALT = 'a'.repeat(64);
export const OTHER_SALT = 'b'.repeat(64);

/** The ledger clock: every transaction is proposed at CLOCK + n minutes. */
export const CLOCK = Date.parse('2025-03-10T02:00:00.000Z');

export const digest = (label: string): string => sha256Hex(label);

type IdentityKey = `${RegionCode}:${Role}:${DepartmentCode | '-'}`;

export interface FixtureOptions extends InMemoryNetworkOptions {
  /** Wraps the chaincode the peer runs (to watch the calls it makes to the peer). */
  readonly wrap?: (chaincode: ChaincodeInterface) => ChaincodeInterface;
}

export class Fixture {
  readonly network: InMemoryNetwork;
  readonly #identities = new Map<IdentityKey, X509Identity>();
  readonly #cas = new Map<RegionCode, CertificateAuthority>();
  #minute = 0;

  private constructor(options: FixtureOptions) {
    const chaincode = createChaincode();
    this.network = new InMemoryNetwork(options.wrap ? options.wrap(chaincode) : chaincode, options);
  }

  /** A fixture whose chaincode runs as `options.chaincodeName` (default: a name outside the namespace plan). */
  static async create(options: FixtureOptions = {}): Promise<Fixture> {
    const f = new Fixture(options);
    for (const region of ['BJ', 'TJ', 'HE'] as const) {
      f.#cas.set(region, await CertificateAuthority.create({ mspId: MSP[region], domain: DOMAIN[region] }));
    }
    return f;
  }

  /** An identity of `region` with `role` (and `dept`), issued by that region's CA. */
  async who(region: RegionCode, role: Role, dept?: DepartmentCode): Promise<X509Identity> {
    const key: IdentityKey = `${region}:${role}:${dept ?? '-'}`;
    const known = this.#identities.get(key);
    if (known) return known;
    const attributes: Record<string, string> = {
      'ledger.role': role,
      ...(dept ? { 'ledger.dept': dept } : {}),
    };
    const identity = await this.#cas.get(region)!.issue({
      enrollmentId: `${region}-${role}-${dept ?? 'all'}`.toLowerCase(),
      role: 'client',
      attributes,
    });
    this.#identities.set(key, identity);
    return identity;
  }

  /** An identity of an organisation outside the three regions. */
  async outsider(): Promise<X509Identity> {
    const ca = await CertificateAuthority.create({ mspId: 'ShanghaiMSP', domain: 'shanghai.example' });
    return ca.issue({
      enrollmentId: 'sh-approver',
      role: 'client',
      attributes: { 'ledger.role': 'approver', 'ledger.dept': 'HC' },
    });
  }

  now(): Date {
    return new Date(CLOCK + this.#minute * 60_000);
  }

  /** Moves the ledger clock on. */
  advance(minutes: number): void {
    this.#minute += minutes;
  }

  async submit(
    identity: X509Identity,
    fcn: string,
    args: readonly string[],
    endorsers?: readonly Endorser[],
  ): Promise<SubmitResult> {
    this.#minute++;
    return this.network.submit(identity, fcn, args, {
      timestamp: this.now(),
      ...(endorsers ? { endorsers } : {}),
    });
  }

  async evaluate(identity: X509Identity, fcn: string, args: readonly string[]): Promise<unknown> {
    const res = await this.network.evaluate(identity, fcn, args, { timestamp: this.now() });
    if (res.status !== 200) throw new Error(res.message);
    return JSON.parse(res.payload) as unknown;
  }

  /** Submits and expects a committed, valid transaction; returns its parsed payload. */
  async ok<T = Record<string, unknown>>(
    identity: X509Identity,
    fcn: string,
    args: readonly string[],
  ): Promise<T> {
    const res = await this.submit(identity, fcn, args);
    expect(res.status, res.message).to.equal(200);
    expect(res.validationCode).to.equal('VALID');
    return JSON.parse(res.payload) as T;
  }

  /** Submits and expects a refusal with `code`; returns the message. */
  async refused(identity: X509Identity, fcn: string, args: readonly string[], code: string): Promise<string> {
    const res = await this.submit(identity, fcn, args);
    expect(res.status, `expected ${code}, got ${res.status} ${res.payload}`).to.equal(500);
    expect(parseLedgerError(res.message)?.code, res.message).to.equal(code);
    expect(res.message.startsWith(`${code}: `)).to.equal(true);
    return res.message;
  }

  /** Grants every stage and certificate type of `dept` in `region`, from 2020 on (by the region's admin). */
  async grant(
    region: RegionCode,
    dept: DepartmentCode,
    stages: string[],
    certificateTypes: string[] = [],
    validUntil?: string,
  ): Promise<void> {
    const grant = sampleIssuerGrant(region, dept, stages, certificateTypes, validUntil ? { validUntil } : {});
    await this.ok(await this.who(region, 'admin'), 'issuers:Grant', [JSON.stringify(grant)]);
  }
}

export function milestone(overrides: Partial<Milestone> = {}): Milestone {
  return {
    id: 'bj-hc-0001',
    projectCode: PROJECT.BJ,
    projectName: '望京科创园二期',
    region: 'BJ',
    dept: 'HC',
    stage: 'CONSTRUCTION_PERMIT',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    applicant: { name: '北京望京科创置业有限公司', uscc: USCC.A },
    documents: [{ name: '施工许可证.pdf', sha256: digest('permit-0001') }],
    source: { system: 'bj-hc-permits', recordId: 'P-0001', version: 1 },
    dataClass: 'internal',
    ...overrides,
  };
}

export const anchorOf = (m: Milestone, salt = SALT): string => JSON.stringify(toMilestoneAnchor(m, salt));

export function certificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    number: '建字第110105202500012号',
    type: 'CONSTRUCTION_PERMIT',
    projectCode: PROJECT.BJ,
    region: 'BJ',
    dept: 'HC',
    holder: { name: '北京望京科创置业有限公司', uscc: USCC.A },
    issuedAt: '2025-03-06T16:30:00+08:00',
    validFrom: '2025-03-06T16:30:00+08:00',
    validUntil: '2027-03-06T16:30:00+08:00',
    documents: [{ name: '施工许可证.pdf', sha256: digest('certificate-0012') }],
    source: { system: 'bj-hc-permits', recordId: 'C-0012', version: 1 },
    dataClass: 'public',
    ...overrides,
  };
}

export const certificateAnchorOf = (c: Certificate, salt = SALT): string =>
  JSON.stringify(toCertificateAnchor(c, salt));

/** The revocation of {@link certificate}() by its department. */
export function revocation(overrides: Partial<CertificateRevocation> = {}): CertificateRevocation {
  return sampleRevocation({
    number: certificate().number,
    reason: '申请人隐瞒有关情况',
    revokedAt: '2025-03-09T10:00:00+08:00',
    source: { system: 'bj-hc-permits', recordId: 'R-0001', version: 1 },
    ...overrides,
  });
}

export function creditEvent(overrides: Partial<CreditEvent> = {}): CreditEvent {
  return {
    id: 'bj-credit-0001',
    uscc: USCC.A,
    enterpriseName: '北京望京科创置业有限公司',
    level: 'A',
    dishonest: false,
    evaluatedAt: '2025-01-01T00:00:00+08:00',
    region: 'BJ',
    source: { system: 'bj-credit', recordId: 'E-0001', version: 1 },
    dataClass: 'internal',
    ...overrides,
  };
}

export const creditAnchorOf = (e: CreditEvent, salt = SALT): string =>
  JSON.stringify(toCreditAnchor(e, salt));

/** A deterministic official's wallet. */
export const official = (n: number): Wallet => new Wallet(`0x${(n + 1).toString(16).padStart(64, '0')}`);

export { signedDecision } from '@approval-ledger/protocol/testing';
export { commitment };
