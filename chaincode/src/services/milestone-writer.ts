// Recording milestones, one or a batch: authorise each against the caller, the issuer registry and
// the credit rule; keep repeats idempotent and report conflicts naming both commitments; write the
// entry (its superseded version after a correction, and, for a revocation, the one index key the
// recognition rule reads); set one event summarising the batch.
import {
  CHAINCODE_EVENTS,
  MAX_BATCH,
  type MilestoneAnchor,
  type MilestoneBatchResult,
  versionOf,
} from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { callerOf, mspOf, requireDept, requireRegion, requireRole, type Caller } from '../ledger/caller';
import { type MilestoneEntry, type MilestonesRecordedSummary, stamped } from '../ledger/entries';
import { fail } from '../ledger/fail';
import { KEY } from '../ledger/keys';
import { sortableTime, txTime } from '../ledger/ledger-time';
import { LedgerState } from '../ledger/ledger-state';
import { milestoneEntryJson } from '../ledger/milestone-json';
import { requireConditionalAcceptance } from '../rules/credit-standing';
import { versionKey, versionVerdict, type VersionVerdict } from '../rules/record-version';
import { IssuerCheck } from '../rules/issuer-registry';

export interface MilestoneReceipt {
  readonly id: string;
  readonly commitment: string;
  readonly txId: string;
  readonly recordedAt: string;
  readonly status: 'RECORDED' | 'UNCHANGED';
}

interface Recorded {
  readonly receipt: MilestoneReceipt;
  /** The entry as now in state (existing or just written: a transaction cannot read its own writes). */
  readonly entry: MilestoneEntry;
}

function authorise(caller: Caller, anchor: MilestoneAnchor): void {
  requireRegion(caller, anchor.region, `milestone ${anchor.id} of project ${anchor.projectCode}`);
  requireDept(caller, anchor.dept, `milestone ${anchor.id}`);
}

/**
 * Drops exact repeats inside one batch (same id, same commitment). The same id with other commitments stays,
 * in order: a chain of corrections may be recorded in one transaction; anything else is a conflict.
 */
function dedupe(anchors: readonly MilestoneAnchor[]): readonly MilestoneAnchor[] {
  // id -> the commitments seen for it: one string for the common case, a set once an id repeats
  const seen = new Map<string, string | Set<string>>();
  let unique: MilestoneAnchor[] | undefined; // only built once a repeat is dropped
  for (let i = 0; i < anchors.length; i++) {
    const { id, commitment } = anchors[i] as MilestoneAnchor;
    const known = seen.get(id);
    let repeat = false;
    if (known === undefined) seen.set(id, commitment);
    else if (typeof known === 'string') {
      if (known === commitment) repeat = true;
      else seen.set(id, new Set([known, commitment]));
    } else if (known.has(commitment)) repeat = true;
    else known.add(commitment);
    if (repeat) unique ??= anchors.slice(0, i);
    else if (unique) unique.push(anchors[i] as MilestoneAnchor);
  }
  return unique ?? anchors;
}

/**
 * One key per milestone, and nothing else the rules do not read: the entry under its id (the key the
 * idempotence, conflict and correction checks read); after a correction the superseded version under its own
 * version key; for a REVOKED milestone the index the recognition rule scans. Lookups by project, document,
 * commitment or department-day are the chain index's (see the README): on a peer every further key would cost
 * a call to the peer while endorsing and a state and history write at commit.
 */
async function writeEntry(
  state: LedgerState,
  entry: MilestoneEntry,
  previous?: MilestoneEntry,
): Promise<void> {
  await state.putJson(KEY.milestone, [entry.id], milestoneEntryJson(entry));
  if (previous) await keepVersion(state, entry, previous);
  else {
    const setting = state.setEndorsers(KEY.milestone, [entry.id], [mspOf(entry.region)]);
    if (setting) await setting;
  }
  if (entry.decision === 'REVOKED' && revocationKeyChanged(entry, previous)) {
    await state.put(
      KEY.milestoneRevocation,
      [entry.projectCode, entry.region, entry.dept, entry.stage, sortableTime(entry.decidedAt), entry.id],
      entry.id,
    );
  }
}

/** The superseded version of a correction under its own key (a first version sets its key's policy instead). */
async function keepVersion(
  state: LedgerState,
  entry: MilestoneEntry,
  previous: MilestoneEntry,
): Promise<void> {
  const superseded = [entry.id, versionKey(versionOf(previous))];
  await state.putJson(KEY.milestoneVersion, superseded, milestoneEntryJson(previous));
  await state.setEndorsers(KEY.milestoneVersion, superseded, [mspOf(entry.region)]);
}

/** Whether a revocation's index key is new: a first version, or a correction that changed what the key holds. */
function revocationKeyChanged(entry: MilestoneEntry, previous: MilestoneEntry | undefined): boolean {
  return (
    !previous ||
    previous.decision !== 'REVOKED' ||
    previous.decidedAt !== entry.decidedAt ||
    previous.projectCode !== entry.projectCode ||
    previous.stage !== entry.stage
  );
}

function receiptOf(entry: MilestoneEntry, status: MilestoneReceipt['status']): MilestoneReceipt {
  return {
    id: entry.id,
    commitment: entry.commitment,
    txId: entry.txId,
    recordedAt: entry.recordedAt,
    status,
  };
}

const FIRST: VersionVerdict<MilestoneEntry> = { kind: 'first' };

class MilestoneWriter {
  readonly #ctx: Context;
  readonly #state: LedgerState;
  readonly #caller: Caller;
  readonly #issuers: IssuerCheck;
  readonly #now: string;
  readonly #written = new Map<string, MilestoneEntry>();
  /** The batch's entries as committed, read together before the batch is recorded (`prefetch`, always first). */
  readonly #committed = new Map<string, MilestoneEntry | undefined>();

  constructor(ctx: Context, state: LedgerState) {
    this.#ctx = ctx;
    this.#state = state;
    this.#caller = callerOf(ctx);
    this.#issuers = new IssuerCheck(state);
    this.#now = txTime(ctx);
    requireRole(this.#caller, ['approver'], 'record milestones');
  }

  /**
   * Reads the committed entry of every id of the batch at once: one GET_STATE_MULTIPLE per 1,000 ids on a peer that
   * offers it (Fabric 3.1) instead of a round trip per record; a GET_STATE each on a Fabric 2.x peer.
   */
  async prefetch(anchors: readonly MilestoneAnchor[]): Promise<void> {
    const ids = [...new Set(anchors.map((a) => a.id))];
    const entries = await this.#state.getMany<MilestoneEntry>(
      KEY.milestone,
      ids.map((id) => [id]),
    );
    ids.forEach((id, i) => this.#committed.set(id, entries[i]));
  }

  async record(anchor: MilestoneAnchor): Promise<Recorded> {
    authorise(this.#caller, anchor);
    // a transaction cannot read its own writes: an earlier version of this batch is the current one
    const current = this.#written.get(anchor.id) ?? this.#committed.get(anchor.id);
    // a first version of a new id (most of a batch) needs no verdict read: no promise for it
    const verdict: VersionVerdict<MilestoneEntry> =
      !current && anchor.version === undefined
        ? FIRST
        : await versionVerdict(
            this.#state,
            KEY.milestoneVersion,
            anchor.id,
            current,
            anchor,
            `milestone ${anchor.id}`,
          );
    if (verdict.kind === 'unchanged')
      return { receipt: receiptOf(verdict.entry, 'UNCHANGED'), entry: verdict.entry };
    const issuer = this.#issuers.check(anchor.region, anchor.dept, { stage: anchor.stage }, anchor.decidedAt);
    if (issuer) await issuer;
    if (anchor.decision === 'CONDITIONALLY_ACCEPTED')
      await requireConditionalAcceptance(this.#ctx, this.#state, anchor.applicantUscc, anchor.id);
    const entry: MilestoneEntry = stamped(anchor, { txId: this.#state.txId, recordedAt: this.#now });
    await writeEntry(this.#state, entry, verdict.kind === 'correction' ? verdict.previous : undefined);
    this.#written.set(entry.id, entry);
    return { receipt: receiptOf(entry, 'RECORDED'), entry };
  }

  summary(
    anchors: readonly MilestoneAnchor[],
    receipts: readonly MilestoneReceipt[],
  ): MilestonesRecordedSummary {
    return {
      count: receipts.length,
      recorded: receipts.filter((r) => r.status === 'RECORDED').map((r) => r.id),
      unchanged: receipts.filter((r) => r.status === 'UNCHANGED').map((r) => r.id),
      projectCodes: [...new Set(anchors.map((a) => a.projectCode))].sort(),
      region: this.#caller.region,
      dept: this.#caller.dept ?? '',
    };
  }
}

/**
 * Records 1..MAX_BATCH milestone anchors in one transaction, with one MilestonesRecorded event; returns the
 * compact batch result (`MilestoneBatchResult`) and every record's entry as now in state.
 */
export async function recordMilestones(
  ctx: Context,
  anchors: readonly MilestoneAnchor[],
): Promise<{ result: MilestoneBatchResult; entries: MilestoneEntry[] }> {
  if (anchors.length === 0) fail('VALIDATION_FAILED', 'anchors: a batch holds at least one milestone');
  if (anchors.length > MAX_BATCH)
    fail('BATCH_TOO_LARGE', `anchors: ${anchors.length} milestones in one transaction, at most ${MAX_BATCH}`);
  const state = new LedgerState(ctx);
  const writer = new MilestoneWriter(ctx, state);
  const unique = dedupe(anchors);
  await writer.prefetch(unique);
  const recorded: Recorded[] = [];
  for (const anchor of unique) recorded.push(await writer.record(anchor));
  const receipts = recorded.map((r) => r.receipt);
  const summary = writer.summary(unique, receipts);
  state.emit(CHAINCODE_EVENTS.MilestonesRecorded, summary);
  // the result travels in every endorsement and in the block: a recorded record's receipt is this
  // transaction's, so only the unchanged ones need naming, with the transaction that first recorded them
  const result: MilestoneBatchResult = {
    count: receipts.length,
    recorded: summary.recorded.length,
    unchanged: receipts.filter((r) => r.status === 'UNCHANGED').map(({ id, txId }) => ({ id, txId })),
  };
  return { result, entries: recorded.map((r) => r.entry) };
}
