/**
 * After a certificate revocation is committed: every recognition of the certificate becomes SOURCE_REVOKED
 * in the store's board, and each region concerned is told on `ledger.recognition.<region>` at once. Safe to
 * repeat (a re-delivery): the store changes nothing twice and the notice carries a de-duplication id.
 */
import { recognitionSubject, type CertificateRevocation, type RegionCode } from '@approval-ledger/protocol';
import { type Bus } from '../bus/nats-bus';
import { type RecognitionNotice } from '../services/recognition-notice';
import { type Store } from '../store';
import { type AnchorItem, type AnchorResult } from './anchorer';

export interface RevocationNotifier {
  revoked(item: AnchorItem, result: Extract<AnchorResult, { status: 'anchored' }>): Promise<void>;
}

export class RecognitionRevocationNotifier implements RevocationNotifier {
  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
  ) {}

  async revoked(item: AnchorItem, result: Extract<AnchorResult, { status: 'anchored' }>): Promise<void> {
    if (item.kind !== 'certificate-revocation') return;
    const revocation = item.record as CertificateRevocation;
    const changed = await this.store.recognitions.markSourceRevoked(
      'certificate',
      revocation.number,
      revocation.reason,
      new Date(),
    );
    const affected = [
      ...(result.affectedRecognitions ?? []).map((r) => ({ id: r.id, targetRegion: r.targetRegion })),
      ...changed.map((r) => ({ id: r.request.id, targetRegion: r.request.targetRegion })),
    ];
    if (affected.length === 0) return;
    const ids = [...new Set(affected.map((a) => a.id))].sort();
    const regions = new Set<RegionCode>([revocation.region, ...affected.map((a) => a.targetRegion)]);
    const notice: RecognitionNotice = {
      type: 'source-revoked',
      recognitionIds: ids,
      subjectType: 'certificate',
      subjectId: revocation.number,
      sourceRegion: revocation.region,
      status: 'SOURCE_REVOKED',
      reason: revocation.reason,
      txId: result.txId,
      blockNumber: result.blockNumber,
      at: new Date().toISOString(),
    };
    await Promise.all(
      [...regions].map((region) =>
        this.bus.publish(recognitionSubject(region), JSON.stringify(notice), {
          msgId: `source-revoked:${revocation.number}:${region}`,
        }),
      ),
    );
  }
}
