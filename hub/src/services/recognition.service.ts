/**
 * Cross-region mutual recognition: requests and signed decisions are submitted as the deciding region's
 * authority identity (the chaincode checks the region, the signer registry and the EIP-712 signature
 * itself), mirrored in the store's board and announced on `ledger.recognition.<region>` to both regions.
 * Both go to the pair namespace of the recognition's two regions (`approval-bj-tj`, ...; see
 * `../ledger/namespace-mode.ts`), endorsed by both regions' peers: a decision names only its recognition id,
 * so its caller passes the source region of the recorded request.
 */
import {
  recognitionSubject,
  type RecognitionDecision,
  type RecognitionRequest,
  type RecognitionStatus,
  type RegionCode,
} from '@approval-ledger/protocol';
import { type RecognitionView } from '@approval-ledger/chaincode';
import {
  type RecognitionBoardEntry as BoardEntry,
  type RecognitionResult as RecognitionOutcome,
} from '@approval-ledger/protocol/api';
import { type Bus } from '../bus/nats-bus';
import { type CommittedTransaction, type LedgerPort, pairScope, parseResult } from '../ledger';
import { type Store } from '../store';
import { type ChainIndex } from '../verification/chain-index';
import { type ChainIndexer } from '../verification/chain-indexer';
import { isSubjectRevoked } from '../verification/source-revocation';
import { type RecognitionNotice } from '@approval-ledger/protocol/api';

/** What a request or decision recorded, and a line of the board: the API contract's shapes. */
export type {
  RecognitionResult as RecognitionOutcome,
  RecognitionBoardEntry as BoardEntry,
} from '@approval-ledger/protocol/api';

export class RecognitionService {
  constructor(
    private readonly ledger: LedgerPort,
    private readonly index: ChainIndex,
    private readonly indexer: ChainIndexer,
    private readonly store: Store,
    private readonly bus: Bus,
  ) {}

  async request(request: RecognitionRequest, requestedBy: string): Promise<RecognitionOutcome> {
    const committed = await this.ledger.submit(
      { region: request.targetRegion, role: 'authority' },
      'recognition:Request',
      [JSON.stringify(request)],
      { scope: pairScope(request.sourceRegion, request.targetRegion) },
    );
    const recognition = viewOf(committed);
    await this.store.recognitions.saveRequest(request, {
      requestedBy,
      requestedAt: new Date(),
      ledger: { txId: committed.txId, blockNumber: committed.blockNumber },
    });
    await this.#announce('requested', recognition, committed);
    await this.indexer.waitFor(committed.blockNumber);
    return { recognition, txId: committed.txId, blockNumber: committed.blockNumber };
  }

  /** Decides as `region`'s authority the recognition requested from `sourceRegion` (its recorded request's). */
  async decide(
    decision: RecognitionDecision,
    region: RegionCode,
    sourceRegion: RegionCode,
  ): Promise<RecognitionOutcome> {
    const committed = await this.ledger.submit(
      { region, role: 'authority' },
      'recognition:Decide',
      [JSON.stringify(decision)],
      { scope: pairScope(sourceRegion, region) },
    );
    const recognition = viewOf(committed);
    await this.store.recognitions.saveDecision(decision, {
      txId: committed.txId,
      blockNumber: committed.blockNumber,
    });
    await this.#announce('decided', recognition, committed);
    await this.indexer.waitFor(committed.blockNumber);
    return { recognition, txId: committed.txId, blockNumber: committed.blockNumber };
  }

  /** The source and target regions of a recognition's request, from the chain index (undefined when unknown). */
  regionsOf(id: string): { readonly source: RegionCode; readonly target: RegionCode } | undefined {
    const recognition = this.index.recognition(id);
    return recognition && { source: recognition.sourceRegion, target: recognition.targetRegion };
  }

  /** The board, from the chain index; SOURCE_REVOKED when the recognised certificate or milestone is revoked. */
  board(filter: { source?: RegionCode; target?: RegionCode; status?: RecognitionStatus }): BoardEntry[] {
    return this.index
      .recognitionsWhere(filter.source, filter.target)
      .map((r): BoardEntry => {
        const revoked = isSubjectRevoked(this.index, r.subjectType, r.subjectId);
        return {
          id: r.id,
          subjectType: r.subjectType,
          subjectId: r.subjectId,
          sourceRegion: r.sourceRegion,
          targetRegion: r.targetRegion,
          status: revoked ? 'SOURCE_REVOKED' : r.outcome,
          requestTxId: r.requestTxId,
          requestedAt: r.requestedAt,
          decisionTxId: r.decisionTxId,
          decidedAt: r.decidedAt,
          decision: r.decisionJson ? (JSON.parse(r.decisionJson) as RecognitionDecision) : null,
        };
      })
      .filter((e) => filter.status === undefined || e.status === filter.status);
  }

  async #announce(
    type: RecognitionNotice['type'],
    r: RecognitionView,
    committed: CommittedTransaction,
  ): Promise<void> {
    const notice: RecognitionNotice = {
      type,
      recognitionIds: [r.id],
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      sourceRegion: r.sourceRegion,
      targetRegion: r.targetRegion,
      status: r.status,
      txId: committed.txId,
      blockNumber: committed.blockNumber,
      at: new Date().toISOString(),
    };
    await Promise.all(
      [...new Set([r.sourceRegion, r.targetRegion])].map((region) =>
        this.bus.publish(recognitionSubject(region), JSON.stringify(notice), {
          msgId: `${type}:${r.id}:${region}`,
        }),
      ),
    );
  }
}

function viewOf(committed: CommittedTransaction): RecognitionView {
  const view = parseResult<RecognitionView>(committed.result);
  if (!view) throw new Error(`transaction ${committed.txId} returned no recognition`);
  return view;
}
