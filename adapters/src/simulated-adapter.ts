/**
 * One adapter against its simulator, in one process (what `main.js --all` runs four of): the simulator is
 * started first, the adapter's config file is pointed at it, and both stop together.
 */
import { join } from 'node:path';
import { loadAdapterConfig, startAdapter, type AdapterName } from './adapter-registry';
import { dataDir, type AdapterEnv } from './core/adapter-config';
import { type Logger } from './core/logger';
import { type RunningAdapter } from './core/running-adapter';
import { drcDirectories } from './drc-csv/config';
import { startDrcCsvSimulator } from './drc-csv/simulator';
import { startCreditWebhookAdapter } from './credit-webhook/main';
import { startCreditWebhookSimulator, webhookSecret } from './credit-webhook/simulator';
import { startEiaSoapSimulator } from './eia-soap/simulator';
import { DATABASE, startHcMysqlSimulator } from './hc-mysql/simulator';

export interface SimulatedAdapter {
  readonly adapter: RunningAdapter;
  /** What runs where, one line each. */
  readonly where: readonly string[];
  stop(): Promise<void>;
}

export interface SimulationOptions {
  readonly env: AdapterEnv;
  readonly log: Logger;
  readonly configPath?: string;
  /** Speeds the simulated clerks up (tests) or down. Default 1. */
  readonly pace?: number;
  /** Names the instance's files and legacy state in the data dir (`drc-csv-tj`); default the adapter's name. */
  readonly instance?: string;
}

export function startWithSimulator(name: AdapterName, options: SimulationOptions): Promise<SimulatedAdapter> {
  const starters: Record<AdapterName, (o: SimulationOptions) => Promise<SimulatedAdapter>> = {
    'hc-mysql': hcMysql,
    'drc-csv': drcCsv,
    'eia-soap': eiaSoap,
    'credit-webhook': creditWebhook,
  };
  return starters[name](options);
}

function every(options: SimulationOptions, ms: number): number {
  return Math.max(50, Math.round(ms * (options.pace ?? 1)));
}

/** The adapter's start options under `npm start`: free ports where the configured ones are taken. */
function startOptions(options: SimulationOptions, env: AdapterEnv = options.env) {
  return { env, log: options.log, processMetrics: true, orFreePorts: true, instance: options.instance };
}

/** `<data>/legacy/<instance>`: where the instance's simulated legacy system keeps its state. */
function legacyDir(options: SimulationOptions, name: AdapterName): string {
  return join(dataDir(options.env), 'legacy', options.instance ?? name);
}

/**
 * Starts `second` once `first` runs (the simulator before the adapter that reads it, or the adapter before the
 * simulator that posts to it): if `second` fails to start, `first` is stopped; `stop()` stops them in reverse.
 */
async function startedAfter<S extends Stoppable>(
  first: Stoppable,
  startSecond: () => Promise<S>,
): Promise<{ second: S; stop: () => Promise<void> }> {
  const second = await startSecond().catch(async (error: unknown) => {
    await first.stop();
    throw error;
  });
  return {
    second,
    stop: async () => {
      await second.stop();
      await first.stop();
    },
  };
}

interface Stoppable {
  stop(): Promise<void>;
}

async function hcMysql(options: SimulationOptions): Promise<SimulatedAdapter> {
  const file = loadAdapterConfig('hc-mysql', options.configPath);
  const dir = legacyDir(options, 'hc-mysql');
  const sim = await startHcMysqlSimulator({
    dataDir: dir,
    region: file.region,
    intervalMs: every(options, 3_000),
    preferredPort: 3307,
    log: options.log,
  });
  const config = {
    ...file,
    mysql: {
      ...file.mysql,
      host: sim.server.host,
      port: sim.server.port,
      user: sim.server.user,
      database: DATABASE,
    },
  };
  const env = { ...options.env, [config.mysql.passwordEnv]: sim.server.password };
  const { second: adapter, stop } = await startedAfter(sim, () =>
    startAdapter('hc-mysql', config, startOptions(options, env)),
  );
  return {
    adapter,
    where: [
      `simulated permit database: MariaDB ${sim.server.url}${DATABASE} (table T_SGXK, GBK), data in ${dir}`,
    ],
    stop,
  };
}

async function drcCsv(options: SimulationOptions): Promise<SimulatedAdapter> {
  const config = loadAdapterConfig('drc-csv', options.configPath);
  const dirs = drcDirectories(config, options.env);
  const adapter = await startAdapter('drc-csv', config, startOptions(options));
  const { stop } = await startedAfter(adapter, () =>
    startDrcCsvSimulator({
      dirs,
      intervalMs: every(options, 20_000),
      region: config.region,
      encoding: 'gb18030',
      log: options.log,
    }),
  );
  return {
    adapter,
    where: [`simulated DRC export job: GB18030 CSV + .md5 into ${dirs.inbox} (archive/, quarantine/ beside)`],
    stop,
  };
}

async function eiaSoap(options: SimulationOptions): Promise<SimulatedAdapter> {
  const file = loadAdapterConfig('eia-soap', options.configPath);
  const wanted = new URL(file.soap.endpoint);
  const stateFile = join(legacyDir(options, 'eia-soap'), 'approvals.jsonl');
  const simOptions = {
    stateFile,
    host: wanted.hostname,
    region: file.region,
    intervalMs: every(options, 4_000),
  };
  const sim = await startEiaSoapSimulator({ ...simOptions, port: Number(wanted.port) }).catch(() =>
    startEiaSoapSimulator({ ...simOptions, port: 0 }),
  );
  const config = { ...file, soap: { ...file.soap, endpoint: sim.endpoint } };
  const { second: adapter, stop } = await startedAfter(sim, () =>
    startAdapter('eia-soap', config, startOptions(options)),
  );
  return {
    adapter,
    where: [`simulated EIA SOAP 1.1 service: ${sim.endpoint} (approvals kept in ${stateFile})`],
    stop,
  };
}

async function creditWebhook(options: SimulationOptions): Promise<SimulatedAdapter> {
  const config = loadAdapterConfig('credit-webhook', options.configPath);
  const secretFile = join(dataDir(options.env), 'secrets', `${options.instance ?? 'credit-webhook'}.secret`);
  const secret = await webhookSecret(options.env[config.webhook.secretEnv], secretFile);
  const env = { ...options.env, [config.webhook.secretEnv]: secret };
  const adapter = await startCreditWebhookAdapter(config, startOptions(options, env));
  const { stop } = await startedAfter(adapter, () =>
    Promise.resolve(
      startCreditWebhookSimulator({
        url: adapter.webhookUrl,
        secret,
        intervalMs: every(options, 3_000),
        region: config.region,
        log: options.log,
      }),
    ),
  );
  const secretSource = options.env[config.webhook.secretEnv] ? `$${config.webhook.secretEnv}` : secretFile;
  return {
    adapter,
    where: [
      `simulated credit centre: POSTs signed webhooks to ${adapter.webhookUrl} (secret from ${secretSource})`,
    ],
    stop,
  };
}
