/**
 * Tianjin's and Hebei's witnesses of the Beijing log of a data dir, each a real witness over HTTP on a free port
 * with its key and state in `<dataDir>/witness/<region>/`, as `npm start` runs them: for suites that need
 * checkpoints cosigned, in the log's crypto suite.
 */
import { join } from 'node:path';
import { type RegionCode } from '@approval-ledger/protocol';
import { logIdentity, witnessIdentity } from '../../src/tlog/tlog-identity';
import { type WitnessEndpoint } from '../../src/tlog/witness-client';
import { Witness } from '../../src/witness/witness';
import { listenWitness, type RunningWitnessServer } from '../../src/witness/witness-server';

export interface RegionalWitnesses {
  /** Where the checkpointer asks for cosignatures. */
  readonly endpoints: WitnessEndpoint[];
  /** Closes every witness server. */
  close(): Promise<void>;
}

export async function listenRegionalWitnesses(
  dataDir: string,
  regions: readonly RegionCode[] = ['TJ', 'HE'],
  suite: 'intl' | 'gm' = 'intl',
): Promise<RegionalWitnesses> {
  const logKey = logIdentity(dataDir, 'BJ', suite).verifier;
  const servers: RunningWitnessServer[] = [];
  const endpoints: WitnessEndpoint[] = [];
  for (const region of regions) {
    const dir = join(dataDir, 'witness', region);
    const identity = witnessIdentity(dir, region, undefined, suite);
    const witness = new Witness(dir, identity.signer, [logKey], suite);
    const server = await listenWitness(witness, identity.verifier.vkey);
    servers.push(server);
    endpoints.push({ region, url: server.url, key: identity.verifier });
  }
  return {
    endpoints,
    async close() {
      for (const server of servers) await server.close();
    },
  };
}
