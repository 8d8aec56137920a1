/**
 * Client identities in the standard `fabric-network` file-system wallet (FABRIC_WALLET), and their enrollment
 * with a Fabric CA through `fabric-ca-client` (`ledger enroll`). A separate file from fabric-ledger.ts because
 * these two libraries are large (loading fabric-network takes about a second) and only the wallet look-up and
 * enrollment need them; the gateway engine loads this module once, lazily, and the embedded engine never.
 *
 * Wallet layout: `<wallet>/<region>/<label>.id` (what `ledger enroll` writes; network.sh writes
 * `network/wallet/<region>/`), or `<wallet>/<label>.id` for a wallet that holds one organisation only.
 */
import { join } from 'node:path';
import FabricCAServices from 'fabric-ca-client';
import { type Wallet, Wallets, type X509Identity } from 'fabric-network';
import { IdentityNotFoundError } from '../errors';
import { identityLabel, mspIdOf, regionFolder } from '../identity-label';
import { type LedgerIdentity } from '../ledger-port';
import { type FabricConnection, readPem } from './connection-profile';
import { attributeRequests, type EnrolledIdentity, enrollmentId, registrationRequest } from './enrollment';

export interface WalletIdentity {
  readonly mspId: string;
  readonly certificate: string;
  readonly privateKey: string;
}

/** The identity for `identity` from the wallet under `walletRoot`, checked to belong to its region's MSP. */
export async function loadWalletIdentity(
  walletRoot: string,
  identity: LedgerIdentity,
): Promise<WalletIdentity> {
  const label = identityLabel(identity);
  const mspId = mspIdOf(identity);
  for (const dir of [join(walletRoot, regionFolder(identity)), walletRoot]) {
    const stored = await (await Wallets.newFileSystemWallet(dir)).get(label);
    if (stored?.type === 'X.509' && stored.mspId === mspId) {
      const { certificate, privateKey } = (stored as X509Identity).credentials;
      return { mspId, certificate, privateKey };
    }
  }
  throw new IdentityNotFoundError(identity, label, walletRoot, `is not in the wallet (run 'ledger enroll')`);
}

export interface EnrollOptions {
  readonly connection: FabricConnection;
  readonly identity: EnrolledIdentity;
  readonly secret: string;
  readonly walletRoot: string;
  /** Label of a registrar identity in the same wallet folder: register the identity before enrolling it. */
  readonly registrar?: string;
}

export interface EnrollResult {
  readonly label: string;
  readonly walletDir: string;
  readonly certificate: string;
}

/** Enrolls (optionally registering first) with the organisation's CA and stores the identity in the wallet. */
export async function enrollIdentity(options: EnrollOptions): Promise<EnrollResult> {
  const { connection, identity } = options;
  const ca = connection.ca;
  if (!ca) throw new Error(`the connection profile ${connection.profilePath} names no certificate authority`);
  const tls = ca.tlsRootCert
    ? { trustedRoots: [readPem(ca.tlsRootCert, connection.profilePath)], verify: ca.verify }
    : undefined;
  const service = new FabricCAServices(ca.url, tls, ca.caName);
  const walletDir = join(options.walletRoot, regionFolder(identity));
  const wallet = await Wallets.newFileSystemWallet(walletDir);
  if (options.registrar !== undefined) {
    if (identity.role === undefined) throw new Error('registrar: only identities with a role are registered');
    await register(service, wallet, options.registrar, identity, options.secret);
  }
  const label = enrollmentId(identity);
  const enrollment = await service.enroll({
    enrollmentID: label,
    enrollmentSecret: options.secret,
    attr_reqs: attributeRequests(identity),
  });
  const stored: X509Identity = {
    credentials: { certificate: enrollment.certificate, privateKey: enrollment.key.toBytes() },
    mspId: connection.mspId,
    type: 'X.509',
  };
  await wallet.put(label, stored);
  return { label, walletDir, certificate: enrollment.certificate };
}

async function register(
  service: FabricCAServices,
  wallet: Wallet,
  registrarLabel: string,
  identity: LedgerIdentity,
  secret: string,
): Promise<void> {
  const registrar = await wallet.get(registrarLabel);
  if (!registrar) throw new Error(`registrar '${registrarLabel}' is not in the wallet`);
  const user = await wallet
    .getProviderRegistry()
    .getProvider(registrar.type)
    .getUserContext(registrar, registrarLabel);
  const request = registrationRequest(identity, secret);
  await service.register({ ...request, attrs: [...request.attrs] }, user);
}
