// Approval milestones: anchors of single department decisions, recorded one by one or in batches.
import { MilestoneAnchorSchema, RecordIdSchema, canonicalize } from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import type { MilestoneEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { LedgerState } from '../ledger/ledger-state';
import { recordMilestones } from '../services/milestone-writer';

/** The batch argument's schema, built once (not on every call). */
const MilestoneAnchorsSchema = z.array(MilestoneAnchorSchema);

async function readMilestone(state: LedgerState, id: string): Promise<MilestoneEntry> {
  const entry = await state.get<MilestoneEntry>(KEY.milestone, [id]);
  return entry ?? fail('NOT_FOUND', `milestone ${id} is not anchored`);
}

@Info({
  title: 'milestones',
  description: 'Hashed approval milestones: record (single, batch), get, history',
})
export class MilestonesContract extends Contract {
  constructor() {
    super('milestones');
  }

  /** Records one milestone anchor; returns its entry (the existing one when repeated unchanged). */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, anchor: string): Promise<string> {
    const input = parseArg(MilestoneAnchorSchema, 'anchor', anchor);
    const { entries } = await recordMilestones(ctx, [input]);
    return canonicalize(entries[0]);
  }

  /** Records up to 500 milestone anchors (a JSON array); returns the summary and one receipt per id. */
  @Transaction()
  @Returns('string')
  async RecordBatch(ctx: Context, anchors: string): Promise<string> {
    const input = parseArg(MilestoneAnchorsSchema, 'anchors', anchors);
    return canonicalize((await recordMilestones(ctx, input)).result);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    return canonicalize(await readMilestone(new LedgerState(ctx), check(RecordIdSchema, 'id', id)));
  }

  /** Every write of the milestone's key, newest first, with transaction ids and times. */
  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, id: string): Promise<string> {
    const state = new LedgerState(ctx);
    const history = await state.history<MilestoneEntry>(KEY.milestone, [check(RecordIdSchema, 'id', id)]);
    if (history.length === 0) fail('NOT_FOUND', `milestone ${id} is not anchored`);
    return canonicalize(history);
  }
}
