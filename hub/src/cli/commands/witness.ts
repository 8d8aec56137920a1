/**
 * `ledger witness --region TJ --log <vkey> [--port N] [--dir D]`: runs the region's C2SP tlog-witness
 * (hub/src/witness/) until SIGTERM. `npm start` runs one per region. The log keys it trusts are given
 * explicitly (repeat --log, or LEDGER_WITNESS_LOGS, comma-separated): a witness pins the logs it watches.
 */
import { RegionSchema } from '@approval-ledger/protocol';
import { type Command } from 'commander';
import { witnessDirOf } from '../../tlog/tlog-identity';
import { runWitness, type WitnessProcessOptions } from '../../witness/run-witness';
import { type CliCommand } from '../cli-command';
import { CliFailure, runCommand } from '../cli-failure';
import { dataDirectory } from '../data-dir';

interface WitnessOptions {
  region: string;
  log: string[];
  port: string;
  host: string;
  dir?: string;
  suite?: string;
}

export const witnessCommand: CliCommand = {
  name: 'witness',
  register(program: Command): void {
    program
      .command('witness')
      .description("run a region's transparency-log witness (C2SP tlog-witness) until stopped")
      .requiredOption('--region <region>', 'BJ, TJ or HE')
      .option(
        '--log <vkey>',
        'a log verifier key to witness (repeatable)',
        (v: string, all: string[]) => [...all, v],
        [],
      )
      .option('--port <port>', 'TCP port (0: any free port)', '0')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--dir <dir>', 'key and state directory (default <data dir>/witness/<region>)')
      .option(
        '--suite <suite>',
        "intl (Ed25519 cosignatures) or gm (国密: SM2 cosignatures of an SM3 log); default: the log keys' suite",
      )
      .action((options: WitnessOptions) => runCommand(() => startWitness(options), 2));
  },
};

async function startWitness(options: WitnessOptions): Promise<void> {
  const region = RegionSchema.safeParse(options.region);
  if (!region.success) throw new CliFailure(`--region ${options.region} is not BJ, TJ or HE`, 2);
  const fromEnv = (process.env.LEDGER_WITNESS_LOGS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const logKeys = [...options.log, ...fromEnv];
  if (logKeys.length === 0)
    throw new CliFailure('no log to witness: give --log <vkey> or LEDGER_WITNESS_LOGS', 2);
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliFailure(`--port ${options.port} is not a port`, 2);
  const dir = options.dir ?? witnessDirOf(dataDirectory(), region.data);
  const server = await runWitnessOrFail({
    region: region.data,
    dir,
    logKeys,
    host: options.host,
    port,
    ...suiteOf(options.suite),
  });
  process.stdout.write(
    `${JSON.stringify({ witness: region.data, url: server.url, vkey: server.vkey, dir })}\n`,
  );
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** --suite: intl or gm (absent: the log keys' suite); anything else exits 2, naming the option. */
function suiteOf(suite: string | undefined): { suite?: 'intl' | 'gm' } {
  if (suite === undefined) return {};
  if (suite !== 'intl' && suite !== 'gm') throw new CliFailure(`--suite ${suite} is not intl or gm`, 2);
  return { suite };
}

/** Runs the witness; log keys that do not fit its suite (a TypeError naming them) exit 2. */
async function runWitnessOrFail(options: WitnessProcessOptions): ReturnType<typeof runWitness> {
  try {
    return await runWitness(options);
  } catch (error) {
    if (error instanceof TypeError) throw new CliFailure(error.message, 2);
    throw error;
  }
}
