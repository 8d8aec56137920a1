/**
 * Chooses and opens the ledger engine from configuration (LEDGER_BACKEND, FABRIC_CONNECTION_PROFILE,
 * FABRIC_WALLET). The Fabric engine is loaded only when chosen, so the embedded default never loads gRPC.
 */
import { join } from 'node:path';
import { EmbeddedLedger, type EmbeddedLedgerOptions } from './embedded/embedded-ledger';
import type * as FabricEngine from './fabric/fabric-ledger';
import { type LedgerPort } from './ledger-port';
import { NAMESPACE_MODES, type NamespaceMode } from './namespace-mode';

export type LedgerConfig =
  | ({ readonly backend: 'embedded' } & EmbeddedLedgerOptions)
  | {
      readonly backend: 'fabric';
      readonly dataDir: string;
      readonly connectionProfile: string;
      readonly walletRoot: string;
      /** FABRIC_NAMESPACE_MODE: overrides the connection profile's `namespaces`. */
      readonly namespaceMode?: NamespaceMode;
    };

/** Thrown for a ledger configuration that cannot work, naming the variable to fix. */
export class LedgerConfigError extends Error {
  override readonly name = 'LedgerConfigError';

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** The ledger configuration the environment describes (see INTERFACES.md "Environment"). */
export function ledgerConfigFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const backend = env.LEDGER_BACKEND ?? 'embedded';
  if (backend === 'embedded') return { backend, dataDir };
  if (backend !== 'fabric')
    throw new LedgerConfigError('LEDGER_BACKEND', `'${backend}' is neither embedded nor fabric`);
  const connectionProfile = env.FABRIC_CONNECTION_PROFILE;
  if (!connectionProfile) {
    throw new LedgerConfigError(
      'FABRIC_CONNECTION_PROFILE',
      'must name a connection profile when LEDGER_BACKEND=fabric',
    );
  }
  const mode = fabricNamespaceMode(env);
  return {
    backend,
    dataDir,
    connectionProfile,
    walletRoot: env.FABRIC_WALLET ?? join(dataDir, 'wallet'),
    ...(mode ? { namespaceMode: mode } : {}),
  };
}

/** FABRIC_NAMESPACE_MODE: how the network was deployed, when the profile does not say it (or says it wrong). */
function fabricNamespaceMode(env: NodeJS.ProcessEnv): NamespaceMode | undefined {
  const mode = env.FABRIC_NAMESPACE_MODE;
  if (mode === undefined || mode === '') return undefined;
  if (!NAMESPACE_MODES.includes(mode as NamespaceMode)) {
    throw new LedgerConfigError('FABRIC_NAMESPACE_MODE', `'${mode}' is neither plan nor legacy`);
  }
  return mode as NamespaceMode;
}

export async function openLedger(config: LedgerConfig): Promise<LedgerPort> {
  if (config.backend === 'embedded') return EmbeddedLedger.open(config);
  // loaded on demand: the embedded default never loads gRPC and the Fabric client
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FabricLedger } = require('./fabric/fabric-ledger') as typeof FabricEngine;
  return FabricLedger.open(config);
}
