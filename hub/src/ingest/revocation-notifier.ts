/**
 * After a revocation is committed, every recognition of the revoked result becomes SOURCE_REVOKED in the
 * store's board, and each region concerned is told on `ledger.recognition.<region>` at once:
 * - a certificate revocation revokes that certificate;
 * - a REVOKED milestone revokes the project's earlier milestones of the same region, department and stage
 *   (protocol's `revokesMilestone`, the rule the chaincode and `/verify` apply).
 * Safe to repeat (a re-delivery): the store changes nothing twice and each notice carries a de-duplication id.
 */
import {
  type CertificateRevocation,
  type Milestone,
  recognitionSubject,
  type RecognitionSubjectType,
  type RegionCode,
} from '@approval-ledger/protocol';
import { type Bus } from '../bus/nats-bus';
import { type RecognitionNotice } from '@approval-ledger/protocol/api';
import { type Store } from '../store';
import { type ChainIndex } from '../verification/chain-index';
import { milestonesRevokedBy } from '../verification/source-revocation';
import { type AnchorItem, type AnchorResult } from './anchorer';

type Anchored = Extract<AnchorResult, { status: 'anchored' }>;

export interface RevocationNotifier {
  revoked(item: AnchorItem, result: Anchored): Promise<void>;
}

/** A revoked result and the recognitions of it that the ledger reported or the store had. */
interface RevokedSubject {
  readonly subjectType: RecognitionSubjectType;
  readonly subjectId: string;
  readonly sourceRegion: RegionCode;
  readonly reason: string;
  readonly affected: readonly { readonly id: string; readonly targetRegion: RegionCode }[];
}

export class RecognitionRevocationNotifier implements RevocationNotifier {
  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    /** The project's anchored milestones, as the chain index has them. */
    private readonly index: Pick<ChainIndex, 'byProject'>,
  ) {}

  async revoked(item: AnchorItem, result: Anchored): Promise<void> {
    if (item.kind === 'certificate-revocation') {
      await this.#notify(await this.#certificate(item.record as CertificateRevocation, result), result);
    } else if (item.kind === 'milestone' && (item.record as Milestone).decision === 'REVOKED') {
      for (const subject of await this.#milestones(item.record as Milestone))
        await this.#notify(subject, result);
    }
  }

  async #certificate(revocation: CertificateRevocation, result: Anchored): Promise<RevokedSubject> {
    const changed = await this.#markRevoked('certificate', revocation.number, revocation.reason);
    return {
      subjectType: 'certificate',
      subjectId: revocation.number,
      sourceRegion: revocation.region,
      reason: revocation.reason,
      affected: [
        ...(result.affectedRecognitions ?? []).map((r) => ({ id: r.id, targetRegion: r.targetRegion })),
        ...changed,
      ],
    };
  }

  /**
   * The project's anchored milestones that `revocation` revokes, each with the recognitions it changed. Ingest
   * calls this once the chain index holds the revocation's block (and so every milestone anchored before it: a
   * recognition is of an indexed result).
   */
  async #milestones(revocation: Milestone): Promise<RevokedSubject[]> {
    const reason = `revoked by milestone ${revocation.id} (REVOKED)`;
    const revoked = milestonesRevokedBy(revocation, this.index.byProject(revocation.projectCode));
    const subjects: RevokedSubject[] = [];
    for (const m of revoked) {
      const affected = await this.#markRevoked('milestone', m.id, reason);
      subjects.push({ subjectType: 'milestone', subjectId: m.id, sourceRegion: m.region, reason, affected });
    }
    return subjects;
  }

  async #markRevoked(
    subjectType: RecognitionSubjectType,
    subjectId: string,
    reason: string,
  ): Promise<{ id: string; targetRegion: RegionCode }[]> {
    const changed = await this.store.recognitions.markSourceRevoked(
      subjectType,
      subjectId,
      reason,
      new Date(),
    );
    return changed.map((r) => ({ id: r.request.id, targetRegion: r.request.targetRegion }));
  }

  async #notify(subject: RevokedSubject, result: Anchored): Promise<void> {
    if (subject.affected.length === 0) return;
    const ids = [...new Set(subject.affected.map((a) => a.id))].sort();
    const regions = new Set<RegionCode>([
      subject.sourceRegion,
      ...subject.affected.map((a) => a.targetRegion),
    ]);
    const notice: RecognitionNotice = {
      type: 'source-revoked',
      recognitionIds: ids,
      subjectType: subject.subjectType,
      subjectId: subject.subjectId,
      sourceRegion: subject.sourceRegion,
      status: 'SOURCE_REVOKED',
      reason: subject.reason,
      txId: result.txId,
      blockNumber: result.blockNumber,
      at: new Date().toISOString(),
    };
    // the certificate's de-duplication id is unchanged from before milestones were notified too
    const prefix = subject.subjectType === 'certificate' ? 'source-revoked' : 'source-revoked:milestone';
    await Promise.all(
      [...regions].map((region) =>
        this.bus.publish(recognitionSubject(region), JSON.stringify(notice), {
          msgId: `${prefix}:${subject.subjectId}:${region}`,
        }),
      ),
    );
  }
}
