// Approval milestones: anchors of single department decisions, recorded one by one or in batches.
import {
  DepartmentSchema,
  MilestoneAnchorSchema,
  ProjectCodeSchema,
  RecordIdSchema,
  RegionSchema,
  Sha256HexSchema,
  canonicalize,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import type { MilestoneEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { check, pageSizeArg, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { LedgerState } from '../ledger/ledger-state';
import { recordMilestones } from '../services/milestone-writer';

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a day YYYY-MM-DD' });

async function readMilestone(state: LedgerState, id: string): Promise<MilestoneEntry> {
  const entry = await state.get<MilestoneEntry>(KEY.milestone, [id]);
  return entry ?? fail('NOT_FOUND', `milestone ${id} is not anchored`);
}

async function resolve(state: LedgerState, ids: readonly string[]): Promise<MilestoneEntry[]> {
  const out: MilestoneEntry[] = [];
  for (const id of ids) out.push(await readMilestone(state, id));
  return out;
}

@Info({
  title: 'milestones',
  description:
    'Hashed approval milestones: record (single, batch), get, project trail, find by document or commitment, history',
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
    const input = parseArg(z.array(MilestoneAnchorSchema), 'anchors', anchors);
    return canonicalize((await recordMilestones(ctx, input)).result);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    return canonicalize(await readMilestone(new LedgerState(ctx), check(RecordIdSchema, 'id', id)));
  }

  /** A project's milestones in decision-time order, one page at a time (bookmark '' for the first). */
  @Transaction(false)
  @Returns('string')
  async ProjectTrail(ctx: Context, projectCode: string, pageSize: string, bookmark: string): Promise<string> {
    const code = check(ProjectCodeSchema, 'projectCode', projectCode);
    const state = new LedgerState(ctx);
    const page = await state.page<string>(
      KEY.milestoneByProject,
      [code],
      pageSizeArg('pageSize', pageSize),
      bookmark,
    );
    const items = await resolve(
      state,
      page.items.map((i) => i.value),
    );
    return canonicalize({ projectCode: code, items, bookmark: page.bookmark });
  }

  @Transaction(false)
  @Returns('string')
  async FindByDocument(ctx: Context, sha256: string): Promise<string> {
    const digest = check(Sha256HexSchema, 'sha256', sha256);
    const state = new LedgerState(ctx);
    const listed = await state.list<string>(KEY.milestoneByDocument, [digest]);
    return canonicalize(
      await resolve(
        state,
        listed.map((l) => l.value),
      ),
    );
  }

  @Transaction(false)
  @Returns('string')
  async FindByCommitment(ctx: Context, commitment: string): Promise<string> {
    const value = check(Sha256HexSchema, 'commitment', commitment);
    const state = new LedgerState(ctx);
    const listed = await state.list<string>(KEY.milestoneByCommitment, [value]);
    return canonicalize(
      await resolve(
        state,
        listed.map((l) => l.value),
      ),
    );
  }

  /** The milestones one department of one region decided on one day (Asia/Shanghai). */
  @Transaction(false)
  @Returns('string')
  async ListByDepartmentDay(ctx: Context, region: string, dept: string, day: string): Promise<string> {
    const attrs = [
      check(RegionSchema, 'region', region),
      check(DepartmentSchema, 'dept', dept),
      check(DaySchema, 'day', day),
    ];
    const state = new LedgerState(ctx);
    const listed = await state.list<string>(KEY.milestoneByDeptDay, attrs);
    return canonicalize(
      await resolve(
        state,
        listed.map((l) => l.value),
      ),
    );
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
