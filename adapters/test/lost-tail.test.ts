/**
 * What a nats-server loses before its flush comes back: the adapter's journal holds every envelope JetStream
 * acknowledged, and re-sends what the hub never receipted. Here the "hub" is the test, publishing receipts.
 */
import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Receipt, receiptSubject } from '@approval-ledger/protocol';
import { jetstream } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import iconv from 'iconv-lite';
import { parseConfig } from '../src/core/adapter-config';
import { adapterCountersFilePath, type AdapterCountersFile } from '../src/core/adapter-runtime-file';
import { type JournalCounts } from '../src/core/delivery-journal';
import { type RunningAdapter } from '../src/core/running-adapter';
import { DrcCsvConfigSchema } from '../src/drc-csv/config';
import { dropCsvFile } from '../src/drc-csv/drc-csv-client';
import { startDrcCsvAdapter } from '../src/drc-csv/main';
import { DRC_HEADER, drcRows } from './support/drc-rows';
import { connectTest, envelopesFrom, waitFor } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

const ROWS = 20;

function csv(count: number): Buffer {
  return iconv.encode([DRC_HEADER, ...drcRows(count, 15)].join('\r\n') + '\r\n', 'gbk');
}

describe('adapter journal: a JetStream tail lost before its flush is sent again', function () {
  this.timeout(180_000);
  let nats: NatsServer;
  let nc: NatsConnection;
  let dataDir: string;
  const running: RunningAdapter[] = [];

  before(async () => {
    nats = await startNatsServer();
    nc = await connectTest(nats.url);
    dataDir = await mkdtemp(join(tmpdir(), 'lost-tail-'));
  });
  after(async () => {
    await Promise.all(running.splice(0).map((a) => a.stop()));
    await nc.close();
    await nats.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const system = 'bj-drc-tail';
  const config = (): ReturnType<typeof parseConfig<typeof DrcCsvConfigSchema>> =>
    parseConfig(DrcCsvConfigSchema, {
      region: 'BJ',
      sourceSystem: system,
      health: { port: 0 },
      nats: { url: nats.url, publishTimeoutMs: 1_500 },
      retry: { initialMs: 50, maxMs: 400 },
      inboxDir: join(dataDir, 'inbox', 'drc'),
      pollIntervalMs: 100,
      resendAfterMs: 500,
    });

  async function start(): Promise<RunningAdapter> {
    const adapter = await startDrcCsvAdapter(config(), {
      env: { LEDGER_DATA_DIR: dataDir },
      log: testLogger('drc-csv'),
    });
    running.push(adapter);
    return adapter;
  }

  async function receipt(msgIds: readonly string[]): Promise<void> {
    const js = jetstream(nc);
    for (const recordId of msgIds) {
      const r: Receipt = {
        recordId,
        kind: 'milestone',
        sha256: '0'.repeat(64),
        txId: `tx-${recordId}`,
        blockNumber: 1,
        status: 'ANCHORED',
        at: new Date().toISOString(),
      };
      await js.publish(receiptSubject('BJ', 'DRC'), JSON.stringify(r), { msgID: `receipt:${recordId}` });
    }
  }

  function counts(
    adapter: RunningAdapter,
    done: (c: JournalCounts) => boolean,
    what: string,
  ): Promise<JournalCounts> {
    return waitFor(() => Promise.resolve(adapter.runtime.journal.counts()), done, what, 60_000);
  }

  it('re-publishes exactly the unreceipted envelopes after nats-server is killed and its store wiped', async () => {
    let adapter = await start();
    await mkdir(join(dataDir, 'inbox', 'drc'), { recursive: true });
    await dropCsvFile(join(dataDir, 'inbox', 'drc'), 'drc-tail.csv', csv(ROWS));
    const first = await waitFor(
      () => envelopesFrom(nc, system),
      (e) => e.length >= ROWS,
      `${ROWS} envelopes`,
    );
    const ids = first.map((e) => e.msgId as string);
    expect(new Set(ids).size).to.equal(ROWS);
    const receipted = ids.slice(0, 5);
    await receipt(receipted);
    await counts(adapter, (c) => c.receipted === 5, '5 receipts in the journal');

    // the tail is lost: kill -9, then the JetStream store goes (what a power loss before the flush can leave)
    await nats.kill();
    await rm(join(nats.storeDir, 'jetstream'), { recursive: true, force: true });
    await nats.restart();

    const again = await waitFor(
      () => envelopesFrom(nc, system),
      (e) => e.length >= ROWS - 5,
      'the unreceipted envelopes again',
      60_000,
    );
    expect(again.map((e) => e.msgId).sort()).to.deep.equal(
      ids.slice(5).sort(),
      'exactly the unreceipted ones',
    );
    await receipt(ids.slice(5));
    const settled = await counts(adapter, (c) => c.unreceipted === 0, 'every envelope receipted');
    expect(settled).to.deep.include({ read: ROWS, sent: ROWS, receipted: ROWS, unreceipted: 0 });
    expect(settled.sends).to.be.at.least(ROWS + ROWS - 5);

    // the journal survives the process: a new adapter on the same data dir reports the same distinct counts
    await adapter.stop();
    running.splice(running.indexOf(adapter), 1);
    const file = JSON.parse(
      await readFile(adapterCountersFilePath(dataDir, 'drc-csv'), 'utf8'),
    ) as AdapterCountersFile;
    expect(file).to.deep.include({ adapter: 'drc-csv', sourceSystem: system, read: ROWS, receipted: ROWS });
    adapter = await start();
    expect(adapter.runtime.journal.counts()).to.deep.include({ read: ROWS, sent: ROWS, receipted: ROWS });
    const health = (await (await fetch(`${adapter.healthUrl}/healthz`)).json()) as { journal: JournalCounts };
    expect(health.journal).to.deep.include({ read: ROWS, receipted: ROWS, unreceipted: 0 });
  });
});
