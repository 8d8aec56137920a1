/**
 * Starts the hub's transparency log from the configuration: the log region (on Fabric, the connection
 * profile's region, the only one whose admin this hub holds), the witnesses with their pinned keys, the
 * triggers. Witness keys of another suite than the log's (LEDGER_CRYPTO) are refused at start, naming both. A log
 * that does not match its ledger (`TlogMismatchError`) is reported and left stopped: the
 * hub goes on serving, and publishes nothing rather than a fork.
 */
import { parseVerifierKey, type RegionCode } from '@approval-ledger/protocol';
import { type Logger } from 'pino';
import { type HubConfig } from '../config';
import { type LedgerPort } from '../ledger';
import { loadConnectionProfile } from '../ledger/fabric/connection-profile';
import { Checkpointer, type StatusSource, TlogMismatchError } from './checkpointer';

export async function startTransparencyLog(
  ledger: LedgerPort,
  config: HubConfig,
  logger: Logger,
  status?: StatusSource,
): Promise<Checkpointer | undefined> {
  const tlog = config.tlog;
  if (!tlog) return undefined;
  const region: RegionCode =
    ledger.engine === 'fabric' && config.fabric
      ? loadConnectionProfile(config.fabric.connectionProfile).region
      : tlog.region;
  const witnesses = tlog.witnesses
    .filter((w) => w.region !== region)
    .map((w) => ({ region: w.region, url: w.url, key: parseVerifierKey(w.vkey) }));
  const mixed = witnesses.find((w) => w.key.suite !== config.ledgerCrypto);
  if (mixed) {
    throw new Error(
      `LEDGER_WITNESSES: the ${mixed.region} witness's key is ${mixed.key.suite} (${mixed.key.kind}), but LEDGER_CRYPTO=${config.ledgerCrypto}: a log's witnesses cosign in its suite`,
    );
  }
  try {
    const checkpointer = await Checkpointer.open(
      ledger,
      config.dataDir,
      {
        region,
        everyBlocks: tlog.everyBlocks,
        everyMs: tlog.everyMs,
        witnesses,
        suite: config.ledgerCrypto,
        ...(status ? { status } : {}),
      },
      logger,
    );
    checkpointer.start();
    logger.info(
      {
        origin: checkpointer.origin,
        treeSize: checkpointer.treeSize,
        witnesses: witnesses.map((w) => w.region),
      },
      'transparency log started',
    );
    return checkpointer;
  } catch (error) {
    if (!(error instanceof TlogMismatchError)) throw error;
    logger.error(
      { err: error },
      'the transparency log does not match the ledger; no checkpoints are published',
    );
    return undefined;
  }
}
