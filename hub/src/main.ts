#!/usr/bin/env node
/**
 * `node hub/dist/main.js`: the hub as a process. Reads the configuration from the environment, starts a local
 * nats-server with JetStream in `<dataDir>/nats` when NATS_URL is unset, runs the hub, prints its URL and an
 * auditor token, and stops cleanly (draining ingest) on SIGINT or SIGTERM.
 */
import './native-hash';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@approval-ledger/testkit';
import pino, { type Logger } from 'pino';
import { ConfigError, loadConfig, type HubConfig } from './config';
import { startHub, type RunningHub } from './hub';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { RegistryNotSeededError } from './services/registry-seeder';

async function localNats(config: HubConfig, logger: Logger): Promise<NatsServer> {
  const storeDir = join(config.dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const server = await startNatsServer({ storeDir, keepStoreDir: true, preferredPort: 4222 });
  logger.info({ url: server.url, storeDir }, 'started a local nats-server with JetStream');
  return server;
}

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
  const nats = config.natsUrl ? undefined : await localNats(config, logger);
  let hub: RunningHub;
  try {
    hub = await startHub({
      config,
      logger,
      natsUrl: config.natsUrl ?? (nats as NatsServer).url,
      ...tuning(),
    });
  } catch (error) {
    logger.fatal({ err: error }, 'the hub could not start');
    if (error instanceof RegistryNotSeededError) {
      console.error(
        `the hub did not start: ${error.message} (run it with the hub's LEDGER_BACKEND, FABRIC_CONNECTION_PROFILE ` +
          `and FABRIC_WALLET, as the region's admin; network/README.md)`,
      );
    }
    await nats?.stop();
    process.exitCode = 1;
    return;
  }
  const natsUrl = config.natsUrl ?? (nats as NatsServer).url;
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
    await nats?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Tuning knobs for tests and benchmarks (unset: the production defaults). */
function tuning(): Pick<Parameters<typeof startHub>[0], 'ingest' | 'reconciliation' | 'server'> {
  const number = (name: string): number | undefined => {
    const value = process.env[name];
    return value === undefined || value === '' ? undefined : Number(value);
  };
  const ackWaitMs = number('HUB_INGEST_ACK_WAIT_MS');
  const maxInFlight = number('HUB_INGEST_MAX_IN_FLIGHT');
  const passDelayMs = number('HUB_RECONCILIATION_INTERVAL_MS');
  const verifyLimit = number('HUB_VERIFY_RATE_LIMIT');
  return {
    ingest: { ...(ackWaitMs ? { ackWaitMs } : {}), ...(maxInFlight ? { maxInFlight } : {}) },
    reconciliation: passDelayMs ? { passDelayMs } : {},
    server: {
      ...(verifyLimit ? { verifyRateLimit: { windowMs: 60_000, limit: verifyLimit } } : {}),
      ...(process.env.HUB_REQUEST_LOG === 'false' ? { requestLog: false } : {}),
    },
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
