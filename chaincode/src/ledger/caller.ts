// Who is calling, from ctx.clientIdentity only: region from the MSP ID, role and department from the
// certificate attributes `ledger.role` / `ledger.dept`. Never from arguments.
import {
  type ChaincodeDefinition,
  DEPT_ATTRIBUTE,
  DepartmentSchema,
  namespaceOfRecord,
  REGIONS,
  ROLE_ATTRIBUTE,
  RoleSchema,
  regionByMspId,
  type DepartmentCode,
  type RegionCode,
  type Role,
} from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { fail } from './fail';
import { invokedDefinition } from './namespace';

export interface Caller {
  readonly mspId: string;
  readonly region: RegionCode;
  readonly role: Role;
  readonly dept?: DepartmentCode;
  readonly id: string;
  /** The namespace of the plan this invocation runs as (see `namespace.ts`); undefined outside the plan. */
  readonly definition?: ChaincodeDefinition;
}

export function callerOf(ctx: Context): Caller {
  const identity = ctx.clientIdentity;
  const mspId = identity.getMSPID();
  const region = regionByMspId(mspId);
  if (!region) fail('FORBIDDEN_REGION', `MSP ${mspId} is not a regional organisation of this channel`);
  const role = RoleSchema.safeParse(identity.getAttributeValue(ROLE_ATTRIBUTE));
  if (!role.success) fail('FORBIDDEN_ROLE', `the identity carries no valid ${ROLE_ATTRIBUTE} attribute`);
  const dept = DepartmentSchema.safeParse(identity.getAttributeValue(DEPT_ATTRIBUTE));
  const definition = invokedDefinition(ctx);
  return {
    mspId,
    region,
    role: role.data,
    id: identity.getID(),
    ...(dept.success ? { dept: dept.data } : {}),
    ...(definition ? { definition } : {}),
  };
}

/** Refuses callers whose role is not one of `roles`; auditors are refused every write. */
export function requireRole(caller: Caller, roles: readonly Role[], action: string): void {
  if (roles.includes(caller.role)) return;
  const why = caller.role === 'auditor' ? 'auditors write nothing' : `it needs role ${roles.join(' or ')}`;
  fail('FORBIDDEN_ROLE', `${caller.role} of ${caller.region} may not ${action}: ${why}`);
}

/**
 * Refuses writes for another region than the caller's organisation, and, when this chaincode runs as a
 * namespace of the plan, writes of a record that belongs in another namespace: a region's records only in its
 * own namespace, a recognition (`pairedWith` its source region) only in the pair's. Only then does the
 * namespace's definition policy make the record's own region(s) endorse it, first writes included.
 */
export function requireRegion(
  caller: Caller,
  region: RegionCode,
  what: string,
  pairedWith?: RegionCode,
): void {
  if (caller.region !== region) {
    fail('FORBIDDEN_REGION', `${caller.mspId} (${caller.region}) may not write ${what} of region ${region}`);
  }
  if (!caller.definition) return;
  const expected = namespaceOfRecord(region, pairedWith);
  if (caller.definition.namespace !== expected) {
    fail(
      'WRONG_NAMESPACE',
      `${what} of region ${region} belongs in chaincode namespace ${expected}, not ${caller.definition.namespace}`,
    );
  }
}

/** Refuses writes for another department than the caller's `ledger.dept`. */
export function requireDept(caller: Caller, dept: DepartmentCode, what: string): void {
  if (caller.dept !== dept) {
    fail(
      'FORBIDDEN_DEPARTMENT',
      `${caller.dept ?? 'an identity without department'} of ${caller.region} may not write ${what} of department ${dept}`,
    );
  }
}

export function mspOf(region: RegionCode): string {
  return REGIONS[region].mspId;
}
