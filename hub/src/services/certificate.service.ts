/**
 * A certificate's status now or at a past time, and its history: the chaincode answers from the key's
 * history (validity window, revocation, what the ledger held then); the index adds the recording
 * transactions and the recognitions; the store adds the full off-chain record.
 */
import { type RegionCode } from '@approval-ledger/protocol';
import { type CertificateStatusView } from '@approval-ledger/protocol/api';
import { type Store } from '../store';
import { type ChainIndex } from '../verification/chain-index';
import { opens } from '../verification/verification.service';
import { type LedgerReader } from './ledger-reader';
import { versionViewOf } from './record-versions';

/** `GET /certificates/{number}`: the API contract's shape. */
export type { CertificateStatusView } from '@approval-ledger/protocol/api';

export class CertificateService {
  constructor(
    private readonly reader: LedgerReader,
    private readonly index: ChainIndex,
    private readonly store: Store,
    /** The suite of the hub's commitments (the data dir's artefact suite). */
    private readonly suite: 'intl' | 'gm' = 'intl',
  ) {}

  /** From the certificate's region's namespace when the index knows it, else from whichever holds it. */
  #read(number: string, when: string, region: RegionCode | undefined) {
    return Promise.all([
      this.reader.certificateValidAt(number, when, region),
      this.reader.certificate(number, region),
    ]);
  }

  async status(number: string, at: Date = new Date()): Promise<CertificateStatusView> {
    const when = at.toISOString();
    const anchor = this.index.get('certificate', number);
    const [validity, current] = await this.#read(number, when, anchor?.region);
    const versions = await this.store.records.findByLedgerKey('certificate', number);
    const stored = versions.find((r) => r.commitment === current.commitment);
    const offChain: CertificateStatusView['offChain'] = stored
      ? opens(stored, this.suite)
        ? 'match'
        : 'mismatch'
      : 'missing';
    return {
      number,
      at: when,
      status: validity.status,
      valid: validity.valid,
      certificate: current,
      recordedAt: validity.recorded,
      history: validity.history,
      ...(anchor
        ? {
            anchored: {
              txId: anchor.txId,
              blockNumber: anchor.blockNumber,
              at: anchor.recordedAt,
              endorsedBy: anchor.endorsers,
            },
          }
        : {}),
      ...(anchor?.revokedAt
        ? {
            revocation: {
              at: anchor.revokedAt,
              reason: anchor.revocationReason,
              txId: anchor.revocationTxId,
              blockNumber: anchor.revocationBlock,
            },
          }
        : {}),
      recognitions: this.index.recognitionsOf('certificate', number).map((r) => ({
        ...r,
        status: validity.status === 'REVOKED' || current.revocation ? 'SOURCE_REVOKED' : r.outcome,
      })),
      offChain,
      tampered: offChain === 'mismatch',
      ...(stored?.kind === 'certificate' ? { dataClass: stored.dataClass, record: stored.record } : {}),
      ...versionViewOf(versions, current.commitment, current.commitment),
    };
  }
}
