#!/usr/bin/env node
/**
 * Records per second each adapter sustains into JetStream, with its legacy source on this machine (real
 * nats-server and MariaDB from the testkit, the file system, HTTP). One JSON line per adapter on stdout:
 * {"bench":"adapters","metric":"adapter.<name>.records_per_s","value":N,"unit":"records/s","records":N,...}
 * `node dist/bench.js [name...] [--records N]`
 */
import { availableParallelism } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startMariaDb, startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import { ADAPTER_NAMES, isAdapterName, type AdapterName } from './adapter-registry';
import { parseConfig } from './core/adapter-config';
import { type DeliveryOutcome } from './core/ledger-publisher';
import { silentLogger } from './core/logger';
import { type RunningAdapter } from './core/running-adapter';
import { CreditWebhookConfigSchema } from './credit-webhook/config';
import { startCreditWebhookAdapter } from './credit-webhook/main';
import { DrcCsvConfigSchema } from './drc-csv/config';
import { dropCsvFile } from './drc-csv/drc-csv-client';
import { startDrcCsvAdapter } from './drc-csv/main';
import { makeExport } from './drc-csv/simulator';
import { EiaSoapConfigSchema } from './eia-soap/config';
import { startEiaSoapAdapter } from './eia-soap/main';
import { startEiaSoapSimulator } from './eia-soap/simulator';
import { HcMysqlConfigSchema } from './hc-mysql/config';
import { startHcMysqlAdapter } from './hc-mysql/main';
import { connectLegacy, loadLegacySchema } from './hc-mysql/simulator';
import { Random, makeCompanyName, makeProjectCode, makeUscc } from './simulation/legacy-fixtures';

interface Result {
  readonly records: number;
  readonly envelopes: number;
  readonly seconds: number;
  readonly context: Record<string, unknown>;
}

const base = (nats: NatsServer, name: string) => ({
  region: 'BJ',
  sourceSystem: `bench-${name}-${Date.now()}`,
  health: { port: 0 },
  nats: { url: nats.url, publishTimeoutMs: 10_000 },
  retry: { initialMs: 50, maxMs: 2_000 },
  checkpointKey: `bench.${name}.${Date.now()}`,
});

/** Counts handled records through `onBatch` and resolves once `total` have been handled. */
class Progress {
  handled = 0;
  envelopes = 0;
  #done: (() => void) | undefined;
  readonly finished: Promise<void>;

  constructor(private readonly total: number) {
    this.finished = new Promise((resolve) => (this.#done = resolve));
  }

  onBatch = (outcomes: readonly DeliveryOutcome[]): void => {
    this.handled += outcomes.length;
    if (this.handled >= this.total) this.#done?.();
  };
}

async function timed(
  progress: Progress,
  start: () => Promise<RunningAdapter>,
): Promise<{ seconds: number; adapter: RunningAdapter }> {
  const started = process.hrtime.bigint();
  const adapter = await start();
  await progress.finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, adapter };
}

async function published(adapter: RunningAdapter): Promise<number> {
  return adapter.runtime.metrics.total(adapter.runtime.metrics.published);
}

async function benchHcMysql(nats: NatsServer, records: number): Promise<Result> {
  const db = await startMariaDb();
  try {
    await db.createDatabase('sgxk', { charset: 'gbk' });
    const conn = await connectLegacy(db, 'sgxk');
    await loadLegacySchema(conn);
    await conn.query('TRUNCATE TABLE T_SGXK');
    const random = new Random(1);
    const rowsPerSecond = 50;
    for (let from = 0; from < records; from += 2_000) {
      const values = Array.from({ length: Math.min(2_000, records - from) }, (_, k) => {
        const i = from + k;
        const gxsj = new Date(Date.UTC(2025, 2, 1) + Math.floor(i / rowsPerSecond) * 1000)
          .toISOString()
          .slice(0, 19)
          .replace('T', ' ');
        return [
          makeProjectCode(random, 'BJ', '03', i),
          `项目${i}`,
          `110105${String(i).padStart(12, '0')}`,
          makeCompanyName(random),
          makeUscc(random),
          '01',
          '2025-03-01 09:00:00',
          '1',
          gxsj,
        ];
      });
      await conn.query(
        'INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, BLJG, FZRQ, ZT, GXSJ) VALUES ?',
        [values],
      );
    }
    await conn.end();
    const progress = new Progress(records);
    const config = parseConfig(HcMysqlConfigSchema, {
      ...base(nats, 'hc-mysql'),
      mysql: { host: db.host, port: db.port, user: db.user, database: 'sgxk' },
      pollIntervalMs: 50,
      batchSize: 1_000,
      writeBack: false,
    });
    const { seconds, adapter } = await timed(progress, () =>
      startHcMysqlAdapter(config, {
        env: { HC_MYSQL_PASSWORD: db.password },
        log: silentLogger,
        onBatch: progress.onBatch,
      }),
    );
    const envelopes = await published(adapter);
    await adapter.stop();
    return {
      records,
      envelopes,
      seconds,
      context: {
        batch: 1_000,
        source: 'MariaDB T_SGXK (GBK), rows of permits: certificate + milestone each',
      },
    };
  } finally {
    await db.stop();
  }
}

async function benchDrcCsv(nats: NatsServer, records: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-drc-'));
  try {
    const inbox = join(dir, 'inbox');
    await dropCsvFile(inbox, 'bench.csv', makeExport(new Random(2), 'BJ', 'gb18030', records));
    const progress = new Progress(records);
    const config = parseConfig(DrcCsvConfigSchema, {
      ...base(nats, 'drc-csv'),
      inboxDir: inbox,
      pollIntervalMs: 50,
      batchSize: 1_000,
    });
    const { seconds, adapter } = await timed(progress, () =>
      startDrcCsvAdapter(config, { env: {}, log: silentLogger, onBatch: progress.onBatch }),
    );
    const envelopes = await published(adapter);
    await adapter.stop();
    return { records, envelopes, seconds, context: { batch: 1_000, source: 'one GB18030 CSV file + .md5' } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchEiaSoap(nats: NatsServer, records: number): Promise<Result> {
  const sim = await startEiaSoapSimulator({ withSample: false, seed: 3 });
  try {
    for (let i = 0; i < records; i++) await sim.add(sim.invent());
    const progress = new Progress(records);
    const config = parseConfig(EiaSoapConfigSchema, {
      ...base(nats, 'eia-soap'),
      soap: { endpoint: sim.endpoint, pageSize: 500 },
      pollIntervalMs: 50,
    });
    const { seconds, adapter } = await timed(progress, () =>
      startEiaSoapAdapter(config, { env: {}, log: silentLogger, onBatch: progress.onBatch }),
    );
    const envelopes = await published(adapter);
    await adapter.stop();
    return {
      records,
      envelopes,
      seconds,
      context: { batch: 500, source: 'SOAP 1.1 over HTTP, cursor pages of 500' },
    };
  } finally {
    await sim.stop();
  }
}

async function benchCreditWebhook(nats: NatsServer, records: number): Promise<Result> {
  const secret = 'bench-secret-0123456789abcdef';
  const config = parseConfig(CreditWebhookConfigSchema, {
    ...base(nats, 'credit-webhook'),
    webhook: { port: 0 },
  });
  const adapter = await startCreditWebhookAdapter(config, {
    env: { CREDIT_WEBHOOK_SECRET: secret },
    log: silentLogger,
  });
  const random = new Random(4);
  const enterprises = Array.from({ length: 100 }, () => ({
    name: makeCompanyName(random),
    uscc: makeUscc(random),
  }));
  const bodies = Array.from({ length: records }, (_, i) =>
    JSON.stringify({
      deliveryId: `bench-${i}-${Date.now()}`,
      eventType: 'CREDIT_EVALUATED',
      eventId: `BENCH-${Date.now()}-${i}`,
      revision: 1,
      enterprise: enterprises[i % enterprises.length],
      level: 'ABCD'.charAt(i % 4),
      occurredAt: '2025-03-12T10:00:00+08:00',
    }),
  );
  const concurrency = 32;
  const started = process.hrtime.bigint();
  // the load comes from another thread, so that the client's work is not counted against the adapter
  const refused = await postFromWorker(adapter.webhookUrl, secret, bodies, concurrency);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const envelopes = await published(adapter);
  await adapter.stop();
  if (refused > 0) throw new Error(`${refused} deliveries were not accepted`);
  return {
    records,
    envelopes,
    seconds,
    context: { concurrency, source: 'signed HTTP POSTs (HMAC-SHA256), 202 after the PubAck' },
  };
}

/** POSTs every body, signed, `concurrency` at a time over keep-alive connections; resolves to the refusals. */
function postFromWorker(url: string, secret: string, bodies: string[], concurrency: number): Promise<number> {
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const { signCreditDelivery } = require(workerData.client);
    const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.concurrency });
    let next = 0, refused = 0;
    function post(body) {
      return new Promise((resolve, reject) => {
        const bytes = Buffer.from(body);
        const timestamp = Math.floor(Date.now() / 1000);
        const req = http.request(workerData.url, { method: 'POST', agent, headers: {
          'Content-Type': 'application/json', 'Content-Length': bytes.length,
          'X-Credit-Timestamp': String(timestamp),
          'X-Credit-Signature': signCreditDelivery(workerData.secret, timestamp, bytes) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(bytes);
      });
    }
    Promise.all(Array.from({ length: workerData.concurrency }, async () => {
      while (next < workerData.bodies.length) if ((await post(workerData.bodies[next++])) !== 202) refused++;
    })).then(() => { agent.destroy(); parentPort.postMessage(refused); });
  `;
  const client = join(__dirname, 'credit-webhook', 'credit-webhook-client.js');
  const worker = new Worker(source, { eval: true, workerData: { url, secret, bodies, concurrency, client } });
  return new Promise((resolve, reject) => {
    worker.once('message', (refused: number) => resolve(refused));
    worker.once('error', reject);
  });
}

const BENCHES: Record<
  AdapterName,
  { records: number; run: (nats: NatsServer, records: number) => Promise<Result> }
> = {
  'hc-mysql': { records: 20_000, run: benchHcMysql },
  'drc-csv': { records: 20_000, run: benchDrcCsv },
  'eia-soap': { records: 10_000, run: benchEiaSoap },
  'credit-webhook': { records: 5_000, run: benchCreditWebhook },
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { records: { type: 'string' } },
  });
  const names = positionals.length > 0 ? positionals.filter(isAdapterName) : [...ADAPTER_NAMES];
  const nats = await startNatsServer();
  try {
    for (const name of names) {
      const records = values.records !== undefined ? Number(values.records) : BENCHES[name].records;
      console.error(`[bench] ${name}: ${records} records`);
      const result = await BENCHES[name].run(nats, records);
      const line = {
        bench: 'adapters',
        metric: `adapter.${name}.records_per_s`,
        value: Math.round(result.records / result.seconds),
        unit: 'records/s',
        records: result.records,
        envelopes: result.envelopes,
        seconds: Number(result.seconds.toFixed(3)),
        cores: availableParallelism(),
        ...result.context,
      };
      console.log(JSON.stringify(line));
    }
  } finally {
    await nats.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
