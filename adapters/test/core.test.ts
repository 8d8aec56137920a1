import { expect } from 'chai';
import { ENVELOPE_SCHEMA, STREAMS, type Envelope } from '@approval-ledger/protocol';
import { jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/transport-node';
import { useNatsServer } from '@approval-ledger/testkit';
import { AdapterRuntime } from '../src/core/adapter-runtime';
import { mapped } from '../src/core/dead-letter';
import { consumerName, runReceiptConsumer } from '../src/core/receipts-consumer';
import { connectTest, deadLettersFrom, envelopesFrom } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

function milestone(system: string, recordId: string): Envelope {
  const source = { system, recordId, version: 1 };
  return {
    schema: ENVELOPE_SCHEMA,
    kind: 'milestone',
    region: 'BJ',
    dept: 'HC',
    source,
    emittedAt: '2025-03-10T09:32:00+08:00',
    record: {
      id: `${system}:${recordId}:1`,
      projectCode: '2025-110105-47-03-000318',
      region: 'BJ',
      dept: 'HC',
      stage: 'CONSTRUCTION_PERMIT',
      decision: 'APPROVED',
      decidedAt: '2025-03-10T09:30:00+08:00',
      applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
      documents: [],
      source,
      dataClass: 'public',
    },
  };
}

describe('adapter core against nats-server', function () {
  this.timeout(60_000);
  const nats = useNatsServer();
  let nc: NatsConnection;
  const runtimes: AdapterRuntime[] = [];

  before(async () => {
    nc = await connectTest(nats().url);
  });
  after(async () => {
    await Promise.all(runtimes.map((r) => r.stop()));
    await nc.close();
  });

  async function runtime(
    adapter: string,
    streams: AdapterRuntime['options']['streams'] = ['LEGACY', 'DLQ'],
  ): Promise<AdapterRuntime> {
    const started = await AdapterRuntime.start({
      adapter,
      region: 'BJ',
      dept: 'HC',
      natsUrl: nats().url,
      publishTimeoutMs: 1_000,
      retry: { initialMs: 20, maxMs: 200 },
      health: { host: '127.0.0.1', port: 0 },
      checkpointKey: `${adapter}.BJ`,
      log: testLogger(adapter),
      streams,
    });
    runtimes.push(started);
    return started;
  }

  it('creates missing streams from protocol definitions but never alters existing ones', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAMS.DLQ.name, subjects: [...STREAMS.DLQ.subjects], max_msgs: 12_345 });
    await runtime('core-streams');
    expect((await jsm.streams.info(STREAMS.DLQ.name)).config.max_msgs).to.equal(12_345);
    const legacy = (await jsm.streams.info(STREAMS.LEGACY.name)).config;
    expect(legacy.subjects).to.deep.equal(['legacy.>']);
    expect(legacy.duplicate_window).to.equal(15 * 60 * 1e9, 'the same 15-minute window the hub gives it');
  });

  it('re-creates a stream deleted under it and publishes once it is back', async () => {
    const rt = await runtime('core-missing');
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(STREAMS.LEGACY.name);
    const ack = await rt.publisher.publishEnvelope(milestone('core-missing', 'r1'));
    expect(ack.stream).to.equal('LEGACY');
    expect(await rt.metrics.total(rt.metrics.retries)).to.be.at.least(1);
    expect(await envelopesFrom(nc, 'core-missing')).to.have.length(1);
  });

  it('publishes with Nats-Msg-Id = system:recordId:version, so a re-send is a duplicate', async () => {
    const rt = await runtime('core-dedup');
    const record = {
      source: 'core-dedup:r2:1',
      raw: Buffer.from('raw'),
      mapped: mapped([milestone('core-dedup', 'r2')]),
    };
    expect(await rt.publisher.deliver(record)).to.equal('published');
    expect(await rt.publisher.deliver(record)).to.equal('duplicate');
    const stored = await envelopesFrom(nc, 'core-dedup');
    expect(stored.map((s) => [s.subject, s.msgId])).to.deep.equal([
      ['legacy.BJ.HC.milestone', 'core-dedup:r2:1'],
    ]);
  });

  it('dead-letters an envelope protocol refuses, with the raw payload unchanged and every DLQ header', async () => {
    const rt = await runtime('core-dlq');
    const bad = milestone('core-dlq', 'r3');
    const raw = Buffer.from([0xb3, 0xaf, 0xd1, 0xf4, 0x0d, 0x0a]);
    const outcome = await rt.publisher.deliver({
      source: 'core-dlq:r3:1',
      raw,
      mapped: mapped([{ ...bad, record: { ...bad.record, decidedAt: '2025-03-10 09:30' } } as Envelope]),
    });
    expect(outcome).to.equal('dead-lettered');
    const [letter] = await deadLettersFrom(nc, 'core-dlq:');
    expect(letter?.subject).to.equal('ledger.dlq.BJ.HC');
    expect(letter?.body.equals(raw)).to.be.true;
    expect(letter?.headers).to.deep.include({
      'Ledger-Dlq-Code': 'VALIDATION_FAILED',
      'Ledger-Dlq-Origin': 'core-dlq',
      'Ledger-Dlq-Source': 'core-dlq:r3:1',
      'Ledger-Dlq-Subject': 'legacy.BJ.HC.milestone',
    });
    expect(letter?.headers['Ledger-Dlq-Reason']).to.match(/^record\.decidedAt: .* \[timestamp\.format\]$/);
  });

  it('serves /healthz and /metrics on its own port', async () => {
    const rt = await runtime('core-health');
    const health = (await (await fetch(`${rt.healthUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health).to.deep.include({
      adapter: 'core-health',
      nats: 'connected',
      lastError: null,
      backlog: null,
    });
    const metrics = await (await fetch(`${rt.healthUrl}/metrics`)).text();
    expect(metrics).to.contain('ledger_adapter_lag_seconds{adapter="core-health"} 0');
  });

  it('terminates a message on its receipt subject that is not a receipt once: no redelivery, nothing ack-pending', async () => {
    const rt = await runtime('core-term', ['LEGACY', 'DLQ', 'RECEIPTS']);
    nc.publish('ledger.receipt.BJ.HC', 'not json');
    await nc.flush();
    const running = runReceiptConsumer(rt, {
      sourceSystem: 'core-term',
      writeBack: () => Promise.resolve('written'),
      ackWaitMs: 300,
    });
    // several ack waits: nats-server 2.9 redelivered a `+TERM <reason>` after each of them
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const info = await (await jetstreamManager(nc)).consumers.info(STREAMS.RECEIPTS.name, consumerName(rt));
    expect(await rt.metrics.total(rt.metrics.writeBacks)).to.equal(1);
    expect(info.num_ack_pending).to.equal(0);
    expect(info.num_redelivered).to.equal(0);
    await rt.stop();
    await running;
  });
});
