/**
 * What `ledger enroll` asks a Fabric CA for, as pure data (so it is table-tested without a CA): the enrollment
 * id (the wallet label), the attribute requests that put `ledger.role` / `ledger.dept` into the certificate,
 * and, when a registrar registers the identity first, the registration with those attributes as ecert
 * attributes and the affiliation `<region>[.<dept>]` that network/ca's CA configurations define.
 *
 * An identity without a role is a CA identity that does not transact on the ledger, such as the CA's
 * `ledger-registrar` bootstrap identity: enrolled without attribute requests and stored under its user name,
 * so that `ledger enroll --registrar ledger-registrar` can register the ledger identities with it.
 */
import { DEPT_ATTRIBUTE, ROLE_ATTRIBUTE, type RegionCode } from '@approval-ledger/protocol';
import { identityLabel, regionFolder } from '../identity-label';
import { type LedgerIdentity } from '../ledger-port';

export interface AttributeRequest {
  readonly name: string;
  readonly optional: boolean;
}

export interface RegistrationRequest {
  readonly enrollmentID: string;
  readonly enrollmentSecret: string;
  readonly role: 'client';
  readonly affiliation: string;
  readonly maxEnrollments: number;
  readonly attrs: readonly { readonly name: string; readonly value: string; readonly ecert: boolean }[];
}

/** A CA identity that does not transact (no ledger.role), stored in the wallet under its user name. */
export interface CaIdentity {
  readonly region: RegionCode;
  readonly user: string;
  readonly role?: undefined;
  readonly dept?: undefined;
}

export type EnrolledIdentity = LedgerIdentity | CaIdentity;

/** The enrollment id at the CA, which is also the wallet label. */
export function enrollmentId(identity: EnrolledIdentity): string {
  return identity.role === undefined ? identity.user : identityLabel(identity);
}

/**
 * The attributes to request at enrollment: the role always, the department when the identity has one; none for
 * a CA identity without a role.
 */
export function attributeRequests(identity: EnrolledIdentity): AttributeRequest[] {
  if (identity.role === undefined) return [];
  const requests: AttributeRequest[] = [{ name: ROLE_ATTRIBUTE, optional: false }];
  requests.push({ name: DEPT_ATTRIBUTE, optional: identity.dept === undefined });
  return requests;
}

export function registrationRequest(identity: LedgerIdentity, secret: string): RegistrationRequest {
  const attrs: { name: string; value: string; ecert: boolean }[] = [
    { name: ROLE_ATTRIBUTE, value: identity.role, ecert: true },
  ];
  if (identity.dept !== undefined) attrs.push({ name: DEPT_ATTRIBUTE, value: identity.dept, ecert: true });
  const region = regionFolder(identity);
  return {
    enrollmentID: identityLabel(identity),
    enrollmentSecret: secret,
    role: 'client',
    affiliation: identity.dept === undefined ? region : `${region}.${identity.dept.toLowerCase()}`,
    maxEnrollments: -1,
    attrs,
  };
}
