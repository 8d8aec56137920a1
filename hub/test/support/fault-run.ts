/**
 * The fault run: the whole ingest path under kill -9. Its own nats-server (and MariaDB for the store, when asked),
 * the hub as a process, the drc-csv, eia-soap, credit-webhook and hc-mysql adapters each as a process, their legacy
 * systems played here (a DRC export job dropping GB18030 CSV files, the EIA SOAP service, the credit centre posting
 * signed webhooks, the permit application inserting rows into T_SGXK in its own MariaDB) and approvers posting to
 * `POST /milestones`. While records flow, every part is killed with SIGKILL
 * at seeded random moments and started again. Then the counts must agree, per source: what the legacy system
 * holds or the API accepted = what the adapter read; what it sent = what the store saw = what the store anchored
 * = what was receipted (at the adapter and in the hub's receipts); the ledger records each record once; and
 * `ledger reconcile` and `ledger verify-chain` exit 0.
 *
 * The short run is `test/faults.test.ts`; `npm run bench -- faults` runs the long one (`test/faults.bench.ts`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  startMariaDb,
  startNatsServer,
  type MariaDbServer,
  type NatsServer,
} from '@approval-ledger/testkit';
import { encodeLegacyText } from '@approval-ledger/adapters';
import { dropCsvFile } from '@approval-ledger/adapters/dist/drc-csv/drc-csv-client';
import { DRC_EXPORT_HEADER, filingRow } from '@approval-ledger/adapters/dist/drc-csv/simulator';
import {
  startEiaSoapSimulator,
  type EiaSoapSimulator,
} from '@approval-ledger/adapters/dist/eia-soap/simulator';
import { postCreditDelivery } from '@approval-ledger/adapters/dist/credit-webhook/simulator';
import {
  DATABASE as HC_DATABASE,
  connectLegacy,
  startHcMysqlSimulator,
  type HcMysqlSimulator,
} from '@approval-ledger/adapters/dist/hc-mysql/simulator';
import { type Connection } from 'mysql2/promise';
import {
  Random,
  makeCompanyName,
  makeProjectCode,
  makeUscc,
} from '@approval-ledger/adapters/dist/simulation/legacy-fixtures';
import { EmbeddedLedger } from '../../src/ledger';
import { readRuntimeFile } from '../../src/runtime-file';
import { openStore } from '../../src/store';
import { mainCommand, runCli } from './cli';
import { milestone } from './records';

const ADAPTERS_MAIN = join(__dirname, '..', '..', '..', 'adapters', 'dist', 'main.js');

export type Part = 'nats-server' | 'hub' | 'drc-csv' | 'eia-soap' | 'credit-webhook' | 'hc-mysql' | 'mariadb';
const ADAPTERS = ['drc-csv', 'eia-soap', 'credit-webhook', 'hc-mysql'] as const;
type AdapterName = (typeof ADAPTERS)[number];

export interface FaultRunOptions {
  /** Records to ingest in all (spread over the DRC files, EIA approvals, credit webhooks and API posts). */
  readonly records: number;
  /** SIGKILLs of each part. */
  readonly killsPerPart: number;
  readonly seed: number;
  /** The hub's store on MariaDB (killed too) instead of SQLite. */
  readonly mariadb?: boolean;
  /** Progress lines (to stderr). */
  readonly log?: (line: string) => void;
  /** How long to wait for everything to settle after the last kill. */
  readonly settleMs?: number;
}

export interface SourceCounts {
  readonly sourceSystem: string;
  /** What the legacy system holds (or the API accepted). */
  readonly source: number;
  /** The adapter's journal: distinct records read, sent, receipted (null for the API). */
  readonly adapter: {
    read: number;
    sent: number;
    receipted: number;
    unreceipted: number;
    sends: number;
  } | null;
  /** Distinct versions the hub saw on LEGACY, and the records anchored, in the store. */
  readonly store: { seen: number; anchored: number; records: number };
  /** Distinct records with an ANCHORED or DUPLICATE receipt in the hub's receipts. */
  readonly receipts: number;
}

export interface FaultRunResult {
  readonly seed: number;
  readonly records: number;
  readonly backend: 'sqlite' | 'mariadb';
  readonly kills: Readonly<Record<string, number>>;
  readonly sources: readonly SourceCounts[];
  /** Records written to the ledger (all transactions), and distinct record ids among them. */
  readonly ledger: { written: number; distinct: number };
  readonly reconcileExit: number | null;
  readonly reconcileOutput: string;
  readonly verifyChainExit: number | null;
  readonly durationMs: number;
}

const SYSTEMS = {
  drc: 'fault-drc',
  eia: 'fault-eia',
  credit: 'fault-credit',
  hc: 'fault-hc',
  api: 'fault-api',
} as const;

export async function runFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const run = new FaultRun(options);
  try {
    return await run.execute();
  } finally {
    await run.cleanup();
  }
}

class FaultRun {
  readonly #random: Random;
  readonly #log: (line: string) => void;
  readonly #dataDir = mkdtempSync(join(tmpdir(), 'faults-'));
  readonly #kills: Record<string, number> = {};
  #nats: NatsServer | undefined;
  #mariadb: MariaDbServer | undefined;
  #databaseUrl: string | undefined;
  #hub: ChildProcess | undefined;
  #hubUrl = '';
  readonly #adapters = new Map<AdapterName, ChildProcess>();
  #eia: EiaSoapSimulator | undefined;
  #hc: HcMysqlSimulator | undefined;
  #hcConnection: Connection | undefined;
  #webhookUrl = '';
  readonly #secret = randomBytes(24).toString('hex');
  readonly #produced = { drc: 0, eia: 0, credit: 0, hc: 0, api: 0 };

  constructor(private readonly options: FaultRunOptions) {
    this.#random = new Random(options.seed);
    this.#log = options.log ?? (() => undefined);
  }

  async execute(): Promise<FaultRunResult> {
    const started = Date.now();
    await this.#startInfrastructure();
    await this.#startHub();
    await this.#startLegacy();
    for (const name of ADAPTERS) await this.#startAdapter(name);
    this.#log(`running: data dir ${this.#dataDir}, hub ${this.#hubUrl}, seed ${this.options.seed}`);
    const producing = this.#produce();
    await this.#chaos(producing);
    await producing;
    this.#log(`produced ${JSON.stringify(this.#produced)}; waiting for everything to settle`);
    await this.#settle();
    await this.#stopAll();
    const result = await this.#count(started);
    return result;
  }

  // ------------------------------------------------------------------------------------------ processes

  async #startInfrastructure(): Promise<void> {
    this.#nats = await startNatsServer();
    if (this.options.mariadb) {
      this.#mariadb = await startMariaDb();
      this.#databaseUrl = await this.#mariadb.createDatabase('faults');
    }
  }

  #hubEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      LEDGER_DATA_DIR: this.#dataDir,
      NATS_URL: (this.#nats as NatsServer).url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      HUB_INGEST_ACK_WAIT_MS: '5000',
      ...(this.#databaseUrl ? { DATABASE_URL: this.#databaseUrl } : { DATABASE_URL: '' }),
    };
  }

  async #startHub(): Promise<void> {
    const child = spawn(mainCommand.node, mainCommand.args, {
      env: this.#hubEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    this.#hub = child;
    await until(
      'the hub to start',
      () => {
        if (output.includes('approval-ledger hub:')) return true;
        if (child.exitCode !== null) throw new Error(`hub exited ${child.exitCode}: ${output.slice(-3000)}`);
        return false;
      },
      300_000,
    );
    this.#hubUrl = readRuntimeFile(this.#dataDir)?.url ?? '';
  }

  async #startLegacy(): Promise<void> {
    this.#eia = await startEiaSoapSimulator({
      stateFile: join(this.#dataDir, 'legacy', 'eia', 'approvals.jsonl'),
      port: 0,
      intervalMs: 0,
      withSample: false,
      seed: this.options.seed,
    });
    // the permit system: its own MariaDB with T_SGXK, emptied of the sample, rows inserted by the run
    this.#hc = await startHcMysqlSimulator({ dataDir: join(this.#dataDir, 'legacy', 'hc'), intervalMs: 0 });
    this.#hcConnection = await connectLegacy(this.#hc.server, HC_DATABASE);
    await this.#hcConnection.query('DELETE FROM T_SGXK');
    const webhookPort = await freePort();
    this.#webhookUrl = `http://127.0.0.1:${webhookPort}/webhooks/credit-evaluations`;
    const configDir = join(this.#dataDir, 'config');
    mkdirSync(configDir, { recursive: true });
    const base = (system: string) => ({
      region: 'BJ',
      sourceSystem: system,
      health: { port: 0 },
      nats: { publishTimeoutMs: 5_000 },
      retry: { initialMs: 100, maxMs: 2_000 },
      resendAfterMs: 10_000,
    });
    const configs: Record<AdapterName, unknown> = {
      'drc-csv': { ...base(SYSTEMS.drc), inboxDir: 'inbox/drc', pollIntervalMs: 200, md5GraceMs: 5_000 },
      'eia-soap': {
        ...base(SYSTEMS.eia),
        soap: { endpoint: this.#eia.endpoint, pageSize: 200, requestTimeoutMs: 10_000 },
        pollIntervalMs: 200,
      },
      'credit-webhook': {
        ...base(SYSTEMS.credit),
        webhook: {
          port: webhookPort,
          secretEnv: 'FAULTS_CREDIT_SECRET',
          deliveriesBucket: 'faults-credit-deliveries',
        },
      },
      'hc-mysql': {
        ...base(SYSTEMS.hc),
        mysql: {
          host: this.#hc.server.host,
          port: this.#hc.server.port,
          user: this.#hc.server.user,
          database: HC_DATABASE,
          passwordEnv: 'FAULTS_HC_PASSWORD',
        },
        pollIntervalMs: 200,
        // the write-back would change the rows the run counts; it has its own tests
        writeBack: false,
      },
    };
    for (const name of ADAPTERS)
      writeFileSync(join(configDir, `${name}.json`), JSON.stringify(configs[name], null, 2));
  }

  async #startAdapter(name: AdapterName): Promise<void> {
    const child = spawn(
      process.execPath,
      [ADAPTERS_MAIN, name, '--config', join(this.#dataDir, 'config', `${name}.json`)],
      {
        env: {
          ...process.env,
          LEDGER_DATA_DIR: this.#dataDir,
          NATS_URL: (this.#nats as NatsServer).url,
          FAULTS_CREDIT_SECRET: this.#secret,
          FAULTS_HC_PASSWORD: this.#hc?.server.password ?? '',
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let output = '';
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-10_000)));
    this.#adapters.set(name, child);
    const runtime = join(this.#dataDir, 'adapters', `${name}.runtime.json`);
    await until(
      `${name} to start`,
      () => {
        if (
          existsSync(runtime) &&
          (JSON.parse(readFileSync(runtime, 'utf8')) as { pid: number }).pid === child.pid
        )
          return true;
        if (child.exitCode !== null)
          throw new Error(`${name} exited ${child.exitCode}: ${output.slice(-3000)}`);
        return false;
      },
      120_000,
    );
  }

  async #kill(part: Part): Promise<void> {
    this.#kills[part] = (this.#kills[part] ?? 0) + 1;
    const pause = 100 + this.#random.int(1_500);
    this.#log(`kill -9 ${part} (#${this.#kills[part]}), back in ${pause} ms`);
    if (part === 'nats-server') {
      await (this.#nats as NatsServer).kill();
      await sleep(pause);
      await (this.#nats as NatsServer).restart();
    } else if (part === 'mariadb') {
      await (this.#mariadb as MariaDbServer).kill();
      await sleep(pause);
      await (this.#mariadb as MariaDbServer).restart();
    } else if (part === 'hub') {
      await killed(this.#hub as ChildProcess);
      await sleep(pause);
      await this.#startHub();
    } else {
      await killed(this.#adapters.get(part) as ChildProcess);
      await sleep(pause);
      await this.#startAdapter(part);
    }
  }

  /** Every part killed `killsPerPart` times, in a seeded shuffled order, at seeded random moments while producing. */
  async #chaos(producing: Promise<void>): Promise<void> {
    const parts: Part[] = [
      'nats-server',
      'hub',
      ...ADAPTERS,
      ...(this.options.mariadb ? (['mariadb'] as const) : []),
    ];
    const plan = parts.flatMap((p) => Array.from({ length: this.options.killsPerPart }, () => p));
    for (let i = plan.length - 1; i > 0; i--) {
      const j = this.#random.int(i + 1);
      [plan[i], plan[j]] = [plan[j] as Part, plan[i] as Part];
    }
    const total = this.options.records;
    for (const [index, part] of plan.entries()) {
      // spread the kills over the production: the i-th waits for a random point of its share of the records
      const at = Math.floor((total * (index + this.#random.next())) / (plan.length + 1));
      await until(`${at} records produced`, () => this.#producedTotal() >= at, 600_000);
      await this.#kill(part);
    }
    void producing;
  }

  async #stopAll(): Promise<void> {
    for (const [, child] of this.#adapters) await terminated(child);
    this.#adapters.clear();
    if (this.#hub) await terminated(this.#hub);
    this.#hub = undefined;
    await this.#eia?.stop();
    this.#eia = undefined;
    await this.#hcConnection?.end();
    this.#hcConnection = undefined;
    await this.#hc?.stop();
    this.#hc = undefined;
  }

  async cleanup(): Promise<void> {
    for (const child of [...this.#adapters.values(), ...(this.#hub ? [this.#hub] : [])])
      child.kill('SIGKILL');
    await this.#eia?.stop().catch(() => undefined);
    await this.#hcConnection?.end().catch(() => undefined);
    await this.#hc?.stop().catch(() => undefined);
    await this.#nats?.stop().catch(() => undefined);
    await this.#mariadb?.stop().catch(() => undefined);
    if (!process.env.FAULTS_KEEP) rmSync(this.#dataDir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------------------------ producers

  #producedTotal(): number {
    const p = this.#produced;
    return p.drc + p.eia + p.credit + p.hc + p.api;
  }

  /** The five sources at once until `records` are produced: 35% DRC, 15% each of EIA, credit and HC, 20% API. */
  async #produce(): Promise<void> {
    const total = this.options.records;
    const share = {
      drc: Math.floor(total * 0.35),
      eia: Math.floor(total * 0.15),
      credit: Math.floor(total * 0.15),
      hc: Math.floor(total * 0.15),
    };
    const api = total - share.drc - share.eia - share.credit - share.hc;
    await Promise.all([
      this.#produceDrc(share.drc),
      this.#produceEia(share.eia),
      this.#produceCredit(share.credit),
      this.#produceHc(share.hc),
      this.#produceApi(api),
    ]);
  }

  async #produceDrc(count: number): Promise<void> {
    const inbox = join(this.#dataDir, 'inbox', 'drc');
    const random = new Random(this.options.seed + 1);
    for (let file = 0, done = 0; done < count; file++) {
      const rows = Math.min(count - done, 40 + random.int(80));
      const lines = Array.from({ length: rows }, (_, i) =>
        filingRow(random, done + i + 1, `故障演练项目${done + i + 1}`),
      );
      const text = [DRC_EXPORT_HEADER, ...lines].join('\r\n') + '\r\n';
      await dropCsvFile(
        inbox,
        `drc-fault-${String(file).padStart(5, '0')}.csv`,
        encodeLegacyText(text, 'gb18030'),
      );
      done += rows;
      this.#produced.drc = done;
      await sleep(150 + random.int(200));
    }
  }

  async #produceEia(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await (this.#eia as EiaSoapSimulator).add((this.#eia as EiaSoapSimulator).invent('ok'));
      this.#produced.eia = i + 1;
      if (i % 20 === 19) await sleep(100);
    }
  }

  async #produceCredit(count: number): Promise<void> {
    const random = new Random(this.options.seed + 3);
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({
        deliveryId: `fault-${this.options.seed}-${i}`,
        eventType: 'CREDIT_EVALUATED',
        eventId: `CR-FAULT-${i}`,
        revision: 1,
        enterprise: { name: makeCompanyName(random), uscc: makeUscc(random) },
        level: random.pick(['A', 'B', 'C']),
        occurredAt: '2025-03-07T10:00:00+08:00',
      });
      // the credit centre retries until the adapter answers: 2xx, or 409 (it had this delivery already)
      await retryUntil(async () => {
        const { status } = await postCreditDelivery(this.#webhookUrl, this.#secret, body);
        if (status >= 500) throw new Error(`credit webhook answered ${status}`);
        if (status >= 400 && status !== 409)
          throw new Error(`credit webhook refused a valid delivery: ${status}`);
      });
      this.#produced.credit = i + 1;
    }
  }

  /** New permits (approved, with a number) inserted into T_SGXK, as the legacy application does. */
  async #produceHc(count: number): Promise<void> {
    const random = new Random(this.options.seed + 4);
    const conn = this.#hcConnection as Connection;
    for (let i = 0; i < count; i++) {
      const code = makeProjectCode(random, 'BJ', '01', 300_000 + i);
      await conn.query(
        `INSERT INTO T_SGXK (XMDM, XMMC, SGXKZH, JSDW, TYSHXYDM, JSGM, HTJE, BLJG, FZRQ, ZT)
         VALUES (?, ?, ?, ?, ?, ?, ?, '01', NOW(), '1')`,
        [
          code,
          `故障演练住宅楼${i + 1}`,
          `${code.slice(5, 11)}20250307${String(i % 10_000).padStart(4, '0')}${String(Math.floor(i / 10_000))}`,
          makeCompanyName(random),
          makeUscc(random),
          `地上${3 + random.int(30)}层`,
          (100 + random.int(50_000)).toFixed(2),
        ],
      );
      this.#produced.hc = i + 1;
      if (i % 20 === 19) await sleep(100);
    }
  }

  async #produceApi(count: number): Promise<void> {
    const token = await retryUntil(async () => {
      const cli = await runCli(
        ['token', '--region', 'BJ', '--role', 'approver', '--dept', 'EE'],
        this.#hubEnv(),
      );
      if (cli.status !== 0) throw new Error(cli.stderr);
      return cli.stdout.trim();
    });
    const batch = 50;
    for (let i = 0; i < count; i += batch) {
      const body = Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
        milestone({
          n: i + j + 1,
          serial: 500_000 + i + j + 1,
          system: SYSTEMS.api,
          region: 'BJ',
          dept: 'EE',
        }),
      );
      await retryUntil(async () => {
        const response = await fetch(`${this.#hubUrl}/api/v1/milestones`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.text();
        if (response.status !== 202) throw new Error(`POST /milestones answered ${response.status}`);
      });
      this.#produced.api = Math.min(count, i + batch);
    }
  }

  // ------------------------------------------------------------------------------------------ settle and count

  /** Until every adapter has read its source and holds a receipt for everything it sent. */
  async #settle(): Promise<void> {
    const expected: Record<AdapterName, number> = {
      'drc-csv': this.#produced.drc,
      'eia-soap': this.#produced.eia,
      'credit-webhook': this.#produced.credit,
      'hc-mysql': this.#produced.hc,
    };
    await until(
      'every adapter caught up and receipted',
      () =>
        ADAPTERS.every((name) => {
          const c = countersOf(this.#dataDir, name);
          return c !== undefined && c.read >= expected[name] && c.unreceipted === 0;
        }),
      this.options.settleMs ?? 600_000,
      () => JSON.stringify(ADAPTERS.map((name) => [name, countersOf(this.#dataDir, name)])),
    );
  }

  async #count(started: number): Promise<FaultRunResult> {
    const env = this.#hubEnv();
    const store = await openStore({
      dataDir: this.#dataDir,
      ...(this.#databaseUrl ? { databaseUrl: this.#databaseUrl } : {}),
    });
    const sources: SourceCounts[] = [];
    try {
      const report = await store.reconciliation.report();
      const receipts = new Map<string, Set<string>>();
      for await (const page of store.receipts.pages(5_000)) {
        for (const r of page) {
          if (r.receipt.status !== 'ANCHORED' && r.receipt.status !== 'DUPLICATE') continue;
          const system = r.receipt.recordId.slice(0, r.receipt.recordId.indexOf(':'));
          receipts.set(system, (receipts.get(system) ?? new Set()).add(r.receipt.recordId));
        }
      }
      const recordsBySystem = new Map<string, { records: number; anchored: number }>();
      for await (const page of store.records.pages({ limit: 2_000 })) {
        for (const r of page) {
          const system = r.id.slice(0, r.id.indexOf(':'));
          const entry = recordsBySystem.get(system) ?? { records: 0, anchored: 0 };
          entry.records += 1;
          if (r.status === 'anchored') entry.anchored += 1;
          recordsBySystem.set(system, entry);
        }
      }
      const row = (system: string, source: number, adapter: AdapterName | undefined): SourceCounts => {
        const seen = report.find((c) => c.sourceSystem === system);
        const c = adapter === undefined ? undefined : countersOf(this.#dataDir, adapter);
        const records = recordsBySystem.get(system) ?? { records: 0, anchored: 0 };
        return {
          sourceSystem: system,
          source,
          adapter: c
            ? {
                read: c.read,
                sent: c.sent,
                receipted: c.receipted,
                unreceipted: c.unreceipted,
                sends: c.sends,
              }
            : null,
          store: { seen: seen?.seen ?? 0, anchored: records.anchored, records: records.records },
          receipts: receipts.get(system)?.size ?? 0,
        };
      };
      sources.push(
        row(SYSTEMS.drc, this.#produced.drc, 'drc-csv'),
        row(SYSTEMS.eia, this.#produced.eia, 'eia-soap'),
        row(SYSTEMS.credit, this.#produced.credit, 'credit-webhook'),
        row(SYSTEMS.hc, this.#produced.hc, 'hc-mysql'),
        row(SYSTEMS.api, this.#produced.api, undefined),
      );
    } finally {
      await store.close();
    }
    const ledger = await ledgerCounts(this.#dataDir);
    const reconcile = await runCli(['reconcile'], env);
    const verifyChain = await runCli(['verify-chain'], env);
    return {
      seed: this.options.seed,
      records: this.options.records,
      backend: this.options.mariadb ? 'mariadb' : 'sqlite',
      kills: { ...this.#kills },
      sources,
      ledger,
      reconcileExit: reconcile.status,
      reconcileOutput: reconcile.stdout + reconcile.stderr,
      verifyChainExit: verifyChain.status,
      durationMs: Date.now() - started,
    };
  }
}

interface Counters {
  read: number;
  sent: number;
  receipted: number;
  unreceipted: number;
  sends: number;
}

function countersOf(dataDir: string, adapter: AdapterName): Counters | undefined {
  const file = join(dataDir, 'adapters', `${adapter}.counters.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Counters;
  } catch {
    return undefined;
  }
}

/**
 * What the ledger's valid transactions wrote: milestones (`recorded` of MilestonesRecorded), certificates
 * (CertificateIssued) and credit events (CreditRecorded) that were not `unchanged`. How many writes, how many
 * distinct records: equal when nothing was written twice.
 */
async function ledgerCounts(dataDir: string): Promise<{ written: number; distinct: number }> {
  const ids = new Set<string>();
  let written = 0;
  const ledger = await EmbeddedLedger.open({ dataDir });
  try {
    for await (const block of ledger.blocks(1)) {
      for (const tx of block.transactions) {
        if (tx.validationCode !== 'VALID' || tx.event === undefined) continue;
        const payload = JSON.parse(Buffer.from(tx.event.payload).toString('utf8')) as Record<string, unknown>;
        for (const id of writtenBy(tx.event.eventName, payload)) {
          written++;
          ids.add(id);
        }
      }
    }
  } finally {
    await ledger.close();
  }
  return { written, distinct: ids.size };
}

function writtenBy(eventName: string, payload: Record<string, unknown>): string[] {
  if (eventName === 'MilestonesRecorded') return payload.recorded as string[];
  if (payload.unchanged !== false) return [];
  if (eventName === 'CertificateIssued') return [`certificate:${String(payload.number)}`];
  if (eventName === 'CreditRecorded') return [`credit:${String(payload.id)}`];
  return [];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  detail?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await sleep(100);
  }
}

/** Retries `attempt` (a part it talks to may be down) with a short capped backoff, for up to 10 minutes. */
async function retryUntil<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(Math.min(2_000, 100 * 2 ** failures));
    }
  }
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

async function terminated(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(force);
}
