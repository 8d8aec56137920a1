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
  /** The witness's crypto suite (its key, the logs it trusts); default: the suite of the log keys. */
  readonly suite?: 'intl' | 'gm';
}

/**
 * The suite of a witness: the one asked for, else the log keys' (which must agree). A log key of another suite
 * than the one asked for is refused here, before any key is made in the witness's directory.
 */
export function witnessSuiteOf(logs: readonly NoteVerifier[], asked?: 'intl' | 'gm'): 'intl' | 'gm' {
  const other = asked && logs.find((k) => k.suite !== asked);
  if (other) {
    throw new TypeError(
      `a ${asked} witness trusts ${asked} log keys only; ${other.name} is a ${other.suite} ${other.kind} key`,
    );
  }
  if (asked) return asked;
  const suites = [...new Set(logs.map((k) => k.suite))];
  if (suites.length > 1) {
    throw new TypeError(`the log keys mix crypto suites (${suites.join(', ')}): a witness is of one suite`);
  }
  return suites[0] ?? 'intl';
}

export async function runWitness(
  options: WitnessProcessOptions,
): Promise<RunningWitnessServer & { vkey: string }> {
  registerNativeEd25519();
  const logs: NoteVerifier[] = options.logKeys.map((vkey) => parseVerifierKey(vkey));
  const suite = witnessSuiteOf(logs, options.suite);
  const identity = witnessIdentity(options.dir, options.region, undefined, suite);
  const witness = new Witness(options.dir, identity.signer, logs, suite);
  const server = await listenWitness(witness, identity.verifier.vkey, options);
  writeFileSync(
    join(options.dir, 'runtime.json'),
    `${JSON.stringify({ url: server.url, vkey: identity.verifier.vkey, pid: process.pid })}\n`,
  );
  return { ...server, vkey: identity.verifier.vkey };
}
