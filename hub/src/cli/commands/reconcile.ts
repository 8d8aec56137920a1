/**
 * `ledger reconcile [--system <name>] [--json]`: the reconciliation report of the data dir. Per legacy source
 * system, every record version seen on LEGACY against the anchored records (counts by state, and the
 * mismatches); and one pass of the store against the chain index (tampered records, commitments that differ
 * from the chain, anchors missing on either side). Exit 0 when everything matches, 1 when not.
 */
import { existsSync } from 'node:fs';
import { type Command } from 'commander';
import pino from 'pino';
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
  readonly chain: ReconciliationPass | null;
  readonly ok: boolean;
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
    const chain = index ? await chainPass(store, index) : null;
    const drift = chain ? Object.values(chain.drift).reduce((a, b) => a + b, 0) : 0;
    const report: Report = {
      sources,
      chain,
      ok: drift === 0 && sources.every((s) => s.mismatches.length === 0),
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
    },
  );
  const pass = await job.runPass();
  bar.finish();
  return pass;
}

function describe(report: Report): string {
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
