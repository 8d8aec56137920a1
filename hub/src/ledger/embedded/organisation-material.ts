/**
 * The embedded ledger's organisations, made on first start in `<dataDir>/ledger/msp/`: per region a CA
 * (ECDSA P-256 key + self-signed certificate, or with LEDGER_CRYPTO=gm an SM2 key and an SM2-with-SM3
 * certificate) and its peer's endorsing identity; an orderer organisation with
 * its CA and orderer node identity; client identities per region, role and department, issued on demand by
 * the region's CA with the `ledger.role` / `ledger.dept` attribute extension that fabric-shim's ClientIdentity
 * reads. Certificates and keys are the chaincode stub's (Fabric CA's shapes). Layout:
 *
 *   msp/orderer/{ca,orderer}-{cert,key}.pem
 *   msp/<beijing|tianjin|hebei>/{ca,peer}-{cert,key}.pem
 *   msp/<region>/users/<label>.id      (a fabric-network wallet entry: {credentials, mspId, type, version})
 *
 * Creation is crash-safe: everything is written to a temporary directory that is renamed into place.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { REGION_CODES, REGIONS, regionByMspId, type RegionCode } from '@approval-ledger/protocol';
import { IdentityNotFoundError } from '../errors';
import { identityLabel, mspIdOf, regionFolder } from '../identity-label';
import { type LedgerIdentity } from '../ledger-port';
import { type CryptoSuiteName, extensionValue, pemToDer } from '@approval-ledger/protocol';
import {
  certificateAuthorityFromPem,
  createCertificateAuthority,
  FABRIC_ATTRIBUTE_OID,
  type OrganisationCa,
  type X509Identity,
} from '@approval-ledger/fabric-engine';

export const ORDERER_MSP_ID = 'OrdererMSP';
const DOMAIN = 'ledger.gov.cn';

export interface OrganisationMaterial {
  readonly region: RegionCode;
  readonly mspId: string;
  readonly ca: OrganisationCa;
  readonly peer: X509Identity;
}

export interface OrdererMaterial {
  readonly mspId: string;
  readonly ca: OrganisationCa;
  readonly orderer: X509Identity;
}

interface WalletEntry {
  credentials: { certificate: string; privateKey: string };
  mspId: string;
  type: 'X.509';
  version: 1;
}

export class MspDirectory {
  readonly #issuing = new Map<string, Promise<X509Identity>>();
  readonly #issued = new Map<string, X509Identity>();

  private constructor(
    readonly path: string,
    readonly organisations: ReadonlyMap<RegionCode, OrganisationMaterial>,
    readonly orderer: OrdererMaterial,
  ) {}

  /**
   * Loads `<ledgerDir>/msp`, creating every organisation's material on first start with keys of `suite`'s curve
   * (P-256 for `intl`, SM2 for `gm`); existing material keeps its own (block 0 says which it must be).
   */
  static async open(ledgerDir: string, suite: CryptoSuiteName = 'intl'): Promise<MspDirectory> {
    const path = join(ledgerDir, 'msp');
    if (!existsSync(path)) await create(path, suite);
    const organisations = new Map<RegionCode, OrganisationMaterial>();
    for (const region of REGION_CODES) organisations.set(region, await loadOrganisation(path, region));
    return new MspDirectory(path, organisations, await loadOrderer(path));
  }

  /** The endorsing peer of the organisation with this MSP ID (a {@link PeerIdentities} for the endorser). */
  peerOf(mspId: string): X509Identity | undefined {
    const region = regionByMspId(mspId);
    return region && this.organisations.get(region)?.peer;
  }

  organisation(region: RegionCode): OrganisationMaterial {
    const material = this.organisations.get(region);
    if (!material) throw new Error(`no organisation material for region ${region}`);
    return material;
  }

  /** The client identity for `identity`, issued by its region's CA on first use and kept on disk. */
  async clientIdentity(identity: LedgerIdentity): Promise<X509Identity> {
    const file = this.#userFile(identity);
    const known = this.#issued.get(file);
    if (known) return known;
    let pending = this.#issuing.get(file);
    if (!pending) {
      pending = this.#loadOrIssue(identity, file).finally(() => this.#issuing.delete(file));
      this.#issuing.set(file, pending);
    }
    const issued = await pending;
    this.#issued.set(file, issued);
    return issued;
  }

  #userFile(identity: LedgerIdentity): string {
    return join(this.path, regionFolder(identity), 'users', `${identityLabel(identity)}.id`);
  }

  async #loadOrIssue(identity: LedgerIdentity, file: string): Promise<X509Identity> {
    if (existsSync(file))
      return checkAttributes(identity, file, parseWalletEntry(await readFile(file, 'utf8')));
    const attributes: Record<string, string> = { 'ledger.role': identity.role };
    if (identity.dept !== undefined) attributes['ledger.dept'] = identity.dept;
    const issued = await this.organisation(identity.region).ca.issue({
      enrollmentId: identityLabel(identity),
      role: 'client',
      attributes,
    });
    await mkdir(join(file, '..'), { recursive: true });
    await writeAtomically(file, walletEntryText(issued));
    return issued;
  }
}

function checkAttributes(identity: LedgerIdentity, file: string, stored: X509Identity): X509Identity {
  const attrs = certificateAttributes(stored.certificate);
  const matches =
    stored.mspId === mspIdOf(identity) &&
    attrs['ledger.role'] === identity.role &&
    attrs['ledger.dept'] === identity.dept;
  if (!matches) {
    throw new IdentityNotFoundError(identity, identityLabel(identity), file, 'exists with other attributes');
  }
  return stored;
}

/** The Fabric CA attributes (`ledger.role`, `ledger.dept`, `hf.*`) a certificate carries. */
export function certificateAttributes(certificatePem: string): Record<string, string> {
  // read with the protocol's DER reader: @peculiar/x509 refuses SM2 keys (the gm suite)
  const value = extensionValue(pemToDer(certificatePem), FABRIC_ATTRIBUTE_OID);
  if (!value) return {};
  const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as {
    attrs?: Record<string, string>;
  };
  return parsed.attrs ?? {};
}

function walletEntryText(identity: X509Identity): string {
  const entry: WalletEntry = {
    credentials: { certificate: identity.certificate, privateKey: identity.privateKey },
    mspId: identity.mspId,
    type: 'X.509',
    version: 1,
  };
  return `${JSON.stringify(entry, null, 2)}\n`;
}

function parseWalletEntry(text: string): X509Identity {
  const entry = JSON.parse(text) as WalletEntry;
  return {
    mspId: entry.mspId,
    certificate: entry.credentials.certificate,
    privateKey: entry.credentials.privateKey,
  };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
}

async function create(path: string, suite: CryptoSuiteName): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  // left by a process killed while creating the material: never used, removed
  for (const name of await readdir(dirname(path))) {
    if (name.startsWith(`${basename(path)}.`) && name.endsWith('.tmp')) {
      await rm(join(dirname(path), name), { recursive: true, force: true });
    }
  }
  for (const region of REGION_CODES) {
    const domain = `${regionFolder({ region })}.${DOMAIN}`;
    const ca = await createCertificateAuthority({ mspId: REGIONS[region].mspId, domain }, suite);
    const peer = await ca.issue({ enrollmentId: `peer0.${domain}`, role: 'peer' });
    await writeNode(join(temporary, regionFolder({ region })), ca, 'peer', peer);
  }
  const ordererCa = await createCertificateAuthority(
    { mspId: ORDERER_MSP_ID, domain: `orderer.${DOMAIN}` },
    suite,
  );
  const orderer = await ordererCa.issue({ enrollmentId: `orderer0.orderer.${DOMAIN}`, role: 'orderer' });
  await writeNode(join(temporary, 'orderer'), ordererCa, 'orderer', orderer);
  await rename(temporary, path);
}

async function writeNode(
  dir: string,
  ca: OrganisationCa,
  node: string,
  identity: X509Identity,
): Promise<void> {
  await mkdir(join(dir, 'users'), { recursive: true });
  await writeFile(join(dir, 'ca-cert.pem'), ca.certificate);
  await writeFile(join(dir, 'ca-key.pem'), ca.privateKey, { mode: 0o600 });
  await writeFile(join(dir, `${node}-cert.pem`), identity.certificate);
  await writeFile(join(dir, `${node}-key.pem`), identity.privateKey, { mode: 0o600 });
}

async function loadCa(dir: string, mspId: string, domain: string): Promise<OrganisationCa> {
  return certificateAuthorityFromPem({
    mspId,
    domain,
    certificate: await readFile(join(dir, 'ca-cert.pem'), 'utf8'),
    privateKey: await readFile(join(dir, 'ca-key.pem'), 'utf8'),
  });
}

async function loadNode(dir: string, node: string, mspId: string): Promise<X509Identity> {
  return {
    mspId,
    certificate: await readFile(join(dir, `${node}-cert.pem`), 'utf8'),
    privateKey: await readFile(join(dir, `${node}-key.pem`), 'utf8'),
  };
}

async function loadOrganisation(path: string, region: RegionCode): Promise<OrganisationMaterial> {
  const folder = regionFolder({ region });
  const dir = join(path, folder);
  const mspId = REGIONS[region].mspId;
  return {
    region,
    mspId,
    ca: await loadCa(dir, mspId, `${folder}.${DOMAIN}`),
    peer: await loadNode(dir, 'peer', mspId),
  };
}

async function loadOrderer(path: string): Promise<OrdererMaterial> {
  const dir = join(path, 'orderer');
  return {
    mspId: ORDERER_MSP_ID,
    ca: await loadCa(dir, ORDERER_MSP_ID, `orderer.${DOMAIN}`),
    orderer: await loadNode(dir, 'orderer', ORDERER_MSP_ID),
  };
}
