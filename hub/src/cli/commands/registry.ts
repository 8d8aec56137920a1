/**
 * `ledger registry …`: a region's admin keeps the issuer registry (which department may anchor which stages and
 * certificate types) and the signer registry (officials who sign recognition decisions) on the ledger the
 * environment names (LEDGER_BACKEND, FABRIC_CONNECTION_PROFILE, FABRIC_WALLET; embedded: the data dir's ledger,
 * which a running hub holds, so stop it first). Every write is idempotent: what is already on the ledger is
 * reported `unchanged` and not written again.
 *
 *   ledger registry status [--region BJ] [--json]     what the registries hold and lack (exit 0 ready, 1 not)
 *   ledger registry seed [--region BJ] [--signer-address 0x… --signer-name …] [--json]
 *   ledger registry grant --region BJ --dept HC [--stages A,B] [--certificate-types X] [--valid-from T] [--valid-until T]
 *   ledger registry signer add --region BJ --address 0x… --name … [--valid-from T]
 *   ledger registry signer revoke --region BJ --address 0x…
 *
 * Without --region: on Fabric the connection profile's region (a hub holds only its own region's admin), on the
 * embedded engine every region.
 */
import {
  DepartmentSchema,
  IssuerGrantSchema,
  REGION_CODES,
  RegionSchema,
  SignerRegistrationSchema,
  type RegionCode,
  type SignerRegistration,
} from '@approval-ledger/protocol';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ledgerConfigOf } from '../../config';
import { type LedgerPort, openLedger } from '../../ledger';
import { loadConnectionProfile } from '../../ledger/fabric/connection-profile';
import {
  defaultGrants,
  describeReadiness,
  grantIssuer,
  officialRegistration,
  registerSigner,
  type RegistryChange,
  registryReadiness,
  revokeSigner,
  SEED_VALID_FROM,
  seedRegion,
} from '../../services/registry-seeder';
import { type CliCommand } from '../cli-command';
import { cliConfig, dataDirectory } from '../data-dir';

interface Common {
  region?: RegionCode;
  json?: boolean;
}

interface SeedOptions extends Common {
  signerAddress?: string;
  signerName?: string;
}

interface GrantOptions extends Common {
  dept: string;
  stages?: string[];
  certificateTypes?: string[];
  validFrom?: string;
  validUntil?: string;
}

interface SignerOptions extends Common {
  address: string;
  name?: string;
  validFrom?: string;
}

const regionOption = () =>
  new Option(
    '--region <region>',
    'BJ, TJ or HE (default: the profile region on Fabric, every region embedded)',
  ).argParser((value: string): RegionCode => {
    const parsed = RegionSchema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError('region: must be BJ, TJ or HE');
    return parsed.data;
  });

const list = (value: string): string[] => value.split(',').filter((v) => v !== '');

export const registryCommand: CliCommand = {
  name: 'registry',
  register(program: Command): void {
    const registry = program
      .command('registry')
      .description(
        "keep a region's issuer grants and recognition signers on the ledger (idempotent; as its admin)",
      );
    registry
      .command('status')
      .description('what the registries hold and lack (exit 0 ready, 1 something missing)')
      .addOption(regionOption())
      .option('--json', 'print JSON')
      .action(async (options: Common) => {
        process.exitCode = await runRegistry((ledger, regions) => status(ledger, regions, options));
      });
    registry
      .command('seed')
      .description(
        'grant every department without a grant its default stages and certificate types; register a signer if none is active',
      )
      .addOption(regionOption())
      .option(
        '--signer-address <0x…>',
        "the official's EIP-712 address (default: the data dir's demo official)",
      )
      .option('--signer-name <name>', "the official's name (with --signer-address)")
      .option('--json', 'print JSON')
      .action(async (options: SeedOptions) => {
        process.exitCode = await runRegistry((ledger, regions) => seed(ledger, regions, options));
      });
    registry
      .command('grant')
      .description("grant a department stages and certificate types (default: the department's defaults)")
      .addOption(regionOption().makeOptionMandatory())
      .requiredOption('--dept <dept>', 'department code')
      .option('--stages <list>', 'comma-separated stage codes', list)
      .option('--certificate-types <list>', 'comma-separated certificate types', list)
      .option('--valid-from <time>', `ISO 8601 time with offset (default ${SEED_VALID_FROM})`)
      .option('--valid-until <time>', 'ends the grant')
      .option('--json', 'print JSON')
      .action(async (options: GrantOptions) => {
        process.exitCode = await runRegistry(async (ledger) =>
          report([await grant(ledger, options)], options),
        );
      });
    const signer = registry.command('signer').description('register or revoke a recognition signer');
    signer
      .command('add')
      .addOption(regionOption().makeOptionMandatory())
      .requiredOption('--address <0x…>', "the official's EIP-712 address")
      .requiredOption('--name <name>', "the official's name")
      .option('--valid-from <time>', `ISO 8601 time with offset (default ${SEED_VALID_FROM})`)
      .option('--json', 'print JSON')
      .action(async (options: SignerOptions) => {
        process.exitCode = await runRegistry(async (ledger) =>
          report([await registerSigner(ledger, registration(options))], options),
        );
      });
    signer
      .command('revoke')
      .addOption(regionOption().makeOptionMandatory())
      .requiredOption('--address <0x…>', "the official's EIP-712 address")
      .option('--json', 'print JSON')
      .action(async (options: SignerOptions) => {
        process.exitCode = await runRegistry(async (ledger) =>
          report([await revokeSigner(ledger, regionOf(options), options.address)], options),
        );
      });
  },
};

/**
 * Opens the ledger the environment names, runs `work` for the chosen regions and closes the ledger. Input
 * errors (a field and its rule) and ledger refusals are printed; exit 1.
 */
export async function runRegistry(
  work: (ledger: LedgerPort, defaultRegions: readonly RegionCode[]) => Promise<number>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const config = ledgerConfigOf(cliConfig(env));
  const defaultRegions =
    config.backend === 'fabric' ? [loadConnectionProfile(config.connectionProfile).region] : REGION_CODES;
  const ledger = await openLedger(config);
  try {
    return await work(ledger, defaultRegions);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await ledger.close();
  }
}

function regionOf(options: Common): RegionCode {
  if (!options.region) throw new Error('--region: required');
  return options.region;
}

async function status(ledger: LedgerPort, defaults: readonly RegionCode[], options: Common): Promise<number> {
  const regions = options.region ? [options.region] : defaults;
  const readiness = [];
  for (const region of regions)
    readiness.push(await registryReadiness(ledger, region, { region, role: 'admin' }));
  const missing = readiness.flatMap(describeReadiness);
  if (options.json) {
    console.log(JSON.stringify({ engine: ledger.engine, regions: readiness, ready: missing.length === 0 }));
  } else {
    for (const r of readiness) {
      console.log(
        `${r.region}: ${r.grants} grant(s), ${r.activeSigners} active signer(s)` +
          (r.departmentsWithoutGrant.length > 0
            ? `; no grant for ${r.departmentsWithoutGrant.join(', ')}`
            : ''),
      );
    }
    for (const line of missing) console.log(`missing: ${line}`);
    if (missing.length === 0) console.log(`ready: nothing missing (${ledger.engine} ledger)`);
  }
  return missing.length === 0 ? 0 : 1;
}

async function seed(
  ledger: LedgerPort,
  defaults: readonly RegionCode[],
  options: SeedOptions,
): Promise<number> {
  if ((options.signerAddress === undefined) !== (options.signerName === undefined)) {
    throw new Error('--signer-address and --signer-name: give both or neither');
  }
  const regions = options.region ? [options.region] : defaults;
  if (options.signerAddress !== undefined && regions.length !== 1) {
    throw new Error('--signer-address: needs --region (an official signs for one region)');
  }
  const changes: RegistryChange[] = [];
  for (const region of regions) {
    const signer = (): SignerRegistration =>
      options.signerAddress !== undefined
        ? registration({ region, address: options.signerAddress, name: options.signerName ?? '' })
        : officialRegistration(dataDirectory(), region);
    changes.push(...(await seedRegion(ledger, region, signer)));
  }
  return report(changes, options);
}

function grant(ledger: LedgerPort, options: GrantOptions): Promise<RegistryChange> {
  const region = regionOf(options);
  const dept = DepartmentSchema.safeParse(options.dept);
  if (!dept.success) throw new Error(`--dept: ${options.dept} is not a department code`);
  const defaults = defaultGrants(region).find((g) => g.dept === dept.data);
  const parsed = IssuerGrantSchema.safeParse({
    region,
    dept: dept.data,
    stages: options.stages ?? defaults?.stages ?? [],
    certificateTypes: options.certificateTypes ?? defaults?.certificateTypes ?? [],
    ...validity(options),
  });
  if (!parsed.success) throw new Error(issues(parsed.error.issues));
  return grantIssuer(ledger, parsed.data);
}

function validity(options: GrantOptions): { validFrom: string; validUntil?: string } {
  return {
    validFrom: options.validFrom ?? SEED_VALID_FROM,
    ...(options.validUntil !== undefined ? { validUntil: options.validUntil } : {}),
  };
}

function registration(options: { region?: RegionCode; address: string; name?: string; validFrom?: string }) {
  const parsed = SignerRegistrationSchema.safeParse({
    region: options.region,
    address: options.address,
    name: options.name,
    validFrom: options.validFrom ?? SEED_VALID_FROM,
  });
  if (!parsed.success) throw new Error(issues(parsed.error.issues));
  return parsed.data;
}

function issues(list: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return list.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}

function report(changes: readonly RegistryChange[], options: Common): number {
  const written = changes.filter((c) => c.outcome === 'written').length;
  if (options.json) {
    console.log(JSON.stringify({ changes, written }));
    return 0;
  }
  for (const c of changes)
    console.log(
      `${c.outcome === 'written' ? 'written  ' : 'unchanged'} ${c.entry}${c.txId ? ` (tx ${c.txId})` : ''}`,
    );
  console.log(
    written === 0
      ? 'nothing to do: the ledger already holds every entry'
      : `${written} written, ${changes.length - written} unchanged`,
  );
  return 0;
}
