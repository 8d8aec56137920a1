import { REGIONS } from '@approval-ledger/protocol';
import { type LedgerIdentity } from './ledger-port';

/**
 * The wallet label of a client identity: the user's name when given, else `<role>` or `<role>-<dept>` in lower
 * case (`approver-hc`, `auditor`). Both engines use it: the embedded engine for the identities it issues, the
 * Fabric engine to find them in the `fabric-network` wallet (and `ledger enroll` to store them there).
 */
export function identityLabel(identity: LedgerIdentity): string {
  if (identity.user !== undefined) return identity.user;
  return identity.dept === undefined ? identity.role : `${identity.role}-${identity.dept.toLowerCase()}`;
}

/** The region's organisation MSP ID (`BeijingMSP`). */
export function mspIdOf(identity: Pick<LedgerIdentity, 'region'>): string {
  return REGIONS[identity.region].mspId;
}

/** The region's folder name in wallets and MSP directories (`beijing`). */
export function regionFolder(identity: Pick<LedgerIdentity, 'region'>): string {
  return REGIONS[identity.region].en.toLowerCase();
}
