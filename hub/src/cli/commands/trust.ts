/**
 * `ledger trust export [--quorum n]`: prints this deployment's trust anchors in the text form of protocol's
 * `formatTrustAnchors` (approval-ledger-trust/v1): the ledger's genesis block hash, the log's origin and
 * verifier key (from `<dataDir>/tlog/log.json`, written by the hub's checkpointer), and the witnesses'
 * verifier keys (LEDGER_WITNESSES when set, else the data dir's own witnesses other than the log's region).
 * A region publishes this; a verifier pins it.
 *
 * `ledger tlog keys [--log-region BJ] [--witnesses BJ,TJ,HE] [--json]`: makes sure the log key and the
 * witnesses' keys exist in the data dir (generating them on first use) and prints their verifier keys;
 * `npm start` runs it to wire the witnesses and the hub together before starting them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatTrustAnchors,
  parseVerifierKey,
  REGION_CODES,
  RegionSchema,
  type RegionCode,
} from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { ArtefactSuiteMismatchError, fixArtefactSuite } from '../../artefact-suite';
import { type LogDescription, tlogDir } from '../../tlog/checkpointer';
import { logIdentity, witnessDirOf, witnessIdentity } from '../../tlog/tlog-identity';
import { type CliCommand } from '../cli-command';
import { CliFailure, runCommand } from '../cli-failure';
import { cliConfig, dataDirectory } from '../data-dir';

export const trustCommand: CliCommand = {
  name: 'trust',
  register(program: Command): void {
    const trust = program.command('trust').description('the trust anchors a region publishes');
    trust
      .command('export')
      .description('print the genesis hash, the log key and the witness keys (approval-ledger-trust/v1)')
      .option('--quorum <n>', 'witness cosignatures a checkpoint needs (default: every witness)')
      .action((options: { quorum?: string }) =>
        runCommand(() => {
          process.stdout.write(exportTrustAnchors(dataDirectory(), options.quorum));
        }, 2),
      );
  },
};

export const tlogCommand: CliCommand = {
  name: 'tlog',
  register(program: Command): void {
    const tlog = program.command('tlog').description('the transparency log and its witnesses');
    tlog
      .command('keys')
      .description('create (first time) and print the log key and the witness keys of this data dir')
      .option('--log-region <region>', 'the region operating the log', 'BJ')
      .option('--witnesses <regions>', 'regions running a witness here', REGION_CODES.join(','))
      .option('--json', 'print JSON')
      .action((options: { logRegion: string; witnesses: string; json?: boolean }) =>
        runCommand(() => {
          const keys = ensureTlogKeys(dataDirectory(), options.logRegion, options.witnesses);
          process.stdout.write(options.json ? `${JSON.stringify(keys)}\n` : keysText(keys));
        }, 2),
      );
  },
};

interface TlogKeys {
  readonly log: { readonly region: RegionCode; readonly origin: string; readonly vkey: string };
  readonly witnesses: readonly { readonly region: RegionCode; readonly vkey: string; readonly dir: string }[];
}

function regionOf(value: string, option: string): RegionCode {
  const parsed = RegionSchema.safeParse(value.trim());
  if (!parsed.success) throw new CliFailure(`${option} ${value} is not one of ${REGION_CODES.join(', ')}`, 2);
  return parsed.data;
}

export function ensureTlogKeys(
  dataDir: string,
  logRegion: string,
  witnessRegions: string,
  env: NodeJS.ProcessEnv = process.env,
): TlogKeys {
  const region = regionOf(logRegion, '--log-region');
  const suite = artefactSuiteFromEnv(dataDir, env);
  const log = logIdentity(dataDir, region, suite);
  const witnesses = witnessRegions
    .split(',')
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const witnessRegion = regionOf(r, '--witnesses');
      const dir = witnessDirOf(dataDir, witnessRegion);
      const identity = witnessIdentity(dir, witnessRegion, undefined, suite);
      return { region: witnessRegion, vkey: identity.verifier.vkey, dir };
    });
  return { log: { region, origin: log.name, vkey: log.verifier.vkey }, witnesses };
}

/** LEDGER_CRYPTO (default intl), fixed for the data dir as the hub fixes it: the keys are made in that suite. */
function artefactSuiteFromEnv(dataDir: string, env: NodeJS.ProcessEnv): 'intl' | 'gm' {
  const asked = env.LEDGER_CRYPTO ?? 'intl';
  if (asked !== 'intl' && asked !== 'gm') throw new CliFailure(`LEDGER_CRYPTO=${asked} is not intl or gm`, 2);
  try {
    return fixArtefactSuite(dataDir, asked);
  } catch (error) {
    if (error instanceof ArtefactSuiteMismatchError) throw new CliFailure(error.message, 2);
    throw error;
  }
}

function keysText(keys: TlogKeys): string {
  const lines = [`log ${keys.log.region} ${keys.log.vkey}`];
  for (const w of keys.witnesses) lines.push(`witness ${w.region} ${w.vkey}`);
  return `${lines.join('\n')}\n`;
}

export function exportTrustAnchors(dataDir: string, quorumOption?: string, env = process.env): string {
  const path = join(tlogDir(dataDir), 'log.json');
  if (!existsSync(path)) {
    throw new CliFailure(`no transparency log in ${dataDir} (${path} is missing): start the hub first`, 2);
  }
  const log = JSON.parse(readFileSync(path, 'utf8')) as LogDescription;
  const witnesses = witnessKeys(dataDir, log.region, env);
  const quorum = quorumOption === undefined ? witnesses.length : Number(quorumOption);
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw new CliFailure(`--quorum ${quorumOption} must be 0..${witnesses.length} (the witnesses known)`, 2);
  }
  return formatTrustAnchors({
    crypto: log.crypto,
    genesis: log.genesis,
    logs: [parseVerifierKey(log.vkey)],
    witnesses,
    quorum,
  });
}

/** The configured witnesses (LEDGER_WITNESSES), else the witness keys found in the data dir. */
function witnessKeys(dataDir: string, logRegion: RegionCode, env: NodeJS.ProcessEnv) {
  const configured = env.LEDGER_WITNESSES ? cliConfig(env, dataDir).tlog?.witnesses : undefined;
  if (configured) {
    return configured
      .filter((w) => w.region !== logRegion)
      .map((w) => ({ region: w.region, key: parseVerifierKey(w.vkey) }));
  }
  const root = join(dataDir, 'witness');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((region) => region !== logRegion && (REGION_CODES as readonly string[]).includes(region))
    .filter((region) => existsSync(join(root, region, 'witness.vkey')))
    .sort()
    .map((region) => ({
      region: region as RegionCode,
      key: parseVerifierKey(readFileSync(join(root, region, 'witness.vkey'), 'utf8')),
    }));
}
