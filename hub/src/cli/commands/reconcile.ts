/**
 * `ledger reconcile [--system <name>] [--json]`: the reconciliation report of the data dir. Per legacy source
 * system, every record version seen on LEGACY against the anchored records (counts by state, and the
 * mismatches); per adapter of the data dir, its own counters (`<data>/adapters/<name>.counters.json`: what it
 * read from the legacy system, sent, and got receipts for) against the store and the hub's receipts; and one
 * pass of the store against the chain index (tampered records, commitments that differ from the chain, anchors
 * missing on either side). Exit 0 when everything matches, 1 when not.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command } from 'commander';
import pino from 'pino';
import { artefactSuiteOf } from '../../artefact-suite';
import { HubMetrics } from '../../metrics/hub-metrics';
import { openStore, type ReconciliationCounts, type ReconciliationMismatch, type Store } from '../../store';
import { ChainIndex, chainIndexPath } from '../../verification/chain-index';
import { ReconciliationJob, type ReconciliationPass } from '../../verification/reconciliation-job';
import { type CliCommand } from '../cli-command';
import { dataDirectory, requireHubDataDir } from '../data-dir';
import { cliStoreOptions } from '../store-options';
import { ProgressBar } from '../progress-bar';

interface ReconcileOptions {
  system?: string;
  json?: boolean;
}

interface Report {
  readonly sources: readonly (ReconciliationCounts & {
    readonly mismatches: readonly ReconciliationMismatch[];
  })[];
  readonly adapters: readonly AdapterComparison[];
  readonly chain: ReconciliationPass | null;
  readonly ok: boolean;
}

/** What an adapter's counters file says (the adapters package writes it; only the fields read here). */
interface AdapterCounters {
  readonly adapter: string;
  readonly sourceSystem: string | null;
  readonly updatedAt: string;
  readonly read: number;
  readonly sent: number;
  readonly receipted: number;
  readonly unreceipted: number;
  readonly receiptStatuses: Readonly<Record<string, number>>;
}

/** One adapter's counts beside the store's and the hub receipts' for its source system; where they differ. */
interface AdapterComparison {
  readonly adapter: string;
  readonly sourceSystem: string;
  readonly countersUpdatedAt: string;
  /** Distinct legacy records read; distinct envelopes JetStream acknowledged; of those, receipted (anchored). */
  readonly source: {
    readonly read: number;
    readonly sent: number;
    readonly receipted: number;
    readonly anchored: number;
  };
  /** Distinct versions the hub saw on LEGACY, and those anchored. */
  readonly store: { readonly seen: number; readonly anchored: number };
  /** Distinct records the hub sent receipts for, and those with an ANCHORED or DUPLICATE receipt. */
  readonly receipts: { readonly records: number; readonly anchored: number };
  readonly disagreements: readonly string[];
}

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  register(program: Command): void {
    program
      .command('reconcile')
      .description(
        'per source system: records seen on LEGACY vs anchored; and the store against the chain (exit 0 all match, 1 not)',
      )
      .option('--system <name>', 'only this source system')
      .option('--json', 'print JSON')
      .action(async (options: ReconcileOptions) => {
        process.exitCode = await runReconcile(dataDirectory(), options);
      });
  },
};

export async function runReconcile(
  dataDir: string,
  options: ReconcileOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  requireHubDataDir(dataDir);
  const store = await openStore(cliStoreOptions(dataDir));
  const indexFile = chainIndexPath(dataDir);
  const index = existsSync(indexFile) ? ChainIndex.open(indexFile) : undefined;
  try {
    const sources = await sourceReports(store, options.system);
    const adapters = await adapterComparisons(dataDir, store, sources, options.system);
    const chain = index ? await chainPass(store, index) : null;
    const drift = chain ? Object.values(chain.drift).reduce((a, b) => a + b, 0) : 0;
    const report: Report = {
      sources,
      adapters,
      chain,
      ok:
        drift === 0 &&
        sources.every((s) => s.mismatches.length === 0) &&
        adapters.every((a) => a.disagreements.length === 0),
    };
    out.write(options.json ? `${JSON.stringify(report)}\n` : describe(report));
    return report.ok ? 0 : 1;
  } finally {
    index?.close();
    await store.close();
  }
}

async function sourceReports(store: Store, system: string | undefined): Promise<Report['sources']> {
  const counts = (await store.reconciliation.report()).filter((c) => !system || c.sourceSystem === system);
  const sources = [];
  for (const c of counts) {
    sources.push({
      ...c,
      mismatches: (await store.reconciliation.mismatches(c.sourceSystem, { limit: 1000 })).items,
    });
  }
  return sources;
}

/** Every `<data>/adapters/*.counters.json` that names a source system (of `system`, when given). */
function adapterCounters(
  dataDir: string,
  system: string | undefined,
): (AdapterCounters & { sourceSystem: string })[] {
  const dir = join(dataDir, 'adapters');
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.counters.json'))
    .sort()) {
    const counters = JSON.parse(readFileSync(join(dir, name), 'utf8')) as AdapterCounters;
    const { sourceSystem } = counters;
    if (sourceSystem !== null && (!system || sourceSystem === system))
      found.push({ ...counters, sourceSystem });
  }
  return found;
}

/** The hub's receipts per source system: distinct records receipted, and those anchored. */
async function receiptCounts(
  store: Store,
): Promise<Map<string, { records: Set<string>; anchored: Set<string> }>> {
  const bySystem = new Map<string, { records: Set<string>; anchored: Set<string> }>();
  for await (const page of store.receipts.pages(5_000)) {
    for (const { receipt } of page) {
      const system = receipt.recordId.slice(0, receipt.recordId.indexOf(':'));
      const entry = bySystem.get(system) ?? { records: new Set<string>(), anchored: new Set<string>() };
      entry.records.add(receipt.recordId);
      if (receipt.status === 'ANCHORED' || receipt.status === 'DUPLICATE')
        entry.anchored.add(receipt.recordId);
      bySystem.set(system, entry);
    }
  }
  return bySystem;
}

async function adapterComparisons(
  dataDir: string,
  store: Store,
  sources: Report['sources'],
  system: string | undefined,
): Promise<AdapterComparison[]> {
  const all = adapterCounters(dataDir, system);
  if (all.length === 0) return [];
  const receipts = await receiptCounts(store);
  return all.map((c) => {
    const comparison = compare(
      c,
      sources.find((s) => s.sourceSystem === c.sourceSystem),
      receipts.get(c.sourceSystem),
    );
    return { ...comparison, disagreements: disagreements(comparison) };
  });
}

function compare(
  c: AdapterCounters & { sourceSystem: string },
  seen: Report['sources'][number] | undefined,
  hub: { records: Set<string>; anchored: Set<string> } | undefined,
): Omit<AdapterComparison, 'disagreements'> {
  const { ANCHORED = 0, DUPLICATE = 0 } = c.receiptStatuses;
  const anchored = ANCHORED + DUPLICATE;
  const { records, anchored: hubAnchored } = hub ?? { records: new Set(), anchored: new Set() };
  return {
    adapter: c.adapter,
    sourceSystem: c.sourceSystem,
    countersUpdatedAt: c.updatedAt,
    source: { read: c.read, sent: c.sent, receipted: c.receipted, anchored },
    store: { seen: seen?.seen ?? 0, anchored: seen?.byState.anchored ?? 0 },
    receipts: { records: records.size, anchored: hubAnchored.size },
  };
}

function disagreements(c: Omit<AdapterComparison, 'disagreements'>): string[] {
  const found: string[] = [];
  if (c.source.sent !== c.store.seen)
    found.push(`the adapter sent ${c.source.sent} records, the hub saw ${c.store.seen} on LEGACY`);
  if (c.source.sent !== c.source.receipted)
    found.push(`${c.source.sent - c.source.receipted} records sent have no receipt at the adapter yet`);
  if (c.source.anchored !== c.store.anchored)
    found.push(
      `the adapter holds ${c.source.anchored} anchoring receipts, the store ${c.store.anchored} anchored records`,
    );
  if (c.receipts.anchored !== c.store.anchored)
    found.push(
      `the hub sent ${c.receipts.anchored} anchoring receipts, the store holds ${c.store.anchored} anchored records`,
    );
  if (c.source.receipted !== c.receipts.records)
    found.push(
      `the adapter got receipts for ${c.source.receipted} records, the hub sent them for ${c.receipts.records}`,
    );
  return found;
}

async function chainPass(store: Store, index: ChainIndex): Promise<ReconciliationPass> {
  const bar = new ProgressBar('checking the store against the chain');
  const job = new ReconciliationJob(
    store,
    index,
    new HubMetrics({ defaultMetrics: false }),
    pino({ level: 'silent' }),
    {
      pageDelayMs: 0,
      indexedBlock: () => index.nextBlock - 1,
      suite: artefactSuiteOf(dataDirectory()) ?? 'intl',
    },
  );
  const pass = await job.runPass();
  bar.finish();
  return pass;
}

function describe(report: Report): string {
  const lines = describeSources(report);
  for (const a of report.adapters) {
    lines.push(
      `adapter ${a.adapter} (${a.sourceSystem}, counters of ${a.countersUpdatedAt}): read ${a.source.read}, sent ${a.source.sent}, receipted ${a.source.receipted} (anchored ${a.source.anchored}); store saw ${a.store.seen}, anchored ${a.store.anchored}; hub receipts for ${a.receipts.records} (anchored ${a.receipts.anchored})`,
    );
    for (const d of a.disagreements) lines.push(`  DISAGREE: ${d}`);
  }
  if (report.chain) {
    const d = report.chain.drift;
    lines.push(
      `store vs chain: ${report.chain.checked} records checked; tampered ${d['record-tampered']}, commitment mismatch ${d['commitment-mismatch']}, missing on chain ${d['missing-on-chain']}, missing off chain ${d['missing-off-chain']}`,
    );
    for (const e of report.chain.examples.slice(0, 20))
      lines.push(`  ${e.drift}: ${e.kind} ${e.ledgerKey} (${e.recordId})`);
  } else lines.push('store vs chain: no chain index in this data dir (start the hub once)');
  lines.push(report.ok ? 'RECONCILED: everything matches' : 'MISMATCHES found');
  return `${lines.join('\n')}\n`;
}

function describeSources(report: Report): string[] {
  const lines: string[] = [];
  for (const s of report.sources) {
    const states = Object.entries(s.byState)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `${s.sourceSystem}: ${s.seen} versions seen on LEGACY (${states || 'none'}); ${s.notSeen} records not seen there`,
    );
    for (const m of s.mismatches.slice(0, 20))
      lines.push(
        `  ${m.sourceKey} (${m.kind}): ${m.state}, seen ${m.seenCount}x, last ${m.lastSeenAt.toISOString()}`,
      );
    if (s.mismatches.length > 20) lines.push(`  … and ${s.mismatches.length - 20} more`);
  }
  if (report.sources.length === 0) lines.push('no legacy source has been seen on LEGACY yet');
  return lines;
}
