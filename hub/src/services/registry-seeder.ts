/**
 * First start of an embedded hub: the issuer registry (each department of each region granted the stages
 * and certificate types it handles by default, from protocol's STAGES and CERTIFICATE_TYPES) and the signer
 * registry (one demo official per region, whose EIP-712 key is kept in `<dataDir>/keys/officials/`), so that
 * the adapters' records anchor and recognitions can be decided at once. Each entry is written only when the
 * registry lacks it, as that region's admin identity.
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
import { type LedgerPort, parseResult } from '../ledger';

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

export async function seedRegistries(ledger: LedgerPort, dataDir: string): Promise<SeedReport> {
  let grants = 0;
  let signers = 0;
  for (const region of REGION_CODES) {
    const admin = { region, role: 'admin' as const };
    const existing =
      parseResult<{ dept: DepartmentCode }[]>(await ledger.evaluate(admin, 'issuers:List', [region, ''])) ??
      [];
    const granted = new Set(existing.map((g) => g.dept));
    for (const grant of defaultGrants(region).filter((g) => !granted.has(g.dept))) {
      await ledger.submit(admin, 'issuers:Grant', [JSON.stringify(grant)]);
      grants++;
    }
    const listed =
      parseResult<unknown[]>(await ledger.evaluate(admin, 'recognition:ListSigners', [region])) ?? [];
    if (listed.length === 0) {
      const official = officialKey(dataDir, region);
      const registration: SignerRegistration = {
        region,
        address: official.address,
        name: official.name,
        validFrom: SEED_VALID_FROM,
      };
      await ledger.submit(admin, 'recognition:RegisterSigner', [JSON.stringify(registration)]);
      signers++;
    }
  }
  return { grants, signers };
}
