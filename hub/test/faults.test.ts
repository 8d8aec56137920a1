/**
 * The fault suite, short: about 1,500 records through the adapters (drc-csv, eia-soap, credit-webhook and
 * hc-mysql, each a process, their legacy systems played by the run) and the API, while nats-server, the hub and
 * each adapter are killed with SIGKILL twice at seeded random moments (FAULTS_SEED replays a run; the seed is
 * printed). Afterwards nothing is lost and nothing is duplicated: source = adapter read; sent = seen by the store =
 * anchored = receipted, per source; the ledger records each record once; `ledger reconcile` and
 * `ledger verify-chain` agree. `npm run bench -- faults` runs the long version (10,000 records, MariaDB store
 * killed too).
 */
import { expect } from 'chai';
import { runFaults, type FaultRunResult } from './support/fault-run';
import { expectAgreement } from './support/fault-agreement';

describe('faults: kill -9 of nats-server, the hub and each adapter during ingest', function () {
  this.timeout(900_000);

  it('loses nothing and duplicates nothing (SQLite store)', async () => {
    const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 1_000_000));
    console.log(`      fault seed ${seed} (FAULTS_SEED=${seed} replays this run)`);
    const result: FaultRunResult = await runFaults({
      records: Number(process.env.FAULTS_RECORDS ?? 1_500),
      killsPerPart: 2,
      seed,
      log: process.env.FAULTS_LOG ? (line) => console.log(`      ${line}`) : undefined,
    });
    console.log(
      `      ${JSON.stringify({ kills: result.kills, sources: result.sources, ledger: result.ledger, ms: result.durationMs })}`,
    );
    expect(Object.keys(result.kills).sort()).to.deep.equal([
      'credit-webhook',
      'drc-csv',
      'eia-soap',
      'hc-mysql',
      'hub',
      'nats-server',
    ]);
    expectAgreement(result);
  });
});
