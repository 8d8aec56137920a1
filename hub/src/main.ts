#!/usr/bin/env node
/**
 * `node hub/dist/main.js`: the hub as a process. Reads the configuration from the environment once (config.ts),
 * connects to NATS_URL (default nats://127.0.0.1:4222: `npm start` starts that nats-server, scripts/supervisor.mjs),
 * runs the hub, prints its URL and an auditor token, and stops cleanly (draining ingest) on SIGINT or SIGTERM.
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { ConfigError, loadConfig, type HubConfig } from './config';
import { startHub, type RunningHub } from './hub';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { RegistryNotSeededError } from './services/registry-seeder';

export async function main(): Promise<void> {
  let config: HubConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 2;
    return;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'hub' } });
  mkdirSync(config.dataDir, { recursive: true });
  let hub: RunningHub;
  try {
    hub = await startHub({ config, logger, natsUrl: config.natsUrl, ...tuningOf(config) });
  } catch (error) {
    logger.fatal({ err: error }, 'the hub could not start');
    if (error instanceof RegistryNotSeededError) {
      console.error(
        `the hub did not start: ${error.message} (run it with the hub's LEDGER_BACKEND, FABRIC_CONNECTION_PROFILE ` +
          `and FABRIC_WALLET, as the region's admin; network/README.md)`,
      );
    }
    process.exitCode = 1;
    return;
  }
  const { natsUrl } = config;
  writeRuntimeFile(config.dataDir, {
    url: hub.url,
    natsUrl,
    pid: process.pid,
    startedAt: new Date().toISOString(),
  });
  const token = await hub.issueToken({ subject: 'console-auditor', region: 'BJ', role: 'auditor' });
  console.log(
    `\napproval-ledger hub: ${hub.url}  (API ${hub.url}/api/v1, OpenAPI ${hub.url}/api/v1/openapi.json)`,
  );
  console.log(`data dir: ${config.dataDir}   ledger: ${hub.ledger.engine}   NATS: ${natsUrl}`);
  console.log(`auditor token (BJ, 24 h): ${token}\n`);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining ingest');
    await hub.stop();
    removeRuntimeFile(config.dataDir);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The tuning knobs of the configuration, as startHub takes them (unset: the production defaults). */
function tuningOf(
  config: HubConfig,
): Pick<Parameters<typeof startHub>[0], 'ingest' | 'reconciliation' | 'server'> {
  const t = config.tuning;
  return {
    ingest: {
      ...(t.ingestAckWaitMs === undefined ? {} : { ackWaitMs: t.ingestAckWaitMs }),
      ...(t.ingestMaxInFlight === undefined ? {} : { maxInFlight: t.ingestMaxInFlight }),
    },
    reconciliation:
      t.reconciliationIntervalMs === undefined ? {} : { passDelayMs: t.reconciliationIntervalMs },
    server: {
      ...(t.verifyRateLimit === undefined
        ? {}
        : { verifyRateLimit: { windowMs: 60_000, limit: t.verifyRateLimit } }),
      ...(t.requestLog ? {} : { requestLog: false }),
    },
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
