// The issuer registry, kept by each region's admin: which department may record which stages and
// issue which certificate types, from when to when. Readable by everyone (verifiers included).
import {
  CHAINCODE_EVENTS,
  DepartmentSchema,
  IssuerGrantSchema,
  REGION_CODES,
  RegionSchema,
  canonicalize,
  type DepartmentCode,
  type RegionCode,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf, mspOf, requireRegion, requireRole } from '../ledger/caller';
import type { IssuerGrantEntry } from '../ledger/entries';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { sortableTime, txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { grantsOf } from '../rules/issuer-registry';

@Info({
  title: 'issuers',
  description:
    'Issuer registry: grants of stages and certificate types to departments, kept by each region admin',
})
export class IssuersContract extends Contract {
  constructor() {
    super('issuers');
  }

  /**
   * Adds or replaces the grant of (region, dept) starting at validFrom; to end a grant, grant it again
   * with validUntil. Only the region's admin.
   */
  @Transaction()
  @Returns('string')
  async Grant(ctx: Context, grant: string): Promise<string> {
    const input = parseArg(IssuerGrantSchema, 'grant', grant);
    const caller = callerOf(ctx);
    requireRole(caller, ['admin'], 'keep the issuer registry');
    requireRegion(caller, input.region, `the issuer registry`);
    const state = new LedgerState(ctx);
    const attrs = [input.region, input.dept, sortableTime(input.validFrom)];
    const entry: IssuerGrantEntry = { ...input, txId: state.txId, recordedAt: txTime(ctx) };
    await state.put(KEY.issuerGrant, attrs, entry);
    await state.setEndorsers(KEY.issuerGrant, attrs, [mspOf(input.region)]);
    state.emit(CHAINCODE_EVENTS.IssuerGranted, {
      region: input.region,
      dept: input.dept,
      validFrom: input.validFrom,
    });
    return canonicalize(entry);
  }

  /** Grants of a region ('' for every region), of one department ('' for all). */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context, region: string, dept: string): Promise<string> {
    const regions: RegionCode[] = region === '' ? [...REGION_CODES] : [check(RegionSchema, 'region', region)];
    const department: DepartmentCode | undefined =
      dept === '' ? undefined : check(DepartmentSchema, 'dept', dept);
    const state = new LedgerState(ctx);
    const out: IssuerGrantEntry[] = [];
    for (const r of regions) out.push(...(await grantsOf(state, r, department)));
    return canonicalize(out);
  }
}
