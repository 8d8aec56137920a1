/** What starting an adapter gives back, and the options every adapter's start function takes. */
import { type DepartmentCode } from '@approval-ledger/protocol';
import { dataDir, healthHost, natsUrl, type AdapterEnv, type BaseConfig } from './adapter-config';
import { type AdapterRuntime, type RuntimeOptions } from './adapter-runtime';
import { type DeliveryOutcome } from './ledger-publisher';
import { consoleLogger, type Logger } from './logger';
import { type StreamName } from '@approval-ledger/protocol';

export interface RunningAdapter {
  readonly name: string;
  readonly healthUrl: string;
  readonly runtime: AdapterRuntime;
  /** Graceful: stops reading, waits for in-flight publishes, saves nothing half-done, closes connections. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly env: AdapterEnv;
  readonly log?: Logger;
  /** Export Node process metrics too (one adapter per process). */
  readonly processMetrics?: boolean;
  /** Listen on free ports where the configured ones are taken (`npm start`'s simulated system). */
  readonly orFreePorts?: boolean;
  /** Names this instance's files in the data dir when one adapter runs once per region (`drc-csv-tj`). */
  readonly instance?: string;
  /** Called after each committed batch. */
  readonly onBatch?: (outcomes: readonly DeliveryOutcome[]) => void;
}

/** The core's options from an adapter's validated config and the environment. */
export function runtimeOptions(
  config: BaseConfig,
  options: StartOptions,
  adapter: {
    name: string;
    dept: DepartmentCode;
    streams: readonly StreamName[];
    legacyField?: (path: string) => string | undefined;
  },
): RuntimeOptions {
  return {
    adapter: adapter.name,
    instance: options.instance,
    region: config.region,
    dept: adapter.dept,
    natsUrl: natsUrl(config, options.env),
    publishTimeoutMs: config.nats.publishTimeoutMs,
    retry: config.retry,
    health: {
      host: healthHost(config, options.env),
      port: config.health.port,
      orFreePort: options.orFreePorts === true,
    },
    checkpointKey: config.checkpointKey ?? `${adapter.name}.${config.region}`,
    log: options.log ?? consoleLogger(adapter.name),
    streams: adapter.streams,
    legacyField: adapter.legacyField,
    processMetrics: options.processMetrics,
    // a journal on disk only where the environment names the data dir (main.js always does; tests opt in)
    dataDir: options.env.LEDGER_DATA_DIR === undefined ? undefined : dataDir(options.env),
    sourceSystem: config.sourceSystem,
    resendAfterMs: config.resendAfterMs,
  };
}
