import { type LedgerIdentity } from '../ledger-port';

/** No client identity for this region, role and department where the engine keeps them. */
export class IdentityNotFoundError extends Error {
  override readonly name = 'IdentityNotFoundError';

  constructor(
    readonly identity: LedgerIdentity,
    readonly label: string,
    readonly where: string,
    detail = 'is not there',
  ) {
    super(`identity '${label}' of ${identity.region} (${describe(identity)}) ${detail}: ${where}`);
  }
}

function describe(identity: LedgerIdentity): string {
  return [identity.role, identity.dept, identity.user].filter((x) => x !== undefined).join(', ');
}
