/**
 * A project's provenance: every milestone, certificate, credit evaluation of its applicants and recognition,
 * each with its transaction, block, endorsing organisations and time from the chain; the full off-chain
 * record beside it (with a tamper check); and the progress along its approval plan.
 */
import {
  type DepartmentCode,
  type ProjectType,
  REGION_CODES,
  regionOfDivision,
  checkProjectCode,
  type StageCode,
} from '@approval-ledger/protocol';
import { projectProgress, type ProjectProgress } from '../progress/project-progress';
import { type StageStatistics } from '../progress/stage-statistics';
import { type StoredRecord, type Store } from '../store';
import { type ChainIndex, type IndexedAnchor, type IndexedRecognition } from '../verification/chain-index';
import { opens } from '../verification/verification.service';
import { revocationOf, revokedMilestones } from '../verification/source-revocation';

export interface ProvenanceEntry {
  readonly kind: IndexedAnchor['kind'];
  readonly id: string;
  readonly region: string;
  readonly dept: string | null;
  readonly stage: string | null;
  readonly decision: string | null;
  /** decidedAt (milestones), issuedAt (certificates). */
  readonly decidedAt: string | null;
  readonly commitment: string;
  readonly documentDigests: readonly string[];
  readonly txId: string;
  readonly blockNumber: number;
  readonly recordedAt: string;
  readonly endorsedBy: readonly string[];
  readonly submittedBy: string | null;
  readonly validFrom?: string | null;
  readonly validUntil?: string | null;
  readonly revoked?: { readonly at: string; readonly reason: string | null; readonly txId: string | null };
  /** The off-chain record: present, matching its commitment, or tampered with. */
  readonly offChain: 'match' | 'mismatch' | 'missing';
  readonly tampered: boolean;
  readonly dataClass?: string;
  readonly record?: unknown;
  readonly sourceKey?: string;
}

export interface ProjectProvenance {
  readonly projectCode: string;
  readonly region: string | null;
  readonly projectName: string | null;
  readonly projectType: ProjectType;
  readonly milestones: readonly ProvenanceEntry[];
  readonly certificates: readonly ProvenanceEntry[];
  readonly recognitions: readonly (IndexedRecognition & { readonly status: string })[];
  /** Off-chain records of the project not (yet) on the chain: pending, conflicting or refused. */
  readonly unanchored: readonly {
    readonly sourceKey: string;
    readonly kind: string;
    readonly status: string;
    readonly reason: string | null;
  }[];
  readonly progress: ProjectProgress;
}

export class ProjectService {
  constructor(
    private readonly index: ChainIndex,
    private readonly store: Store,
    private readonly statistics: StageStatistics,
  ) {}

  /** The provenance, or undefined when neither the chain nor the store knows the project. */
  async provenance(projectCode: string, now = new Date()): Promise<ProjectProvenance | undefined> {
    const anchors = this.index.byProject(projectCode);
    const stored = await this.store.records.findByProject(projectCode);
    if (anchors.length === 0 && stored.length === 0) return undefined;
    const byKey = new Map<string, StoredRecord[]>();
    for (const r of stored)
      byKey.set(`${r.kind}|${r.ledgerKey}`, [...(byKey.get(`${r.kind}|${r.ledgerKey}`) ?? []), r]);
    const entries = anchors.map((a) => entryOf(a, byKey.get(`${a.kind}|${a.key}`) ?? [], this.index));
    const milestones = entries.filter((e) => e.kind === 'milestone');
    const certificates = entries.filter((e) => e.kind === 'certificate');
    const recordedType = stored
      .map((r) => (r.record as { projectType?: string }).projectType)
      .find((t) => t !== undefined);
    const progress = projectProgress(
      projectCode,
      recordedType,
      milestones.map((m) => ({
        stage: m.stage as StageCode,
        dept: m.dept as DepartmentCode,
        decision: m.decision ?? '',
        decidedAt: m.decidedAt ?? m.recordedAt,
      })),
      this.statistics.current(),
      now,
    );
    return {
      projectCode,
      region: regionOfCode(projectCode),
      projectName:
        stored.map((r) => (r.record as { projectName?: string }).projectName).find((n) => n !== undefined) ??
        null,
      projectType: progress.projectType,
      milestones,
      certificates,
      recognitions: this.#recognitions(certificates, milestones, revokedMilestones(anchors)),
      unanchored: stored
        .filter((r) => r.status !== 'anchored')
        .map((r) => ({ sourceKey: r.id, kind: r.kind, status: r.status, reason: r.statusReason })),
      progress,
    };
  }

  /** Records of the project that carry sensitive data (their reads are audited). */
  static sensitiveRecords(provenance: ProjectProvenance): string[] {
    return [...provenance.milestones, ...provenance.certificates]
      .filter((e) => e.dataClass === 'sensitive' && e.record !== undefined && e.sourceKey !== undefined)
      .map((e) => e.sourceKey as string);
  }

  #recognitions(
    certificates: readonly ProvenanceEntry[],
    milestones: readonly ProvenanceEntry[],
    revoked: ReadonlySet<string>,
  ): ProjectProvenance['recognitions'] {
    const out: (IndexedRecognition & { status: string })[] = [];
    for (const c of certificates) {
      for (const r of this.index.recognitionsOf('certificate', c.id))
        out.push({ ...r, status: c.revoked ? 'SOURCE_REVOKED' : r.outcome });
    }
    for (const m of milestones) {
      for (const r of this.index.recognitionsOf('milestone', m.id))
        out.push({ ...r, status: revoked.has(m.id) ? 'SOURCE_REVOKED' : r.outcome });
    }
    return out;
  }
}

function entryOf(anchor: IndexedAnchor, stored: readonly StoredRecord[], index: ChainIndex): ProvenanceEntry {
  const revoked = revocationOf(index, anchor);
  const same = stored.find((s) => s.commitment === anchor.commitment);
  const offChain = same
    ? opens(same)
      ? 'match'
      : 'mismatch'
    : stored.some((s) => s.status === 'anchored')
      ? 'mismatch'
      : 'missing';
  return {
    kind: anchor.kind,
    id: anchor.key,
    region: anchor.region,
    dept: anchor.dept,
    stage: anchor.stage,
    decision: anchor.decision,
    decidedAt: anchor.decidedAt,
    commitment: anchor.commitment,
    documentDigests: anchor.documentDigests,
    txId: anchor.txId,
    blockNumber: anchor.blockNumber,
    recordedAt: anchor.recordedAt,
    endorsedBy: anchor.endorsers,
    submittedBy: anchor.creator,
    ...(anchor.kind === 'certificate' ? { validFrom: anchor.validFrom, validUntil: anchor.validUntil } : {}),
    ...(revoked ? { revoked } : {}),
    offChain,
    tampered: offChain === 'mismatch',
    ...(same ? { dataClass: same.dataClass, record: same.record, sourceKey: same.id } : {}),
  };
}

function regionOfCode(projectCode: string): string | null {
  const parsed = checkProjectCode(projectCode);
  if (!parsed.ok) return null;
  const region = regionOfDivision(parsed.value.division);
  return region && REGION_CODES.includes(region) ? region : null;
}
