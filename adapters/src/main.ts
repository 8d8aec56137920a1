#!/usr/bin/env node
/**
 * `node dist/main.js <name> [--config <file>] [--simulator] [--region TJ]` runs one adapter (hc-mysql, drc-csv,
 * eia-soap, credit-webhook) against the legacy system its config file names, or against its simulator; `--region`
 * picks that region's config file (`config/tj/<name>.json`) and names the instance (`drc-csv-tj`).
 * `node dist/main.js [--all]` runs every simulated system of the three regions (`simulated-systems.ts`), each as
 * its own child process against its simulator, on NATS_URL (else each config file's `nats.url`); it starts no
 * nats-server (`npm start` does). Ctrl-C / SIGTERM stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { RegionSchema, type RegionCode } from '@approval-ledger/protocol';
import {
  ADAPTER_NAMES,
  isAdapterName,
  loadAdapterConfig,
  startAdapter,
  type AdapterName,
} from './adapter-registry';
import { dataDir } from './core/adapter-config';
import { removeAdapterRuntimeFile, writeAdapterRuntimeFile } from './core/adapter-runtime-file';
import { InvalidConfigError } from './core/invalid-config.error';
import { consoleLogger, errorMessage } from './core/logger';
import { startWithSimulator, type SimulatedAdapter } from './simulated-adapter';
import {
  instanceName,
  regionalConfigPath,
  SIMULATED_SYSTEMS,
  type SimulatedSystem,
} from './simulated-systems';

const USAGE = `usage: node dist/main.js <${ADAPTER_NAMES.join('|')}> [--config <file>] [--simulator] [--region BJ|TJ|HE]
       node dist/main.js [--all]      (every region's simulated systems, each in its own process)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      config: { type: 'string' },
      simulator: { type: 'boolean' },
      region: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return void console.log(USAGE);
  const name = positionals[0];
  if (name === undefined || values.all === true) return runAll();
  if (!isAdapterName(name)) {
    console.error(`unknown adapter ${JSON.stringify(name)}\n${USAGE}`);
    process.exit(2);
  }
  const region = RegionSchema.safeParse(values.region ?? 'BJ');
  if (!region.success) {
    console.error(`region: ${JSON.stringify(values.region)} is not BJ, TJ or HE\n${USAGE}`);
    process.exit(2);
  }
  await runOne(name, region.data, values.config, values.simulator === true);
}

async function runOne(
  name: AdapterName,
  region: RegionCode,
  configFile: string | undefined,
  simulated: boolean,
): Promise<void> {
  const instance = instanceName(name, region);
  const log = consoleLogger(instance);
  // the journal and counters go to the data dir, the default one included
  const env = { ...process.env, LEDGER_DATA_DIR: dataDir(process.env) };
  const configPath = configFile ?? regionalConfigPath(name, region, env);
  let running: SimulatedAdapter;
  try {
    running = simulated
      ? await startWithSimulator(name, { env, log, configPath, instance })
      : await startPlain(name, configPath, env);
  } catch (error) {
    log.error(`cannot start: ${errorMessage(error)}`);
    process.exit(error instanceof InvalidConfigError ? 2 : 1);
  }
  for (const line of running.where) log.info(line);
  log.info(
    `running: health ${running.adapter.healthUrl}/healthz, metrics ${running.adapter.healthUrl}/metrics`,
  );
  const data = dataDir(process.env);
  writeAdapterRuntimeFile(data, {
    adapter: instance,
    healthUrl: running.adapter.healthUrl,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    where: running.where,
  });
  onStopSignal(async () => {
    log.info('stopping');
    await running.stop();
    removeAdapterRuntimeFile(data, instance);
    log.info('stopped');
  });
}

async function startPlain(
  name: AdapterName,
  configPath: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<SimulatedAdapter> {
  const log = consoleLogger(name);
  const adapter = await startAdapter(name, loadAdapterConfig(name, configPath), {
    env,
    log,
    processMetrics: true,
  });
  return { adapter, where: [], stop: () => adapter.stop() };
}

function runAll(): void {
  const log = consoleLogger('adapters');
  const data = dataDir(process.env);
  const nats = process.env.NATS_URL ?? "each config file's nats.url";
  log.info(`data dir ${data}; NATS ${nats}; each adapter runs in its own process against its simulator`);
  const env = { ...process.env, LEDGER_DATA_DIR: data };
  const children = SIMULATED_SYSTEMS.map((system) => new Supervised(system, env, log));
  onStopSignal(async () => {
    log.info('stopping all adapters');
    await Promise.all(children.map((c) => c.stop()));
    log.info('stopped');
  });
}

/** A child process `main.js <name> --simulator --region <R>`, restarted with backoff if it dies on its own. */
class Supervised {
  #child: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;
  private readonly name: string;

  constructor(
    private readonly system: SimulatedSystem,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: ReturnType<typeof consoleLogger>,
  ) {
    this.name = system.instance;
    this.#spawn();
  }

  #spawn(): void {
    const { adapter, region } = this.system;
    const args = [...process.execArgv, __filename, adapter, '--simulator', '--region', region];
    const child = spawn(process.execPath, args, { env: this.env, stdio: 'inherit' });
    this.#child = child;
    this.log.info(`started ${this.name} (pid ${child.pid ?? '?'})`);
    child.on('exit', (code, signal) => {
      if (this.#stopping) return;
      if (code === 2) {
        this.log.error(`${this.name} refused its configuration; not restarted (fix it and start again)`);
        return;
      }
      const delay = Math.min(30_000, 1_000 * 2 ** this.#restarts++);
      this.log.warn(`${this.name} exited (${signal ?? code ?? '?'}); restarting in ${delay} ms`);
      setTimeout(() => this.#stopping || this.#spawn(), delay).unref();
    });
  }

  stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** SIGINT / SIGTERM: stop once, then exit. */
function onStopSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(errorMessage(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
