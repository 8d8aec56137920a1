/**
 * The issuer registry (each department of a region granted the stages and certificate types it may anchor) and
 * the signer registry (officials whose EIP-712 keys sign recognition decisions), kept on the ledger by each
 * region's admin, on either engine:
 *
 * - `seedRegion`: the default grant of every department that has none (protocol's STAGES and CERTIFICATE_TYPES)
 *   and a signer when the region has no active one. Fills gaps only: a department that has any grant, and a
 *   region that has an active signer, are left as their admin made them. Idempotent: a second run writes
 *   nothing and reports every entry `unchanged`.
 * - `grantIssuer`, `registerSigner`, `revokeSigner`: one entry, written only when it would change something.
 * - `registryReadiness`: what a region's registries lack, for the hub's start on Fabric (`hub.ts`) and
 *   `ledger registry status`.
 *
 * A new embedded ledger is seeded at the hub's first start (`seedRegistries`, every region, with a demo official
 * per region whose key is kept in `<dataDir>/keys/officials/`); a Fabric channel is seeded by each region's admin
 * with `ledger registry seed` (the hub holds no other region's admin identity). Under the namespace plan a
 * region's registries live in its own namespace (`approval-beijing`, ...), read and written there whoever reads.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CERTIFICATE_TYPES,
  DEPARTMENT_CODES,
  REGION_CODES,
  REGIONS,
  STAGES,
  type CertificateType,
  type DepartmentCode,
  type IssuerGrant,
  type RegionCode,
  type SignerRegistration,
  type StageCode,
} from '@approval-ledger/protocol';
import { Wallet } from 'ethers';
import { type LedgerIdentity, type LedgerPort, parseResult, regionScope } from '../ledger';

/** Grants start here so that historical decisions from the legacy systems are covered. */
export const SEED_VALID_FROM = '2000-01-01T00:00:00+08:00';

export interface OfficialKey {
  readonly region: RegionCode;
  readonly address: string;
  readonly privateKey: string;
  readonly name: string;
}

export interface SeedReport {
  readonly grants: number;
  readonly signers: number;
}

/** What one registry operation did: `written` to the ledger, or `unchanged` because the ledger already had it. */
export interface RegistryChange {
  readonly region: RegionCode;
  readonly entry: string;
  readonly outcome: 'written' | 'unchanged';
  readonly txId?: string;
}

/** A grant as listed by `issuers:List`, or a signer by `recognition:ListSigners` (with their ledger stamps). */
type ListedGrant = IssuerGrant & { readonly txId?: string };
type ListedSigner = SignerRegistration & { readonly revokedAt?: string; readonly txId?: string };

export interface RegistryReadiness {
  readonly region: RegionCode;
  /** Departments with a default grant that have no grant at all. */
  readonly departmentsWithoutGrant: readonly DepartmentCode[];
  readonly grants: number;
  readonly activeSigners: number;
}

const adminOf = (region: RegionCode): LedgerIdentity => ({ region, role: 'admin' });
const grantEntry = (g: IssuerGrant): string => `grant ${g.region}/${g.dept} from ${g.validFrom}`;
const signerEntry = (region: RegionCode, address: string): string => `signer ${region}/${address}`;

export async function listGrants(
  ledger: LedgerPort,
  region: RegionCode,
  reader: LedgerIdentity = adminOf(region),
): Promise<ListedGrant[]> {
  const listed = await ledger.evaluate(reader, 'issuers:List', [region, ''], {
    scope: regionScope(region),
  });
  return parseResult<ListedGrant[]>(listed) ?? [];
}

export async function listSigners(
  ledger: LedgerPort,
  region: RegionCode,
  reader: LedgerIdentity = adminOf(region),
): Promise<ListedSigner[]> {
  return (
    parseResult<ListedSigner[]>(
      await ledger.evaluate(reader, 'recognition:ListSigners', [region], { scope: regionScope(region) }),
    ) ?? []
  );
}

function sameGrant(a: IssuerGrant, b: IssuerGrant): boolean {
  const key = (g: IssuerGrant) =>
    JSON.stringify([
      g.region,
      g.dept,
      [...g.stages].sort(),
      [...g.certificateTypes].sort(),
      g.validFrom,
      g.validUntil ?? null,
    ]);
  return key(a) === key(b);
}

/** Writes the grant as the region's admin unless an identical one (same validFrom) is on the ledger. */
export async function grantIssuer(ledger: LedgerPort, grant: IssuerGrant): Promise<RegistryChange> {
  const existing = await listGrants(ledger, grant.region);
  if (existing.some((g) => sameGrant(g, grant))) {
    return { region: grant.region, entry: grantEntry(grant), outcome: 'unchanged' };
  }
  const tx = await ledger.submit(adminOf(grant.region), 'issuers:Grant', [JSON.stringify(grant)], {
    scope: regionScope(grant.region),
  });
  return { region: grant.region, entry: grantEntry(grant), outcome: 'written', txId: tx.txId };
}

/** Registers the signer as its region's admin unless that address is registered already (revoked or not). */
export async function registerSigner(
  ledger: LedgerPort,
  registration: SignerRegistration,
): Promise<RegistryChange> {
  const { region, address } = registration;
  const listed = await listSigners(ledger, region);
  if (listed.some((s) => s.address.toLowerCase() === address.toLowerCase())) {
    return { region, entry: signerEntry(region, address), outcome: 'unchanged' };
  }
  const tx = await ledger.submit(
    adminOf(region),
    'recognition:RegisterSigner',
    [JSON.stringify(registration)],
    { scope: regionScope(region) },
  );
  return { region, entry: signerEntry(region, address), outcome: 'written', txId: tx.txId };
}

/** Revokes a registered signer as its region's admin; a signer already revoked is left unchanged. */
export async function revokeSigner(
  ledger: LedgerPort,
  region: RegionCode,
  address: string,
): Promise<RegistryChange> {
  const signer = (await listSigners(ledger, region)).find(
    (s) => s.address.toLowerCase() === address.toLowerCase(),
  );
  if (!signer) throw new Error(`address: ${address} is not a registered signer of ${region}`);
  if (signer.revokedAt !== undefined) {
    return { region, entry: signerEntry(region, signer.address), outcome: 'unchanged' };
  }
  const tx = await ledger.submit(adminOf(region), 'recognition:RevokeSigner', [region, signer.address], {
    scope: regionScope(region),
  });
  return { region, entry: signerEntry(region, signer.address), outcome: 'written', txId: tx.txId };
}

/**
 * Fills the gaps of a region's registries: the default grant of each department without any grant, and
 * `signer` when the region has no active signer.
 */
export async function seedRegion(
  ledger: LedgerPort,
  region: RegionCode,
  signer: () => SignerRegistration,
): Promise<RegistryChange[]> {
  const changes: RegistryChange[] = [];
  const granted = new Set((await listGrants(ledger, region)).map((g) => g.dept));
  for (const grant of defaultGrants(region)) {
    changes.push(
      granted.has(grant.dept)
        ? { region, entry: `grant ${region}/${grant.dept}`, outcome: 'unchanged' }
        : await grantIssuer(ledger, grant),
    );
  }
  const active = (await listSigners(ledger, region)).filter((s) => s.revokedAt === undefined);
  if (active.length > 0) {
    for (const s of active)
      changes.push({ region, entry: signerEntry(region, s.address), outcome: 'unchanged' });
  } else {
    changes.push(await registerSigner(ledger, signer()));
  }
  return changes;
}

/** The signer registration of the data dir's demo official of a region (created on first use). */
export function officialRegistration(dataDir: string, region: RegionCode): SignerRegistration {
  const official = officialKey(dataDir, region);
  return { region, address: official.address, name: official.name, validFrom: SEED_VALID_FROM };
}

/** What a region's registries lack; read as `reader` (any identity of the region may read them). */
export async function registryReadiness(
  ledger: LedgerPort,
  region: RegionCode,
  reader: LedgerIdentity,
): Promise<RegistryReadiness> {
  const grants = await listGrants(ledger, region, reader);
  const granted = new Set(grants.map((g) => g.dept));
  const signers = await listSigners(ledger, region, reader);
  return {
    region,
    departmentsWithoutGrant: defaultGrants(region)
      .map((g) => g.dept)
      .filter((d) => !granted.has(d)),
    grants: grants.length,
    activeSigners: signers.filter((s) => s.revokedAt === undefined).length,
  };
}

/** The command an operator runs to fill what `readiness` says is missing. */
export const SEED_COMMAND = (region: RegionCode): string => `npx ledger registry seed --region ${region}`;

/** Plain sentences for what a region's registries lack, each naming the command that fixes it; [] when ready. */
export function describeReadiness(readiness: RegistryReadiness): string[] {
  const { region } = readiness;
  const lines: string[] = [];
  if (readiness.grants === 0) {
    lines.push(
      `the issuer registry of ${region} is empty: every ${region} milestone and certificate would be refused ` +
        `(ISSUER_NOT_AUTHORISED) and dead-lettered. ${region}'s admin seeds it with: ${SEED_COMMAND(region)}`,
    );
  } else if (readiness.departmentsWithoutGrant.length > 0) {
    lines.push(
      `the issuer registry of ${region} has no grant for ${readiness.departmentsWithoutGrant.join(', ')}: ` +
        `their records will be refused (ISSUER_NOT_AUTHORISED). Grant them with: ${SEED_COMMAND(region)} ` +
        `(or npx ledger registry grant --region ${region} --dept <dept>)`,
    );
  }
  if (readiness.activeSigners === 0) {
    lines.push(
      `the signer registry of ${region} has no active signer: no recognition decision of ${region} can be ` +
        `recorded. Register one with: npx ledger registry signer add --region ${region} --address <0x…> --name <name> ` +
        `(or ${SEED_COMMAND(region)} for the data dir's demo official)`,
    );
  }
  return lines;
}

/** The demo official of a region (created on first use), whose key signs recognition decisions. */
export function officialKey(dataDir: string, region: RegionCode): OfficialKey {
  const dir = join(dataDir, 'keys', 'officials');
  const file = join(dir, `${region}.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const wallet = Wallet.createRandom();
    const key: OfficialKey = {
      region,
      address: wallet.address,
      privateKey: wallet.privateKey,
      name: `${REGIONS[region].zh}互认审批官员`,
    };
    writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as OfficialKey;
}

/** The default grant of each department that handles stages or certificates (none for SAMR, CREDIT). */
export function defaultGrants(region: RegionCode): IssuerGrant[] {
  return DEPARTMENT_CODES.flatMap((dept) => {
    const stages = (Object.keys(STAGES) as StageCode[]).filter((s) => STAGES[s].dept === dept);
    const certificateTypes = (Object.keys(CERTIFICATE_TYPES) as CertificateType[]).filter(
      (t) => STAGES[CERTIFICATE_TYPES[t].stage].dept === dept,
    );
    if (stages.length === 0 && certificateTypes.length === 0) return [];
    return [{ region, dept, stages, certificateTypes, validFrom: SEED_VALID_FROM }];
  });
}

/** First start of an embedded hub: every region seeded, with the data dir's demo officials as signers. */
export async function seedRegistries(ledger: LedgerPort, dataDir: string): Promise<SeedReport> {
  let grants = 0;
  let signers = 0;
  for (const region of REGION_CODES) {
    for (const change of await seedRegion(ledger, region, () => officialRegistration(dataDir, region))) {
      if (change.outcome !== 'written') continue;
      if (change.entry.startsWith('grant')) grants++;
      else signers++;
    }
  }
  return { grants, signers };
}

/** The hub refuses to start on a ledger whose issuer registry of its region is empty. */
export class RegistryNotSeededError extends Error {
  constructor(
    readonly region: RegionCode,
    readonly missing: readonly string[],
  ) {
    super(missing.join(' '));
    this.name = 'RegistryNotSeededError';
  }
}

/**
 * The start check of a hub whose registries someone else keeps (Fabric): an empty issuer registry of the hub's
 * region would refuse and dead-letter every record, so the hub does not start and says what to run; a partial
 * registry or a missing signer is a warning (a region may withhold grants on purpose).
 */
export async function checkRegistriesAtStart(
  ledger: LedgerPort,
  region: RegionCode,
  warn: (message: string) => void,
): Promise<RegistryReadiness> {
  const readiness = await registryReadiness(ledger, region, { region, role: 'auditor' });
  const missing = describeReadiness(readiness);
  if (readiness.grants === 0) throw new RegistryNotSeededError(region, missing);
  for (const line of missing) warn(line);
  return readiness;
}
