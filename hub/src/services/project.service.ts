/**
 * A project's provenance: every milestone, certificate, credit evaluation of its applicants and recognition,
 * each with its transaction, block, endorsing organisations and time from the chain; the full off-chain
 * record beside it (with a tamper check); and the progress along its approval plan.
 */
import {
  type Decision,
  type DepartmentCode,
  type RegionCode,
  REGION_CODES,
  regionOfDivision,
  checkProjectCode,
  type StageCode,
} from '@approval-ledger/protocol';
import {
  type CertificateProvenanceEntry,
  type MilestoneProvenanceEntry,
  type OffChainState,
  type ProjectProvenance,
  type ProvenanceEntry,
  type RecognitionEntry,
} from '@approval-ledger/protocol/api';
import { projectProgress } from '../progress/project-progress';
import { type StageStatistics } from '../progress/stage-statistics';
import { type StoredRecord, type Store } from '../store';
import { type ChainIndex, type IndexedAnchor } from '../verification/chain-index';
import { compareBinary } from '../verification/project-anchors';
import { opens } from '../verification/verification.service';
import { revocationOf, revokedMilestones } from '../verification/source-revocation';
import { versionViewOf } from './record-versions';

/** `GET /projects/{projectCode}`: the API contract's shapes. */
export type { ProjectProvenance, ProvenanceEntry } from '@approval-ledger/protocol/api';

export class ProjectService {
  constructor(
    private readonly index: ChainIndex,
    private readonly store: Store,
    private readonly statistics: StageStatistics,
    /** The suite of the hub's commitments (the data dir's artefact suite). */
    private readonly suite: 'intl' | 'gm' = 'intl',
  ) {}

  /** The provenance, or undefined when neither the chain nor the store knows the project. */
  async provenance(projectCode: string, now = new Date()): Promise<ProjectProvenance | undefined> {
    const anchors = this.index.byProject(projectCode);
    const { versions, unanchored } = await storedRecordsOf(this.store, projectCode, anchors);
    if (anchors.length === 0 && unanchored.length === 0) return undefined;
    const byKey = new Map<string, StoredRecord[]>();
    for (const r of versions)
      byKey.set(`${r.kind}|${r.ledgerKey}`, [...(byKey.get(`${r.kind}|${r.ledgerKey}`) ?? []), r]);
    const { milestones, certificates } = entriesOf(anchors, byKey, this.index, this.suite);
    // the project's own records, oldest first (a key's versions may name another project)
    const own = [...versions, ...unanchored]
      .filter((r) => r.projectCode === projectCode)
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || compareBinary(a.id, b.id));
    const recordedType = own
      .map((r) => (r.record as { projectType?: string }).projectType)
      .find((t) => t !== undefined);
    const progress = projectProgress(
      projectCode,
      recordedType,
      milestones.map((m) => ({
        stage: m.stage,
        dept: m.dept,
        decision: m.decision,
        decidedAt: m.decidedAt,
      })),
      this.statistics.current(),
      now,
    );
    return {
      projectCode,
      region: regionOfCode(projectCode),
      projectName:
        own.map((r) => (r.record as { projectName?: string }).projectName).find((n) => n !== undefined) ??
        null,
      projectType: progress.projectType,
      milestones,
      certificates,
      recognitions: this.#recognitions(certificates, milestones, revokedMilestones(anchors)),
      unanchored: unanchored.flatMap((r) =>
        r.status === 'anchored'
          ? []
          : [{ sourceKey: r.id, kind: r.kind, status: r.status, reason: r.statusReason }],
      ),
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
    const out: RecognitionEntry[] = [];
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

/**
 * What the store holds of a project: every stored version of its anchors' keys, by key and each key's oldest
 * first (read by ledger key: the store keeps no index of every record's project), and its records not anchored,
 * oldest first.
 */
async function storedRecordsOf(
  store: Store,
  projectCode: string,
  anchors: readonly IndexedAnchor[],
): Promise<{ versions: StoredRecord[]; unanchored: StoredRecord[] }> {
  const keysOf = (kind: 'milestone' | 'certificate'): string[] =>
    anchors.filter((a) => a.kind === kind).map((a) => a.key);
  const milestones = await store.records.findByLedgerKeys('milestone', keysOf('milestone'));
  const certificates = await store.records.findByLedgerKeys('certificate', keysOf('certificate'));
  const unanchored = await store.records.findUnanchoredByProject(projectCode);
  return { versions: [...milestones, ...certificates], unanchored };
}

/** The project's milestones and certificates, each with the stored versions of its record. */
function entriesOf(
  anchors: readonly IndexedAnchor[],
  byKey: ReadonlyMap<string, StoredRecord[]>,
  index: ChainIndex,
  suite: 'intl' | 'gm',
): { milestones: MilestoneProvenanceEntry[]; certificates: CertificateProvenanceEntry[] } {
  const milestones: MilestoneProvenanceEntry[] = [];
  const certificates: CertificateProvenanceEntry[] = [];
  for (const a of anchors) {
    const candidates = byKey.get(`${a.kind}|${a.key}`) ?? [];
    if (a.kind === 'milestone') milestones.push(milestoneEntryOf(a, candidates, index, suite));
    else if (a.kind === 'certificate') certificates.push(certificateEntryOf(a, candidates, index, suite));
  }
  return { milestones, certificates };
}

/** What milestone and certificate entries share: the recording transaction, the revocation, the off-chain check. */
function commonEntryOf(
  anchor: IndexedAnchor,
  same: StoredRecord | undefined,
  offChain: OffChainState,
  index: ChainIndex,
) {
  const revoked = revocationOf(index, anchor);
  return {
    region: anchor.region,
    // milestone and certificate anchors always name their department (protocol's anchor schemas)
    dept: anchor.dept as DepartmentCode,
    commitment: anchor.commitment,
    documentDigests: anchor.documentDigests,
    txId: anchor.txId,
    blockNumber: anchor.blockNumber,
    recordedAt: anchor.recordedAt,
    endorsedBy: anchor.endorsers,
    submittedBy: anchor.creator,
    ...(revoked ? { revoked } : {}),
    offChain,
    tampered: offChain === 'mismatch',
    ...(same ? { dataClass: same.dataClass, sourceKey: same.id } : {}),
  };
}

/** The anchored version and the history of its key (the index holds the ledger's current version). */
function versionsFor(anchor: IndexedAnchor, stored: readonly StoredRecord[]) {
  return versionViewOf(
    stored.filter((s) => s.kind === anchor.kind),
    anchor.commitment,
    anchor.commitment,
  );
}

/** The stored version with the anchored commitment, and whether it still opens it. */
function offChainOf(
  anchor: IndexedAnchor,
  stored: readonly StoredRecord[],
  suite: 'intl' | 'gm',
): { same: StoredRecord | undefined; offChain: OffChainState } {
  const same = stored.find((s) => s.commitment === anchor.commitment);
  const offChain = same
    ? opens(same, suite)
      ? 'match'
      : 'mismatch'
    : stored.some((s) => s.status === 'anchored')
      ? 'mismatch'
      : 'missing';
  return { same, offChain };
}

function milestoneEntryOf(
  anchor: IndexedAnchor,
  stored: readonly StoredRecord[],
  index: ChainIndex,
  suite: 'intl' | 'gm',
): MilestoneProvenanceEntry {
  const { same, offChain } = offChainOf(anchor, stored, suite);
  return {
    kind: 'milestone',
    id: anchor.key,
    ...commonEntryOf(anchor, same, offChain, index),
    // a milestone anchor always has stage, decision and decision time (MilestoneAnchorSchema)
    stage: anchor.stage as StageCode,
    decision: anchor.decision as Decision,
    decidedAt: anchor.decidedAt as string,
    ...(same?.kind === 'milestone' ? { record: same.record } : {}),
    ...versionsFor(anchor, stored),
  };
}

function certificateEntryOf(
  anchor: IndexedAnchor,
  stored: readonly StoredRecord[],
  index: ChainIndex,
  suite: 'intl' | 'gm',
): CertificateProvenanceEntry {
  const { same, offChain } = offChainOf(anchor, stored, suite);
  return {
    kind: 'certificate',
    id: anchor.key,
    ...commonEntryOf(anchor, same, offChain, index),
    stage: null,
    decision: null,
    // a certificate anchor's issue time (CertificateAnchorSchema)
    decidedAt: anchor.decidedAt as string,
    validFrom: anchor.validFrom,
    validUntil: anchor.validUntil,
    ...(same?.kind === 'certificate' ? { record: same.record } : {}),
    ...versionsFor(anchor, stored),
  };
}

function regionOfCode(projectCode: string): RegionCode | null {
  const parsed = checkProjectCode(projectCode);
  if (!parsed.ok) return null;
  const region = regionOfDivision(parsed.value.division);
  return region && REGION_CODES.includes(region) ? region : null;
}
