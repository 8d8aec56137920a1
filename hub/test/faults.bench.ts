/**
 * `npm run bench -- faults`: the long fault run, 10,000 records (FAULTS_RECORDS), every part killed with SIGKILL
 * three times (FAULTS_KILLS), once with the store on SQLite and once on MariaDB (killed too). Prints one JSON line
 * per figure (records, kills per part, the counts per source and on the ledger, whether they agree, duration)
 * and exits 1 when the counts disagree.
 */
import { cpus } from 'node:os';
import { expectAgreement } from './support/fault-agreement';
import { runFaults, type FaultRunResult } from './support/fault-run';

function emit(metric: string, value: number, unit: string, context: Record<string, unknown>): void {
  console.log(JSON.stringify({ bench: 'faults', metric, value, unit, ...context }));
}

async function main(): Promise<void> {
  const records = Number(process.env.FAULTS_RECORDS ?? 10_000);
  const killsPerPart = Number(process.env.FAULTS_KILLS ?? 3);
  const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 1_000_000));
  const backends = (process.env.FAULTS_BACKENDS ?? 'sqlite,mariadb').split(',');
  let failed = false;
  for (const backend of backends) {
    console.error(`[faults] ${backend}: ${records} records, ${killsPerPart} kills per part, seed ${seed}`);
    const result: FaultRunResult = await runFaults({
      records,
      killsPerPart,
      seed,
      mariadb: backend === 'mariadb',
      log: (line) => console.error(`[faults] ${line}`),
    });
    const context = { backend, seed, records, cores: cpus().length };
    for (const [part, kills] of Object.entries(result.kills))
      emit(`faults.kills.${part}`, kills, 'kills', context);
    for (const s of result.sources) {
      const c = { ...context, sourceSystem: s.sourceSystem };
      emit('faults.source.records', s.source, 'records', c);
      if (s.adapter) {
        emit('faults.adapter.read', s.adapter.read, 'records', c);
        emit('faults.adapter.sent', s.adapter.sent, 'records', c);
        emit('faults.adapter.receipted', s.adapter.receipted, 'records', c);
        emit('faults.adapter.sends', s.adapter.sends, 'publishes', c);
      }
      emit('faults.store.seen', s.store.seen, 'records', c);
      emit('faults.store.anchored', s.store.anchored, 'records', c);
      emit('faults.receipts.anchored', s.receipts, 'records', c);
    }
    emit('faults.ledger.distinct', result.ledger.distinct, 'records', context);
    emit('faults.ledger.written', result.ledger.written, 'records', context);
    let agree = true;
    try {
      expectAgreement(result);
    } catch (error) {
      agree = false;
      console.error(`[faults] DISAGREE: ${error instanceof Error ? error.message : String(error)}`);
    }
    emit('faults.counts_agree', agree ? 1 : 0, 'bool', context);
    emit('faults.duration_s', Math.round(result.durationMs / 1000), 's', context);
    failed ||= !agree;
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
