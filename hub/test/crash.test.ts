/**
 * Exactly-once effect under crashes: 10,000 milestones on LEGACY while the hub process is killed with
 * SIGKILL several times mid-ingest and restarted (the last stop is a SIGTERM, which must drain). Afterwards
 * every record is anchored exactly once: the ledger records each id once (none twice), the store holds each
 * record once, anchored, with the commitment the ledger holds (so a re-delivered record reused its salt), and
 * both counts equal the number published.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  envelopeSubject,
  natsMsgId,
  STREAMS,
  type DepartmentCode,
  type RegionCode,
} from '@approval-ledger/protocol';
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'chai';
import { EmbeddedLedger } from '../src/ledger';
import { openStore } from '../src/store';
import { readRuntimeFile } from '../src/runtime-file';
import { benchEnvelope } from '../src/bench/bench-records';
import { mainCommand } from './support/cli';
import { waitFor } from './support/test-hub';

const RECORDS = 10_000;
const KILL_AT = [1_500, 4_000, 6_500];

describe('crash: kill -9 the hub during the ingest of 10,000 messages', function () {
  this.timeout(600_000);
  let nats: NatsServer;
  let nc: NatsConnection;
  let dataDir: string;
  let hub: ChildProcess | undefined;
  const receipts = new Set<string>();

  before(async () => {
    nats = await startNatsServer();
    dataDir = mkdtempSync(join(tmpdir(), 'hub-crash-'));
    nc = await connect({ servers: nats.url });
    nc.subscribe('ledger.receipt.>', {
      callback: (_e, m) => {
        receipts.add(m.json<{ recordId: string }>().recordId);
      },
    });
  });

  after(async () => {
    hub?.kill('SIGKILL');
    await nc?.close();
    await nats?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startHubProcess(): Promise<ChildProcess> {
    const child = spawn(mainCommand.node, mainCommand.args, {
      env: {
        ...process.env,
        LEDGER_DATA_DIR: dataDir,
        NATS_URL: nats.url,
        PORT: '0',
        LOG_LEVEL: 'warn',
        HUB_INGEST_ACK_WAIT_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(
      'the hub to start',
      () =>
        output.includes('approval-ledger hub:')
          ? true
          : child.exitCode !== null
            ? Promise.reject(new Error(`hub exited ${child.exitCode}: ${output.slice(-2000)}`))
            : undefined,
      120_000,
    );
    return child;
  }

  it('anchors every record exactly once', async () => {
    hub = await startHubProcess();
    expect(readRuntimeFile(dataDir)?.natsUrl).to.equal(nats.url);
    const js = jetstream(nc);
    const regions: RegionCode[] = ['BJ', 'TJ', 'HE'];
    const depts: DepartmentCode[] = ['DRC', 'EE', 'HC'];
    const publishing = (async () => {
      for (let i = 0; i < RECORDS; i += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, RECORDS - i) }, (_, j) => {
            const envelope = benchEnvelope(
              i + j,
              regions[(i + j) % 3] as RegionCode,
              depts[Math.floor((i + j) / 3) % 3] as DepartmentCode,
              'crash',
            );
            return js.publish(envelopeSubject(envelope), JSON.stringify(envelope), {
              msgID: natsMsgId(envelope.source),
            });
          }),
        );
      }
    })();

    for (const threshold of KILL_AT) {
      await waitFor(`${threshold} receipts`, () => receipts.size >= threshold, 300_000);
      hub.kill('SIGKILL');
      await new Promise((resolve) => hub!.once('exit', resolve));
      hub = await startHubProcess();
    }
    await publishing;
    await waitFor('every receipt', () => receipts.size >= RECORDS, 300_000);
    hub.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => hub!.once('exit', (c) => resolve(c)));
    hub = undefined;
    expect(code, 'a clean stop on SIGTERM').to.equal(0);

    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(STREAMS.LEGACY.name)).state.messages, 'published').to.equal(RECORDS);

    const onLedger = new Map<string, string>();
    let recordedTotal = 0;
    const ledger = await EmbeddedLedger.open({ dataDir });
    try {
      for await (const block of ledger.blocks(1)) {
        for (const tx of block.transactions) {
          if (tx.validationCode !== 'VALID' || !tx.function?.startsWith('milestones:')) continue;
          const event = JSON.parse(Buffer.from(tx.event!.payload).toString('utf8')) as { recorded: string[] };
          const anchors = JSON.parse(tx.args[0]!) as
            { id: string; commitment: string }[] | { id: string; commitment: string };
          const byId = new Map(
            (Array.isArray(anchors) ? anchors : [anchors]).map((a) => [a.id, a.commitment]),
          );
          for (const id of event.recorded) {
            recordedTotal++;
            onLedger.set(id, byId.get(id)!);
          }
        }
      }
    } finally {
      await ledger.close();
    }
    expect(recordedTotal, 'records written to the ledger (none twice)').to.equal(RECORDS);
    expect(onLedger.size, 'distinct records on the ledger').to.equal(RECORDS);

    const store = await openStore({ dataDir });
    try {
      const counts = await store.records.countByStatus();
      expect(counts).to.deep.equal({ pending: 0, anchored: RECORDS, conflict: 0, rejected: 0 });
      let matching = 0;
      for await (const page of store.records.pages({ limit: 2000 })) {
        for (const r of page) if (onLedger.get(r.ledgerKey) === r.commitment) matching++;
      }
      expect(matching, 'store commitments equal to the ledger’s').to.equal(RECORDS);
    } finally {
      await store.close();
    }
  });
});
