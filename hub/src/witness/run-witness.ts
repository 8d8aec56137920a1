/**
 * Runs one region's witness as a process (`ledger witness`): its key and state in its own directory
 * (default `<dataDir>/witness/<region>`), the logs it trusts given as verifier keys, HTTP on host:port.
 * Writes `<dir>/runtime.json` ({ url, vkey }) once listening; SIGTERM/SIGINT close it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NoteVerifier, parseVerifierKey, type RegionCode } from '@approval-ledger/protocol';
import { registerNativeEd25519 } from '../tlog/ed25519-key';
import { witnessIdentity } from '../tlog/tlog-identity';
import { Witness } from './witness';
import { listenWitness, type RunningWitnessServer } from './witness-server';

export interface WitnessProcessOptions {
  readonly region: RegionCode;
  readonly dir: string;
  readonly logKeys: readonly string[];
  readonly host?: string;
  readonly port?: number;
}

export async function runWitness(
  options: WitnessProcessOptions,
): Promise<RunningWitnessServer & { vkey: string }> {
  registerNativeEd25519();
  const logs: NoteVerifier[] = options.logKeys.map((vkey) => parseVerifierKey(vkey));
  const identity = witnessIdentity(options.dir, options.region);
  const witness = new Witness(options.dir, identity.signer, logs);
  const server = await listenWitness(witness, identity.verifier.vkey, options);
  writeFileSync(
    join(options.dir, 'runtime.json'),
    `${JSON.stringify({ url: server.url, vkey: identity.verifier.vkey, pid: process.pid })}\n`,
  );
  return { ...server, vkey: identity.verifier.vkey };
}
