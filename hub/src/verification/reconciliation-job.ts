/**
 * Continuous reconciliation of the off-chain store with the chain. Pass after pass, it walks every stored
 * record (in pages, pausing between them so it never competes with ingest) and checks that
 * - the record and its salt still produce the stored commitment (else `record-tampered`),
 * - a record the store calls anchored is on the chain with that commitment (else `commitment-mismatch`, or
 *   `missing-on-chain`), and a stored revocation is on the chain,
 * and compares counts for the other direction (`missing-off-chain`: anchors the store does not hold). The
 * last complete pass is exported as `ledger_reconciliation_drift_records{drift=…}`.
 */
import { versionOf } from '@approval-ledger/protocol';
import { type DriftKind, type ReconciliationPass } from '@approval-ledger/protocol/api';
import { type Logger } from 'pino';
import { type HubMetrics } from '../metrics/hub-metrics';
import { type StoredRecord, type Store } from '../store';
import { type ChainIndex } from './chain-index';
import { opens } from './verification.service';

type Versioned = { readonly version?: number };

/** One per ledger key: an anchored record's first version (a correction is a later version of the same key). */
function countsAsAnchoredKey(record: StoredRecord): boolean {
  return (
    record.status === 'anchored' &&
    record.kind !== 'certificate-revocation' &&
    versionOf(record.record as Versioned) === 1
  );
}

/**
 * The chain holds another commitment under the key: drift, unless a later correction (更正) superseded this
 * version (the chain then holds the later one).
 */
function commitmentDrift(
  record: StoredRecord,
  commitment: string,
  anchorJson: string,
): DriftKind | undefined {
  if (commitment === record.commitment) return undefined;
  const superseded = versionOf(record.record as Versioned) < versionOf(JSON.parse(anchorJson) as Versioned);
  return superseded ? undefined : 'commitment-mismatch';
}

/** A drift, a drifting record and a complete pass: the API contract's shapes (`GET /reconciliation`). */
export type { DriftKind, ReconciliationPass } from '@approval-ledger/protocol/api';
export type DriftItem = ReconciliationPass['examples'][number];

export interface ReconciliationOptions {
  readonly pageSize?: number;
  /** Pause between pages (default 200 ms) and between passes (default 30 s). */
  readonly pageDelayMs?: number;
  readonly passDelayMs?: number;
  /** Records anchored in blocks the index has not reached yet are skipped (not drift). */
  readonly indexedBlock: () => number;
  /** The suite of the hub's commitments (the data dir's artefact suite); default `intl`. */
  readonly suite?: 'intl' | 'gm';
}

const EMPTY: Record<DriftKind, number> = {
  'record-tampered': 0,
  'commitment-mismatch': 0,
  'missing-on-chain': 0,
  'missing-off-chain': 0,
};

export class ReconciliationJob {
  #last: ReconciliationPass | undefined;
  #stopped = false;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly index: ChainIndex,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
    private readonly options: ReconciliationOptions,
  ) {}

  get lastPass(): ReconciliationPass | undefined {
    return this.#last;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  /** One complete pass now. */
  async runPass(): Promise<ReconciliationPass> {
    const startedAt = new Date().toISOString();
    const drift = { ...EMPTY };
    const examples: DriftItem[] = [];
    let checked = 0;
    let anchoredInStore = 0;
    for await (const page of this.store.records.pages({ limit: this.options.pageSize ?? 1000 })) {
      for (const record of page) {
        checked++;
        if (countsAsAnchoredKey(record)) anchoredInStore++;
        const found = this.#check(record);
        if (found) {
          drift[found]++;
          if (examples.length < 100)
            examples.push({
              recordId: record.id,
              kind: record.kind,
              ledgerKey: record.ledgerKey,
              drift: found,
            });
        }
      }
      if (this.#stopped) break;
      await this.#pause(this.options.pageDelayMs ?? 200);
    }
    const stats = this.index.stats();
    drift['missing-off-chain'] = Math.max(
      0,
      stats.milestones + stats.certificates + stats.credits - anchoredInStore,
    );
    const pass = { startedAt, finishedAt: new Date().toISOString(), checked, drift, examples };
    this.#publish(pass);
    return pass;
  }

  #check(record: StoredRecord): DriftKind | undefined {
    if (!opens(record, this.options.suite)) return 'record-tampered';
    if (record.status !== 'anchored' || (record.blockNumber ?? 0) > this.options.indexedBlock())
      return undefined;
    if (record.kind === 'certificate-revocation') {
      return this.index.get('certificate', record.ledgerKey)?.revokedAt ? undefined : 'missing-on-chain';
    }
    const anchor = this.index.get(record.kind, record.ledgerKey);
    return anchor ? commitmentDrift(record, anchor.commitment, anchor.anchorJson) : 'missing-on-chain';
  }

  #publish(pass: ReconciliationPass): void {
    this.#last = pass;
    for (const [drift, count] of Object.entries(pass.drift))
      this.metrics.reconciliationDrift.set({ drift }, count);
    this.metrics.reconciliationChecked.set(pass.checked);
    this.metrics.reconciliationLastRun.set(Date.parse(pass.finishedAt) / 1000);
    const total = Object.values(pass.drift).reduce((a, b) => a + b, 0);
    if (total > 0)
      this.logger.warn(
        { drift: pass.drift, examples: pass.examples.slice(0, 5) },
        'reconciliation found drift',
      );
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.runPass();
      } catch (error) {
        this.logger.warn({ err: error }, 'reconciliation pass failed');
      }
      await this.#pause(this.options.passDelayMs ?? 30_000);
    }
  }

  #pause(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
