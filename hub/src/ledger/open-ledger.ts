/**
 * Opens the ledger engine a LedgerConfig names (the hub's configuration makes one: config.ts `ledgerConfigOf`).
 * The Fabric engine is loaded only when chosen, so the embedded default never loads gRPC.
 */
import { EmbeddedLedger, type EmbeddedLedgerOptions } from './embedded/embedded-ledger';
import type * as FabricEngine from './fabric/fabric-ledger';
import { type LedgerPort } from './ledger-port';
import { type NamespaceMode } from './namespace-mode';

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

export async function openLedger(config: LedgerConfig): Promise<LedgerPort> {
  if (config.backend === 'embedded') return EmbeddedLedger.open(config);
  // loaded on demand: the embedded default never loads gRPC and the Fabric client
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FabricLedger } = require('./fabric/fabric-ledger') as typeof FabricEngine;
  return FabricLedger.open(config);
}
