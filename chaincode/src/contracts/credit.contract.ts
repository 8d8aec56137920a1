// Credit evaluations of enterprises (level A-D, dishonest-list flag), recorded by each region's public
// credit information centre; read when a milestone is conditionally accepted (容缺受理).
import {
  CHAINCODE_EVENTS,
  CreditAnchorSchema,
  UsccSchema,
  canonicalize,
  type CreditAnchor,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf, mspOf, requireDept, requireRegion, requireRole } from '../ledger/caller';
import type { CreditEntry } from '../ledger/entries';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { epochMs, sortableTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { recordOnce } from '../ledger/record-once';
import { creditStanding } from '../rules/credit-standing';

async function writeCredit(state: LedgerState, entry: CreditEntry): Promise<void> {
  await state.put(KEY.credit, [entry.id], entry);
  await state.setEndorsers(KEY.credit, [entry.id], [mspOf(entry.region)]);
  await state.put(KEY.creditByUscc, [entry.uscc, sortableTime(entry.evaluatedAt), entry.id], entry.id);
  const latest = await state.get<CreditEntry>(KEY.creditLatest, [entry.uscc, entry.region]);
  if (!latest || epochMs(latest.evaluatedAt) <= epochMs(entry.evaluatedAt)) {
    await state.put(KEY.creditLatest, [entry.uscc, entry.region], entry);
  }
}

function authorise(ctx: Context, anchor: CreditAnchor): void {
  const caller = callerOf(ctx);
  requireRole(caller, ['approver'], 'record credit evaluations');
  requireRegion(caller, anchor.region, `credit evaluation ${anchor.id}`);
  requireDept(caller, 'CREDIT', `credit evaluation ${anchor.id}`);
}

@Info({
  title: 'credit',
  description: 'Enterprise credit evaluations (A-D, dishonest list) and credit standing',
})
export class CreditContract extends Contract {
  constructor() {
    super('credit');
  }

  /** Records a credit evaluation (only the region's CREDIT department). Idempotent per id and commitment. */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, anchor: string): Promise<string> {
    const input = parseArg(CreditAnchorSchema, 'anchor', anchor);
    authorise(ctx, input);
    const state = new LedgerState(ctx);
    const { entry, unchanged } = await recordOnce(ctx, state, input, {
      key: KEY.credit,
      field: 'commitment',
      what: 'credit evaluation',
      verb: 'anchored',
      write: (e) => writeCredit(state, e),
    });
    state.emit(CHAINCODE_EVENTS.CreditRecorded, {
      id: entry.id,
      uscc: entry.uscc,
      region: entry.region,
      level: entry.level,
      dishonest: entry.dishonest,
      unchanged,
    });
    return canonicalize(entry);
  }

  /** The enterprise's latest evaluation per region, and whether conditional acceptance is allowed. */
  @Transaction(false)
  @Returns('string')
  async Standing(ctx: Context, uscc: string): Promise<string> {
    return canonicalize(await creditStanding(ctx, new LedgerState(ctx), check(UsccSchema, 'uscc', uscc)));
  }

  /** Every evaluation of the enterprise, oldest first. */
  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, uscc: string): Promise<string> {
    const state = new LedgerState(ctx);
    const listed = await state.list<string>(KEY.creditByUscc, [check(UsccSchema, 'uscc', uscc)]);
    const out: CreditEntry[] = [];
    for (const { value: id } of listed) {
      const entry = await state.get<CreditEntry>(KEY.credit, [id]);
      if (entry) out.push(entry);
    }
    return canonicalize(out);
  }
}
