import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type NatsConnection } from '@nats-io/transport-node';
import { useNatsServer } from '@approval-ledger/testkit';
import { parseConfig } from '../src/core/adapter-config';
import { CreditWebhookConfigSchema } from '../src/credit-webhook/config';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signCreditDelivery,
} from '../src/credit-webhook/credit-webhook-client';
import { startCreditWebhookAdapter, type RunningCreditWebhook } from '../src/credit-webhook/main';
import { postCreditDelivery } from '../src/credit-webhook/simulator';
import { connectTest, deadLettersFrom, envelopesFrom, waitFor } from './support/jetstream-reader';
import { testLogger } from './support/test-logger';

const SECRET = 'test-secret-0123456789abcdef';

describe('credit-webhook adapter (signed HTTP webhooks -> JetStream)', function () {
  this.timeout(60_000);
  const nats = useNatsServer();
  let nc: NatsConnection;
  let adapter: RunningCreditWebhook;
  const system = 'bj-credit-test';

  before(async () => {
    nc = await connectTest(nats().url);
    const config = parseConfig(CreditWebhookConfigSchema, {
      region: 'BJ',
      sourceSystem: system,
      dataClass: 'internal',
      health: { port: 0 },
      nats: { url: nats().url, publishTimeoutMs: 1_000 },
      retry: { initialMs: 50, maxMs: 300 },
      webhook: { port: 0, publishBudgetMs: 2_500 },
    });
    adapter = await startCreditWebhookAdapter(config, {
      env: { CREDIT_WEBHOOK_SECRET: SECRET },
      log: testLogger('credit'),
    });
  });
  after(async () => {
    await adapter.stop();
    await nc.close();
  });

  let serial = 0;
  function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    serial++;
    return {
      deliveryId: randomUUID(),
      eventType: 'CREDIT_EVALUATED',
      eventId: `CR-T-${serial}`,
      revision: 1,
      enterprise: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7N' },
      level: 'A',
      occurredAt: '2025-03-12 10:00:00',
      ...overrides,
    };
  }

  async function credit(eventId: string): Promise<Record<string, unknown> | undefined> {
    const stored = await waitFor(
      () => envelopesFrom(nc, system),
      (e) => e.some((s) => s.envelope.source.recordId === eventId),
      `credit event ${eventId}`,
    );
    const found = stored.find((s) => s.envelope.source.recordId === eventId);
    expect(found?.subject).to.equal('legacy.BJ.CREDIT.credit');
    return found?.envelope.record;
  }

  it('accepts signed evaluations of every level and dishonest-list entries as credit events', async () => {
    const cases: [Record<string, unknown>, { level: string; dishonest: boolean }][] = [
      [payload({ level: 'A' }), { level: 'A', dishonest: false }],
      [payload({ level: 'B' }), { level: 'B', dishonest: false }],
      [payload({ level: 'C级' }), { level: 'C', dishonest: false }],
      [payload({ level: 'D' }), { level: 'D', dishonest: false }],
      [payload({ eventType: 'DISHONEST_LISTED', level: undefined }), { level: 'D', dishonest: true }],
      [payload({ eventType: 'DISHONEST_REMOVED', level: 'B' }), { level: 'B', dishonest: false }],
    ];
    for (const [body, expected] of cases) {
      const { status, json } = await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(body));
      expect(status).to.equal(202, JSON.stringify(json));
      const record = await credit(body.eventId as string);
      expect(record).to.deep.include({
        ...expected,
        uscc: '91110105MA01WJ3K7N',
        enterpriseName: '北京望京科创置业有限公司',
        evaluatedAt: '2025-03-12T10:00:00+08:00',
        region: 'BJ',
        dataClass: 'internal',
      });
    }
  });

  it('keeps characters outside GBK in the UTF-8 JSON', async () => {
    const body = payload({ enterprise: { name: '北京𠀀䶮科技有限公司', uscc: '91110105MA01WJ3K7N' } });
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(body))).status).to.equal(202);
    expect(await credit(body.eventId as string)).to.have.property('enterpriseName', '北京𠀀䶮科技有限公司');
  });

  it('refuses a forged signature or a tampered body with 401 and dead-letters it unchanged', async () => {
    const forged = JSON.stringify(payload());
    const response = await postCreditDelivery(adapter.webhookUrl, SECRET, forged, {
      signWith: 'not-the-secret-xxxxxxxxxx',
    });
    expect(response.status).to.equal(401);
    expect(response.json).to.deep.include({ title: 'bad signature' });

    const timestamp = Math.floor(Date.now() / 1000);
    const original = Buffer.from(JSON.stringify(payload({ level: 'D' })));
    const tampered = Buffer.from(original.toString().replace('"level":"D"', '"level":"A"'));
    const res = await fetch(adapter.webhookUrl, {
      method: 'POST',
      headers: {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signCreditDelivery(SECRET, timestamp, original),
        [DELIVERY_HEADER]: 'tampered-1',
      },
      body: tampered,
    });
    expect(res.status).to.equal(401);
    const letters = await waitFor(
      () => deadLettersFrom(nc, 'delivery:'),
      (d) => d.length >= 2,
      'two dead letters',
    );
    const tamperedLetter = letters.find((l) => l.headers['Ledger-Dlq-Source'] === 'delivery:tampered-1');
    expect(tamperedLetter?.headers).to.include({
      'Ledger-Dlq-Code': 'SIGNATURE_INVALID',
      'Ledger-Dlq-Origin': 'credit-webhook',
    });
    expect(tamperedLetter?.headers['Ledger-Dlq-Reason']).to.contain(
      'X-Credit-Signature: HMAC-SHA256 signature does not match',
    );
    expect(tamperedLetter?.body.equals(tampered)).to.be.true;
  });

  it('refuses deliveries signed more than 5 minutes away from now as stale', async () => {
    // margins of 30 s either side of the 300 s tolerance: the adapter reads its own clock a moment later, and a
    // second may tick over meanwhile (with now + 301 that made the test fail now and then)
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 330, now + 330]) {
      const body = payload();
      const { status, json } = await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(body), {
        timestamp,
      });
      expect(status).to.equal(401);
      expect(json).to.deep.include({ title: 'stale delivery' });
    }
    const fresh = payload();
    expect(
      (await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(fresh), { timestamp: now - 270 }))
        .status,
    ).to.equal(202);
    const letters = await waitFor(
      () => deadLettersFrom(nc, 'delivery:'),
      (d) => d.filter((l) => l.headers['Ledger-Dlq-Code'] === 'STALE_DELIVERY').length >= 2,
      'stale dead letters',
    );
    expect(
      letters.find((l) => l.headers['Ledger-Dlq-Code'] === 'STALE_DELIVERY')?.headers['Ledger-Dlq-Reason'],
    ).to.match(/X-Credit-Timestamp: signed 3[23]\d s away from now/);
  });

  it('refuses a replayed delivery with 409, even re-signed', async () => {
    const body = JSON.stringify(payload());
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, body, { timestamp })).status).to.equal(202);
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, body, { timestamp })).status).to.equal(409);
    expect(
      (await postCreditDelivery(adapter.webhookUrl, SECRET, body, { timestamp: timestamp + 1 })).status,
    ).to.equal(409);
  });

  it('answers 422 or 400 and dead-letters deliveries it cannot map, then goes on', async () => {
    const badLevel = payload({ level: 'E' });
    const r1 = await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(badLevel));
    expect(r1.status).to.equal(422);
    const badUscc = payload({ enterprise: { name: '某公司', uscc: '911101050000000000' } });
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(badUscc))).status).to.equal(
      422,
    );
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, '{"no": "delivery id"}')).status).to.equal(
      400,
    );
    expect(
      (await postCreditDelivery(adapter.webhookUrl, SECRET, Buffer.from([0x7b, 0xff, 0x7d]))).status,
    ).to.equal(400);
    const letters = await waitFor(
      () => deadLettersFrom(nc, `${system}:`),
      (d) => d.length >= 2,
      'mapping dead letters',
    );
    const byEvent = new Map(letters.map((l) => [l.headers['Ledger-Dlq-Source']?.split(':')[1], l.headers]));
    expect(byEvent.get(badLevel.eventId as string)?.['Ledger-Dlq-Reason']).to.contain(
      'level: "E" is not a credit level',
    );
    expect(byEvent.get(badUscc.eventId as string)).to.include({ 'Ledger-Dlq-Code': 'VALIDATION_FAILED' });
    expect(byEvent.get(badUscc.eventId as string)?.['Ledger-Dlq-Reason']).to.contain(
      'enterprise.uscc (record.uscc)',
    );
    const decoding = await waitFor(
      () => deadLettersFrom(nc, 'delivery:'),
      (d) => d.some((l) => l.headers['Ledger-Dlq-Code'] === 'DECODING_FAILED'),
      'decoding dead letter',
    );
    expect(
      decoding.find((l) => l.headers['Ledger-Dlq-Code'] === 'DECODING_FAILED')?.headers['Ledger-Dlq-Reason'],
    ).to.contain('not UTF-8 JSON');
    const good = payload();
    expect((await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(good))).status).to.equal(202);
  });

  it('answers 503 while NATS is down, and the sender retry lands exactly once', async () => {
    const body = payload();
    await nats().kill();
    const started = Date.now();
    const down = await postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(body));
    expect(down.status).to.equal(503);
    expect(Date.now() - started).to.be.below(6_000);
    await nats().restart();
    const retried = await waitFor(
      () => postCreditDelivery(adapter.webhookUrl, SECRET, JSON.stringify(body)),
      (r) => r.status !== 503,
      'the retry to be accepted',
    );
    expect(retried.status).to.be.oneOf([202, 409]);
    await credit(body.eventId as string);
    const all = await envelopesFrom(nc, system);
    expect(all.filter((s) => s.envelope.source.recordId === body.eventId)).to.have.length(1);
  });
});
