/**
 * `ledger enroll --region BJ --role approver --dept HC [--user name] --secret S [--registrar label]`: enrolls a
 * client identity with the region's Fabric CA (fabric-ca-client), requesting the `ledger.role` / `ledger.dept`
 * attributes, and stores it in the fabric-network file wallet (FABRIC_WALLET, default `<data dir>/wallet`) under
 * `<region>/<label>.id`, where the Fabric engine finds it. With `--registrar`, that wallet identity first
 * registers the user with those attributes.
 *
 * `ledger enroll --region BJ --user ledger-registrar --secret S` (no --role): enrolls a CA identity that does
 * not transact, without attribute requests, under its user name: the CA's `ledger-registrar`, which
 * `--registrar ledger-registrar` then uses.
 */
import { join } from 'node:path';
import {
  DepartmentSchema,
  RegionSchema,
  RoleSchema,
  type DepartmentCode,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadConnectionProfile } from '../../ledger/fabric/connection-profile';
import { type EnrolledIdentity } from '../../ledger/fabric/enrollment';
import type * as FabricWallet from '../../ledger/fabric/fabric-wallet';
import { type LedgerIdentity } from '../../ledger/ledger-port';
import { type CliCommand } from '../cli-command';
import { dataDirectory } from '../data-dir';

export interface EnrollCommandOptions {
  region: RegionCode;
  role?: Role;
  dept?: DepartmentCode;
  user?: string;
  secret?: string;
  registrar?: string;
  profile?: string;
  wallet?: string;
}

function parser<T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, what: string) {
  return (value: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`not a ${what}`);
    return parsed.data as T;
  };
}

export const enrollCommand: CliCommand = {
  name: 'enroll',
  register(program: Command): void {
    program
      .command('enroll')
      .description(
        'enroll a client identity with the Fabric CA into the file wallet (ledger.role / ledger.dept attributes)',
      )
      .addOption(
        new Option('--region <region>', 'BJ, TJ or HE')
          .argParser(parser(RegionSchema, 'region'))
          .makeOptionMandatory(),
      )
      .addOption(
        new Option(
          '--role <role>',
          'approver, authority, admin or auditor (omit, with --user, for a CA identity such as ledger-registrar)',
        ).argParser(parser(RoleSchema, 'role')),
      )
      .addOption(
        new Option('--dept <dept>', 'department code (approvers need one)').argParser(
          parser(DepartmentSchema, 'department'),
        ),
      )
      .option('--user <name>', 'enrollment id / wallet label (default <role>[-<dept>])')
      .option('--secret <secret>', 'enrollment secret (default: ENROLL_SECRET)')
      .option('--registrar <label>', 'register the identity first, as this registrar identity of the wallet')
      .option('--profile <file>', 'connection profile (default: FABRIC_CONNECTION_PROFILE)')
      .option('--wallet <dir>', 'wallet root (default: FABRIC_WALLET or <data dir>/wallet)')
      .action(async (options: EnrollCommandOptions) => {
        process.exitCode = await runEnroll(options);
      });
  },
};

export async function runEnroll(
  options: EnrollCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const inputs = enrollInputs(options, env);
  if (typeof inputs === 'string') return fail(inputs);
  const { secret, profile, identity } = inputs;
  const connection = loadConnectionProfile(profile);
  if (connection.region !== identity.region) {
    return fail(
      `the profile ${profile} is ${connection.mspId}'s; it cannot enroll a ${identity.region} identity`,
    );
  }
  // loaded only by this command: fabric-network and fabric-ca-client are large
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { enrollIdentity } = require('../../ledger/fabric/fabric-wallet') as typeof FabricWallet;
  const result = await enrollIdentity({
    connection,
    identity,
    secret,
    walletRoot: options.wallet ?? env.FABRIC_WALLET ?? join(dataDirectory(env), 'wallet'),
    ...(options.registrar ? { registrar: options.registrar } : {}),
  });
  console.log(`enrolled '${result.label}' (${connection.mspId}) into ${result.walletDir}`);
  return 0;
}

/** The secret, profile and identity to enroll with, or why the options do not give them. */
function enrollInputs(
  options: EnrollCommandOptions,
  env: NodeJS.ProcessEnv,
): { secret: string; profile: string; identity: EnrolledIdentity } | string {
  const secret = options.secret ?? env.ENROLL_SECRET;
  const profile = options.profile ?? env.FABRIC_CONNECTION_PROFILE;
  if (!secret) return '--secret: required (or ENROLL_SECRET)';
  if (!profile) return '--profile: required (or FABRIC_CONNECTION_PROFILE)';
  const identity = identityOf(options);
  return typeof identity === 'string' ? identity : { secret, profile, identity };
}

/** The identity to enroll, or why the options name none. */
export function identityOf(options: EnrollCommandOptions): EnrolledIdentity | string {
  if (options.role === undefined) {
    if (options.user === undefined) return '--role: required, or --user for a CA identity without a role';
    if (options.dept !== undefined) return '--dept: only with --role';
    if (options.registrar !== undefined) return '--registrar: registers identities with a role only';
    return { region: options.region, user: options.user };
  }
  if (options.role === 'approver' && options.dept === undefined)
    return '--dept: an approver needs a department';
  const identity: LedgerIdentity = {
    region: options.region,
    role: options.role,
    ...(options.dept ? { dept: options.dept } : {}),
    ...(options.user ? { user: options.user } : {}),
  };
  return identity;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}
