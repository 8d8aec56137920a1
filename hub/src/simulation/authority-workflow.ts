/**
 * The recognition authorities of Beijing, Tianjin and Hebei at work on the default run (`ledger authority-sim`,
 * started by `npm start`): a client of the hub's HTTP API like the explorer, with real bearer tokens and the
 * regions' registered officials' EIA-712 keys. Each step reads the board and the regions' projects through the
 * API, asks `authority-plan.ts` what is due, and does it:
 *
 * - request: `POST /recognitions` as the target region's authority (recorded in the pair's namespace, endorsed by
 *   both regions);
 * - decide: the target's official signs the EIP-712 decision, `POST /recognitions/{id}/decision`;
 * - revoke: Beijing's issuing department revokes the recognised result: a milestone with a 撤销 (REVOKED) decision
 *   through `POST /milestones` as its approver; a certificate with a revocation in a legacy export of the
 *   department, published on `legacy.BJ.<dept>.certificate` as `ledger import` publishes one (the API takes no
 *   certificate records: they come from the legacy systems). The hub turns the recognition into SOURCE_REVOKED
 *   and tells both regions.
 *
 * It holds no state the hub does not show, so a restart carries on where the board is.
 */
import {
  EIP712_DOMAIN,
  ENVELOPE_SCHEMA,
  sha256Hex,
  type CertificateRevocation,
  type Envelope,
  RECOGNITION_DECISION_TYPES,
  REGIONS,
  recognitionDecisionMessage,
  type DepartmentCode,
  type Milestone,
  type RecognitionDecision,
  type RecognitionRequest,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import {
  type CertificateProvenanceEntry,
  type ProjectProvenance,
  type ProjectSearchResult,
  type RecognitionBoard,
  type RecognitionBoardEntry,
} from '@approval-ledger/protocol/api';
import { Wallet } from 'ethers';
import { type OfficialKey } from '../services/registry-seeder';
import {
  planStep,
  RECOGNITION_ROUTES,
  type PlannedStep,
  type PlanTiming,
  type RecognitionCandidate,
} from './authority-plan';

/** Issues a bearer token of the hub for a region and role (and department for approvers). */
export type TokenIssuer = (region: RegionCode, role: Role, dept?: DepartmentCode) => Promise<string>;

/** Publishes a legacy record envelope for ingest (on its `legacy.*` subject, under its source key). */
export type LegacyPublisher = (envelope: Envelope) => Promise<void>;

export interface AuthorityWorkflowOptions {
  readonly hubUrl: string;
  /** How a department's revocation of a certificate reaches the hub (a legacy export). */
  readonly publishLegacy: LegacyPublisher;
  readonly tokens: TokenIssuer;
  /** The region's registered official, whose key signs its decisions. */
  readonly official: (region: RegionCode) => OfficialKey;
  readonly log: (line: string) => void;
  readonly timing?: PlanTiming;
  readonly now?: () => Date;
  /** How many projects of a region one look at the region reads (default 4). */
  readonly projectsPerLook?: number;
}

/** An API answer that was not 2xx: the method, path, status and the problem's text. */
export class HubRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path}: ${status} ${body.slice(0, 300)}`);
    this.name = 'HubRequestError';
  }
}

/**
 * The region's official is not in its signer registry on this ledger, e.g. a ledger seeded from another data dir
 * (on Fabric the regions' admins keep the registries; `ledger registry seed` registers the demo official only
 * while a region has no active signer). Says what the region's admin runs.
 */
export class UnregisteredOfficialError extends Error {
  constructor(
    readonly region: RegionCode,
    readonly official: OfficialKey,
  ) {
    super(
      `${region}'s official ${official.address} (${official.name}) is not a registered signer of ${region} on this ` +
        `ledger, so ${region}'s recognition decisions are refused (SIGNER_NOT_AUTHORISED). ${region}'s admin ` +
        `registers it with: npx ledger registry signer add --region ${region} --address ${official.address} ` +
        `--name '${official.name}'`,
    );
    this.name = 'UnregisteredOfficialError';
  }
}

const SUBJECT_KEY = (c: { subjectType: string; subjectId: string }): string =>
  `${c.subjectType}:${c.subjectId}`;

export class AuthorityWorkflow {
  readonly #options: AuthorityWorkflowOptions;
  readonly #tokens = new Map<string, Promise<string>>();
  readonly #candidates: Partial<Record<RegionCode, RecognitionCandidate[]>> = {};
  /** Project of each candidate milestone, to find its full record when Beijing revokes it. */
  readonly #projectOf = new Map<string, string>();
  readonly #revocationsSent = new Set<string>();
  /** Candidates the ledger refused to have recognised (revoked since they were read). */
  readonly #dropped = new Set<string>();
  #look = 0;

  constructor(options: AuthorityWorkflowOptions) {
    this.#options = options;
  }

  /** One step: read, plan, act. Returns what was planned (and done). */
  async step(): Promise<PlannedStep> {
    const now = this.#options.now?.() ?? new Date();
    const board = await this.#board();
    await this.#lookAtProjects();
    const step = planStep({
      board,
      candidates: this.#candidates,
      revocationsSent: this.#revocationsSent,
      now,
      timing: this.#options.timing,
    });
    if (step.kind === 'request') await this.#requestOrDrop(step.id, step.target, step.candidate);
    else if (step.kind === 'decide')
      await this.#decideUnlessRevoked(step.entry, step.outcome, step.reason, now);
    else if (step.kind === 'revoke') await this.#revoke(step.entry, now);
    return step;
  }

  /**
   * Steps every `intervalMs` until `signal` aborts; a failed step is logged and the next one tries again (a failure
   * that says what an operator must do, such as an unregistered official, is logged once, not every step).
   */
  async run(signal: AbortSignal, intervalMs: number): Promise<void> {
    const advised = new Set<string>();
    while (!signal.aborted) {
      await this.step().catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof UnregisteredOfficialError) {
          if (!advised.has(message)) this.#options.log(`step failed: ${message}`);
          advised.add(message);
        } else this.#options.log(`step failed: ${message}`);
      });
      // the abort listener goes with its timer: a long run must not pile one up per step
      await new Promise<void>((resolve) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, intervalMs);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  async #board(): Promise<RecognitionBoardEntry[]> {
    const auditor = await this.#token('BJ', 'auditor');
    return (await this.#api<RecognitionBoard>('GET', '/recognitions', auditor)).recognitions;
  }

  /** Reads a few projects of each source region (in turn, newest codes first) for results to recognise. */
  async #lookAtProjects(): Promise<void> {
    const perLook = this.#options.projectsPerLook ?? 4;
    const look = this.#look++;
    for (const source of new Set(RECOGNITION_ROUTES.map((r) => r.source))) {
      const reader = await this.#token(source === 'BJ' ? 'TJ' : 'BJ', 'authority');
      const prefix = `2025-${REGIONS[source].divisionPrefix}`;
      const found = await this.#api<ProjectSearchResult>(
        'GET',
        `/projects?q=${encodeURIComponent(prefix)}&limit=100`,
        reader,
      );
      const codes = found.projects.map((p) => p.projectCode);
      const start = codes.length === 0 ? 0 : (look * perLook) % codes.length;
      const chosen = [...codes, ...codes].slice(start, start + Math.min(perLook, codes.length));
      const known = this.#candidates[source] ?? [];
      const seen = new Set([...known.map(SUBJECT_KEY), ...this.#dropped]);
      for (const code of chosen) {
        const project = await this.#api<ProjectProvenance>('GET', `/projects/${code}`, reader);
        for (const c of candidatesOf(project, source)) {
          if (seen.has(SUBJECT_KEY(c))) continue;
          seen.add(SUBJECT_KEY(c));
          known.push(c);
          this.#projectOf.set(c.subjectId, code);
        }
      }
      this.#candidates[source] = known;
    }
  }

  /** A candidate the ledger will not recognise (revoked meanwhile: 409) is dropped, not asked for again. */
  async #requestOrDrop(id: string, target: RegionCode, candidate: RecognitionCandidate): Promise<void> {
    try {
      await this.#request(id, target, candidate);
    } catch (error) {
      if (!(error instanceof HubRequestError) || error.status !== 409) throw error;
      const list = this.#candidates[candidate.region] ?? [];
      this.#candidates[candidate.region] = list.filter((c) => SUBJECT_KEY(c) !== SUBJECT_KEY(candidate));
      this.#dropped.add(SUBJECT_KEY(candidate));
      this.#options.log(`${target} does not ask for ${candidate.subjectId}: ${error.message}`);
    }
  }

  async #request(id: string, target: RegionCode, candidate: RecognitionCandidate): Promise<void> {
    const request: RecognitionRequest = {
      id,
      subjectType: candidate.subjectType,
      subjectId: candidate.subjectId,
      sourceRegion: candidate.region,
      targetRegion: target,
    };
    await this.#api('POST', '/recognitions', await this.#token(target, 'authority'), request);
    this.#options.log(
      `${target} asks to recognise ${candidate.region}'s ${candidate.subjectType} ${candidate.subjectId} (${id})`,
    );
  }

  /**
   * A pending recognition whose source was revoked after the board was read (the ledger had the revocation, the
   * hub's index not yet) cannot be decided (409): it is left, and the next board shows it SOURCE_REVOKED.
   */
  async #decideUnlessRevoked(
    entry: RecognitionBoardEntry,
    outcome: 'RECOGNISED' | 'REJECTED',
    reason: string | undefined,
    now: Date,
  ): Promise<void> {
    try {
      await this.#decide(entry, outcome, reason, now);
    } catch (error) {
      if (!(error instanceof HubRequestError) || error.status !== 409) throw error;
      this.#options.log(`${entry.targetRegion} does not decide ${entry.id}: ${error.message}`);
    }
  }

  async #decide(
    entry: RecognitionBoardEntry,
    outcome: 'RECOGNISED' | 'REJECTED',
    reason: string | undefined,
    now: Date,
  ): Promise<void> {
    const region = entry.targetRegion;
    const official = this.#options.official(region);
    const decidedAt = new Date(now.getTime() - 1_000).toISOString();
    const signature = await new Wallet(official.privateKey).signTypedData(
      EIP712_DOMAIN,
      RECOGNITION_DECISION_TYPES,
      recognitionDecisionMessage(entry, { outcome, decidedAt }),
    );
    const decision: RecognitionDecision = {
      recognitionId: entry.id,
      outcome,
      decidedAt,
      ...(reason === undefined ? {} : { reason }),
      signer: official.address,
      signature,
    };
    try {
      await this.#api(
        'POST',
        `/recognitions/${encodeURIComponent(entry.id)}/decision`,
        await this.#token(region, 'authority'),
        decision,
      );
    } catch (error) {
      if (
        error instanceof HubRequestError &&
        error.status === 403 &&
        error.body.includes('SIGNER_NOT_AUTHORISED')
      )
        throw new UnregisteredOfficialError(region, official);
      throw error;
    }
    this.#options.log(
      `${region} ${outcome === 'RECOGNISED' ? 'recognises' : `rejects (${reason ?? ''})`} ${entry.id}, signed by ${official.name}`,
    );
  }

  /** The source region's issuing department revokes the recognised result. */
  async #revoke(entry: RecognitionBoardEntry, now: Date): Promise<void> {
    const code = this.#projectOf.get(entry.subjectId);
    if (code === undefined) throw new Error(`the project of ${entry.subjectId} is not known yet`);
    const auditor = await this.#token(entry.sourceRegion, 'auditor');
    const project = await this.#api<ProjectProvenance>('GET', `/projects/${code}`, auditor);
    if (entry.subjectType === 'certificate') return this.#revokeCertificate(entry, project, now);
    const milestone = project.milestones.find((m) => m.id === entry.subjectId)?.record;
    if (!milestone) throw new Error(`milestone ${entry.subjectId} has no full record in ${code}`);
    const revocation = revocationOf(milestone, now);
    const approver = await this.#token(milestone.region, 'approver', milestone.dept);
    await this.#api('POST', '/milestones', approver, revocation);
    this.#revocationsSent.add(SUBJECT_KEY(entry));
    this.#options.log(
      `${milestone.region} ${milestone.dept} revokes (撤销) milestone ${milestone.id}, recognised by ${entry.targetRegion} (${entry.id})`,
    );
  }

  /** The department's revocation of the certificate, as its legacy system would send it. */
  async #revokeCertificate(
    entry: RecognitionBoardEntry,
    project: ProjectProvenance,
    now: Date,
  ): Promise<void> {
    const certificate = project.certificates.find((c) => c.id === entry.subjectId);
    if (!certificate) throw new Error(`certificate ${entry.subjectId} is not in ${project.projectCode}`);
    const envelope = certificateRevocationOf(certificate, now);
    await this.#options.publishLegacy(envelope);
    this.#revocationsSent.add(SUBJECT_KEY(entry));
    this.#options.log(
      `${certificate.region} ${certificate.dept} revokes certificate ${certificate.id}, recognised by ${entry.targetRegion} (${entry.id})`,
    );
  }

  #token(region: RegionCode, role: Role, dept?: DepartmentCode): Promise<string> {
    const key = `${region}:${role}:${dept ?? ''}`;
    let token = this.#tokens.get(key);
    if (!token) {
      token = this.#options.tokens(region, role, dept);
      token.catch(() => this.#tokens.delete(key));
      this.#tokens.set(key, token);
    }
    return token;
  }

  async #api<T>(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#options.hubUrl}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new HubRequestError(method, path, response.status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** Results of a project worth recognising: approved milestones and certificates, not revoked. */
export function candidatesOf(project: ProjectProvenance, region: RegionCode): RecognitionCandidate[] {
  const milestones = project.milestones
    .filter((m) => m.region === region && m.decision === 'APPROVED' && !m.revoked)
    .map((m): RecognitionCandidate => ({ subjectType: 'milestone', subjectId: m.id, region }));
  const certificates = project.certificates
    .filter((c) => c.region === region && !c.revoked)
    .map((c): RecognitionCandidate => ({ subjectType: 'certificate', subjectId: c.id, region }));
  return [...certificates, ...milestones];
}

/** The revocation of a certificate by its department, as an envelope of a legacy export (`<region>-<dept>-desk`). */
export function certificateRevocationOf(
  certificate: Pick<CertificateProvenanceEntry, 'id' | 'region' | 'dept'>,
  now: Date,
): Envelope {
  const system = `${certificate.region.toLowerCase()}-${certificate.dept.toLowerCase()}-desk`;
  const source = { system, recordId: `REV-${sha256Hex(certificate.id).slice(0, 16)}`, version: 1 };
  const record: CertificateRevocation = {
    number: certificate.id,
    region: certificate.region,
    dept: certificate.dept,
    reason: '持证单位提供虚假材料，依法撤销',
    revokedAt: new Date(now.getTime() - 1_000).toISOString(),
    source,
  };
  return {
    schema: ENVELOPE_SCHEMA,
    kind: 'certificate-revocation',
    region: certificate.region,
    dept: certificate.dept,
    source,
    emittedAt: now.toISOString(),
    record,
  };
}

/** The 撤销 (REVOKED) decision of a milestone by its department: same project, stage and department, now. */
export function revocationOf(milestone: Milestone, now: Date): Milestone {
  const id = `${milestone.id}.CX`.slice(-128);
  const { documentNo: _documentNo, details: _details, ...rest } = milestone;
  return {
    ...rest,
    id,
    decision: 'REVOKED',
    decidedAt: now.toISOString(),
    documents: [],
    source: {
      system: `${milestone.region.toLowerCase()}-${milestone.dept.toLowerCase()}-desk`,
      recordId: id,
      version: 1,
    },
  };
}
