/**
 * Anchors records through the ledger port, submitting as the region's approver identity of the department
 * (the chaincode checks region and department from that identity itself). Milestones go in batches of up to
 * MAX_BATCH per transaction; certificates, revocations and credit events one per transaction, in parallel
 * (the orderer cuts them into blocks). A batch refused by the chaincode is retried record by record, so one
 * bad record only rejects itself. Re-delivered records come back from the chaincode as unchanged, with the
 * transaction that first recorded them.
 */
import {
  MAX_BATCH,
  certificateAnchorOf,
  creditAnchorOf,
  milestoneAnchorOf,
  parseMilestoneBatchResult,
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type Milestone,
} from '@approval-ledger/protocol';
import {
  ChaincodeError,
  type CommittedTransaction,
  type LedgerIdentity,
  type LedgerPort,
  parseResult,
  regionScope,
} from '../ledger';
import { type HubMetrics } from '../metrics/hub-metrics';
import {
  type AffectedRecognition,
  type AnchorGroup,
  type AnchorItem,
  type AnchorResult,
  type Anchorer,
} from './anchorer';

interface WrittenEntry {
  readonly txId: string;
  readonly revocation?: { readonly txId: string; readonly reason: string };
  readonly affectedRecognitions?: readonly AffectedRecognition[];
}

/** Per kind: the transaction function and how one record becomes its argument. */
const SINGLE_CALLS = {
  milestone: {
    fn: 'milestones:Record',
    arg: (i: AnchorItem) => milestoneAnchorOf(i.record as Milestone, i.commitment),
  },
  certificate: {
    fn: 'certificates:Issue',
    arg: (i: AnchorItem) => certificateAnchorOf(i.record as Certificate, i.commitment),
  },
  'certificate-revocation': {
    fn: 'certificates:Revoke',
    arg: (i: AnchorItem) => i.record as CertificateRevocation,
  },
  credit: {
    fn: 'credit:Record',
    arg: (i: AnchorItem) => creditAnchorOf(i.record as CreditEvent, i.commitment),
  },
} as const;

const PARALLEL_SINGLES = 64;

export class LedgerAnchorer implements Anchorer {
  readonly #blockOfTx = new Map<string, number>();

  constructor(
    private readonly ledger: LedgerPort,
    private readonly metrics: HubMetrics,
  ) {}

  async anchor(group: AnchorGroup): Promise<AnchorResult[]> {
    if (group.kind !== 'milestone') return this.#singles(group, group.items);
    const results: AnchorResult[] = [];
    for (let i = 0; i < group.items.length; i += MAX_BATCH) {
      results.push(...(await this.#milestoneBatch(group, group.items.slice(i, i + MAX_BATCH))));
    }
    return results;
  }

  async #milestoneBatch(group: AnchorGroup, items: readonly AnchorItem[]): Promise<AnchorResult[]> {
    if (items.length === 1) return this.#singles(group, items);
    const anchors = items.map((i) => milestoneAnchorOf(i.record as Milestone, i.commitment));
    let committed: CommittedTransaction;
    try {
      committed = await this.#submit(group, 'milestones:RecordBatch', JSON.stringify(anchors), items.length);
    } catch (error) {
      // one record refused by the chaincode refuses the batch: find it by trying each on its own
      if (error instanceof ChaincodeError) return this.#singles(group, items);
      return items.map(() => transientResult(error));
    }
    const parsed = parseMilestoneBatchResult(parseResult(committed.result));
    // the chaincode counts exact repeats inside a batch once
    const unique = new Set(anchors.map((a) => `${a.id}|${a.commitment}`)).size;
    const result =
      typeof parsed === 'string' || parsed.count === unique
        ? parsed
        : `it counts ${parsed.count} records, the batch holds ${unique}`;
    if (typeof result === 'string') {
      const reason = `the batch result of ${committed.txId} is malformed: ${result}`;
      return items.map(() => ({ status: 'retry', code: 'ledger.receipt', reason }));
    }
    // a record not named unchanged was recorded by this transaction (the compact result, protocol)
    const earlier = new Map(result.unchanged.map((u) => [u.id, u.txId]));
    return Promise.all(
      items.map(async (item): Promise<AnchorResult> => {
        const txId = earlier.get(item.ledgerKey) ?? committed.txId;
        return {
          status: 'anchored',
          txId,
          blockNumber: await this.#blockNumber(txId, committed),
          recorded: txId === committed.txId,
        };
      }),
    );
  }

  async #singles(group: AnchorGroup, items: readonly AnchorItem[]): Promise<AnchorResult[]> {
    const results: AnchorResult[] = new Array<AnchorResult>(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < items.length; i = next++)
        results[i] = await this.#single(group, items[i] as AnchorItem);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_SINGLES, items.length) }, worker));
    return results;
  }

  async #single(group: AnchorGroup, item: AnchorItem): Promise<AnchorResult> {
    const call = SINGLE_CALLS[item.kind];
    try {
      const committed = await this.#submit(group, call.fn, JSON.stringify(call.arg(item)), 1);
      const entry = parseResult<WrittenEntry>(committed.result);
      return await this.#written(item, entry, committed);
    } catch (error) {
      return errorResult(error);
    }
  }

  async #written(
    item: AnchorItem,
    entry: WrittenEntry | undefined,
    committed: CommittedTransaction,
  ): Promise<AnchorResult> {
    const txId =
      (item.kind === 'certificate-revocation' ? entry?.revocation?.txId : entry?.txId) ?? committed.txId;
    return {
      status: 'anchored',
      txId,
      blockNumber: await this.#blockNumber(txId, committed),
      recorded: txId === committed.txId,
      ...(entry?.affectedRecognitions ? { affectedRecognitions: entry.affectedRecognitions } : {}),
      ...(entry?.revocation ? { revocationReason: entry.revocation.reason } : {}),
    };
  }

  async #submit(group: AnchorGroup, fn: string, arg: string, records: number): Promise<CommittedTransaction> {
    const identity: LedgerIdentity = { region: group.region, role: 'approver', dept: group.dept };
    const stop = this.metrics.commitLatency.startTimer({ fn });
    // a region's records go to its own namespace (`approval-beijing`, ...), written by its own identities
    const committed = await this.ledger.submit(identity, fn, [arg], { scope: regionScope(group.region) });
    stop();
    this.metrics.batchSize.observe(records);
    return committed;
  }

  /** The block of the transaction that recorded an entry: this one, or an earlier one looked up once. */
  async #blockNumber(txId: string, committed: CommittedTransaction): Promise<number> {
    if (txId === committed.txId) return committed.blockNumber;
    let block = this.#blockOfTx.get(txId);
    if (block === undefined) {
      block = (await this.ledger.getTransaction(txId)).blockNumber;
      if (this.#blockOfTx.size > 10_000) this.#blockOfTx.clear();
      this.#blockOfTx.set(txId, block);
    }
    return block;
  }
}

/** A refused or failed single record. */
function errorResult(error: unknown): AnchorResult {
  if (!(error instanceof ChaincodeError)) return transientResult(error);
  const reason = error.detail;
  if (error.code === 'RECORD_CONFLICT') return { status: 'conflict', code: error.code, reason };
  // a revocation may arrive before its certificate; a chaincode crash without a code may pass
  if (error.code === 'NOT_FOUND' || error.code === 'UNKNOWN')
    return { status: 'retry', code: error.code, reason };
  return { status: 'rejected', code: error.code, reason };
}

function transientResult(error: unknown): AnchorResult {
  const name = error instanceof Error ? error.name : 'Error';
  return {
    status: 'retry',
    code: `ledger.${name}`,
    reason: error instanceof Error ? error.message : String(error),
  };
}
