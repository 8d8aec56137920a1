#!/usr/bin/env node
/**
 * `node dist/main.js <name> [--config <file>] [--simulator]` runs one adapter (hc-mysql, drc-csv, eia-soap,
 * credit-webhook) against the legacy system its config file names, or against its simulator.
 * `node dist/main.js [--all]` runs all four, each as its own child process against its simulator, on NATS_URL (else
 * each config file's `nats.url`); it starts no nats-server (`npm start` does). Ctrl-C / SIGTERM stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
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

const USAGE = `usage: node dist/main.js <${ADAPTER_NAMES.join('|')}> [--config <file>] [--simulator]
       node dist/main.js [--all]      (all four, each in its own process, against their simulators)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      config: { type: 'string' },
      simulator: { type: 'boolean' },
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
  await runOne(name, values.config, values.simulator === true);
}

async function runOne(name: AdapterName, configPath: string | undefined, simulated: boolean): Promise<void> {
  const log = consoleLogger(name);
  // the journal and counters go to the data dir, the default one included
  const env = { ...process.env, LEDGER_DATA_DIR: dataDir(process.env) };
  let running: SimulatedAdapter;
  try {
    running = simulated
      ? await startWithSimulator(name, { env, log, configPath })
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
    adapter: name,
    healthUrl: running.adapter.healthUrl,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    where: running.where,
  });
  onStopSignal(async () => {
    log.info('stopping');
    await running.stop();
    removeAdapterRuntimeFile(data, name);
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
  const children = ADAPTER_NAMES.map((name) => new Supervised(name, env, log));
  onStopSignal(async () => {
    log.info('stopping all adapters');
    await Promise.all(children.map((c) => c.stop()));
    log.info('stopped');
  });
}

/** A child process `main.js <name> --simulator`, restarted with backoff if it dies on its own. */
class Supervised {
  #child: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;

  constructor(
    private readonly name: AdapterName,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: ReturnType<typeof consoleLogger>,
  ) {
    this.#spawn();
  }

  #spawn(): void {
    const child = spawn(process.execPath, [...process.execArgv, __filename, this.name, '--simulator'], {
      env: this.env,
      stdio: 'inherit',
    });
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
