/**
 * Seeds a hub data dir with anchored milestones for the verify benchmark, without NATS: the same steps as
 * ingest's batch path, called directly. Per batch of 500 records of one region and department: the rows built
 * as ingest builds them (canonical JSON, fresh salt, commitment), stored pending in the off-chain store
 * (one transaction), anchored with one `milestones:RecordBatch` transaction on the embedded ledger (endorsed,
 * ordered into blocks, validated and committed by the real engine, as the hub's LedgerAnchorer submits it),
 * then marked anchored in the store. Nine region/department streams run side by side so the orderer fills
 * its blocks. The hub started on the data dir afterwards indexes every block from the chain itself.
 */
import { type DepartmentCode, type RegionCode } from '@approval-ledger/protocol';
import { LedgerAnchorer } from '../ingest/ledger-anchorer';
import { type AnchorItem } from '../ingest/anchorer';
import { openLedger } from '../ledger';
import { HubMetrics } from '../metrics/hub-metrics';
import { seedRegistries } from '../services/registry-seeder';
import { newRecordFromEnvelope, openStore, type NewRecord } from '../store';
import { benchEnvelope } from './bench-records';

const REGIONS: readonly RegionCode[] = ['BJ', 'TJ', 'HE'];
const DEPTS: readonly DepartmentCode[] = ['DRC', 'EE', 'HC'];
const BATCH = 500;

/** Record `i` belongs to stream `i % 9` (region i % 3, department floor(i / 3) % 3), as the ingest bench. */
export function streamOf(i: number): { region: RegionCode; dept: DepartmentCode } {
  return { region: REGIONS[i % 3] as RegionCode, dept: DEPTS[Math.floor(i / 3) % 3] as DepartmentCode };
}

/**
 * Where seeding's time went so far: milliseconds awaited in each step, summed over the nine streams (they
 * overlap, so read the shares, not the sums), and the records done.
 */
export interface SeedProgress {
  readonly done: number;
  /** `insertPendingBatch` in the off-chain store. */
  readonly storeInsertMs: number;
  /** The ledger transaction: endorsement, ordering, validation and commit. */
  readonly ledgerMs: number;
  /** `markAnchored` in the off-chain store. */
  readonly storeMarkMs: number;
}

/** Anchors bench records [from, to) tagged `tag` into `dataDir` (no hub may hold the data dir meanwhile). */
export async function seedAnchored(
  dataDir: string,
  tag: string,
  from: number,
  to: number,
  progress?: (done: number, budget: SeedProgress) => void,
): Promise<void> {
  const store = await openStore({ dataDir });
  const ledger = await openLedger({ backend: 'embedded', dataDir, batch: { timeoutMs: 20 } });
  try {
    await seedRegistries(ledger, dataDir);
    const anchorer = new LedgerAnchorer(ledger, new HubMetrics());
    let done = 0;
    const budget = { storeInsertMs: 0, ledgerMs: 0, storeMarkMs: 0 };
    const timed = async <T>(step: keyof typeof budget, work: () => Promise<T>): Promise<T> => {
      const began = performance.now();
      try {
        return await work();
      } finally {
        budget[step] += performance.now() - began;
      }
    };
    const stream = async (s: number): Promise<void> => {
      const { region, dept } = streamOf(s);
      const first = from + ((s - (from % 9) + 9) % 9); // the first record of stream s at or after `from`
      for (let start = first; start < to; start += 9 * BATCH) {
        const rows: NewRecord[] = [];
        for (let i = start; i < to && i < start + 9 * BATCH; i += 9) {
          rows.push(newRecordFromEnvelope(benchEnvelope(i, region, dept, tag)));
        }
        await timed('storeInsertMs', () => store.transaction((tx) => tx.records.insertPendingBatch(rows)));
        const items: AnchorItem[] = rows.map((r) => ({
          sourceKey: r.id,
          kind: r.kind,
          ledgerKey: r.ledgerKey,
          record: r.record,
          salt: r.salt,
          commitment: r.commitment,
        }));
        const results = await timed('ledgerMs', () =>
          anchorer.anchor({ kind: 'milestone', region, dept, items }),
        );
        const byTx = new Map<string, { blockNumber: number; ids: string[] }>();
        results.forEach((result, j) => {
          if (result.status !== 'anchored') {
            throw new Error(`seeding: ${items[j]?.sourceKey} was not anchored: ${JSON.stringify(result)}`);
          }
          const entry = byTx.get(result.txId) ?? { blockNumber: result.blockNumber, ids: [] };
          entry.ids.push(items[j]?.sourceKey as string);
          byTx.set(result.txId, entry);
        });
        await timed('storeMarkMs', async () => {
          for (const [txId, { blockNumber, ids }] of byTx) {
            await store.records.markAnchored(ids, { txId, blockNumber, at: new Date() });
          }
        });
        done += rows.length;
        progress?.(done, { done, ...budget });
      }
    };
    await Promise.all(Array.from({ length: 9 }, (_, s) => stream(s)));
  } finally {
    await ledger.close();
    await store.close();
  }
}
