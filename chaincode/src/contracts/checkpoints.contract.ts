// Checkpoints: Merkle roots of batches or block ranges, and later the public-chain anchor reference.
import {
  AnchorRefSchema,
  CHAINCODE_EVENTS,
  CheckpointSchema,
  RecordIdSchema,
  RegionSchema,
  canonicalize,
  type AnchorRef,
} from '@approval-ledger/protocol';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { callerOf, mspOf, requireRegion, requireRole } from '../ledger/caller';
import type { CheckpointEntry } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { check, parseArg } from '../ledger/input';
import { KEY } from '../ledger/keys';
import { sortableTime, txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { recordOnce } from '../ledger/record-once';

async function readCheckpoint(state: LedgerState, id: string): Promise<CheckpointEntry> {
  return (
    (await state.get<CheckpointEntry>(KEY.checkpoint, [id])) ??
    fail('NOT_FOUND', `checkpoint ${id} is not recorded`)
  );
}

function sameAnchor(a: AnchorRef, b: AnchorRef): boolean {
  return a.chainId === b.chainId && a.txHash === b.txHash && a.blockNumber === b.blockNumber;
}

@Info({
  title: 'checkpoints',
  description: 'Merkle-root checkpoints of batches and block ranges, with their public-chain anchors',
})
export class CheckpointsContract extends Contract {
  constructor() {
    super('checkpoints');
  }

  /** Records a checkpoint of the caller's region (admin or approver). Idempotent per id and root. */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, checkpoint: string): Promise<string> {
    const input = parseArg(CheckpointSchema, 'checkpoint', checkpoint);
    const caller = callerOf(ctx);
    requireRole(caller, ['admin', 'approver'], 'record checkpoints');
    requireRegion(caller, input.region, `checkpoint ${input.id}`);
    const state = new LedgerState(ctx);
    const { entry, unchanged } = await recordOnce(ctx, state, input, {
      key: KEY.checkpoint,
      field: 'root',
      what: 'checkpoint',
      verb: 'recorded',
      write: async (e) => {
        await state.put(KEY.checkpoint, [e.id], e);
        await state.setEndorsers(KEY.checkpoint, [e.id], [mspOf(e.region)]);
        await state.put(KEY.checkpointByRegion, [e.region, sortableTime(e.createdAt), e.id], e.id);
      },
    });
    state.emit(CHAINCODE_EVENTS.CheckpointRecorded, {
      id: entry.id,
      region: entry.region,
      root: entry.root,
      anchored: false,
      unchanged,
    });
    return canonicalize(entry);
  }

  /** Adds the public-chain transaction that anchored the checkpoint; a different second anchor is a conflict. */
  @Transaction()
  @Returns('string')
  async SetAnchor(ctx: Context, id: string, anchor: string): Promise<string> {
    const checkpointId = check(RecordIdSchema, 'id', id);
    const ref = parseArg(AnchorRefSchema, 'anchor', anchor);
    const caller = callerOf(ctx);
    requireRole(caller, ['admin', 'approver'], 'anchor checkpoints');
    const state = new LedgerState(ctx);
    const entry = await readCheckpoint(state, checkpointId);
    requireRegion(caller, entry.region, `checkpoint ${entry.id}`);
    if (entry.anchor && !sameAnchor(entry.anchor, ref)) {
      fail(
        'RECORD_CONFLICT',
        `checkpoint ${entry.id} is already anchored in ${entry.anchor.txHash}; refused ${ref.txHash}`,
      );
    }
    const updated: CheckpointEntry = entry.anchor
      ? entry
      : { ...entry, anchor: { ...ref, txId: state.txId, recordedAt: txTime(ctx) } };
    if (!entry.anchor) await state.put(KEY.checkpoint, [entry.id], updated);
    state.emit(CHAINCODE_EVENTS.CheckpointRecorded, {
      id: entry.id,
      region: entry.region,
      root: entry.root,
      anchored: true,
      unchanged: entry.anchor !== undefined,
    });
    return canonicalize(updated);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    return canonicalize(await readCheckpoint(new LedgerState(ctx), check(RecordIdSchema, 'id', id)));
  }

  /** A region's checkpoints in creation order. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context, region: string): Promise<string> {
    const state = new LedgerState(ctx);
    const listed = await state.list<string>(KEY.checkpointByRegion, [check(RegionSchema, 'region', region)]);
    const out: CheckpointEntry[] = [];
    for (const { value } of listed) out.push(await readCheckpoint(state, value));
    return canonicalize(out);
  }
}
