/**
 * Rows for unit tests of the chain index and what reads it: an anchored milestone and a block header; and what
 * the index reads of a block: a milestone's anchor as its transaction's argument carries it, and the
 * transaction.
 */
import { CHAINCODE_EVENTS } from '@approval-ledger/protocol';
import Database from 'better-sqlite3';
import { type IndexableTransaction } from '../../src/verification/block-changes';
import { type IndexedAnchor, type IndexedBlock } from '../../src/verification/chain-index';

/** An anchored Beijing milestone (APPROVED, CONSTRUCTION_PERMIT, block 1) with the given fields. */
export function indexedMilestone(
  fields: Partial<IndexedAnchor> & { readonly key: string; readonly decidedAt: string },
): IndexedAnchor {
  const { key, decidedAt } = fields;
  return {
    kind: 'milestone',
    commitment: key.padEnd(64, '0'),
    region: 'BJ',
    dept: 'HC',
    projectCode: '2025-110105-47-03-000318',
    uscc: null,
    stage: 'CONSTRUCTION_PERMIT',
    decision: 'APPROVED',
    validFrom: null,
    validUntil: null,
    txId: `tx-${key}`,
    blockNumber: 1,
    txIndex: 0,
    recordedAt: decidedAt,
    revokedAt: null,
    revocationReason: null,
    revocationTxId: null,
    revocationBlock: null,
    anchorJson: '{}',
    documentDigests: [],
    endorsers: ['BeijingMSP'],
    creator: 'BeijingMSP',
    ...fields,
  };
}

/** Block `number`'s header, chained to block `number - 1` by made-up hashes. */
export function indexedBlock(number: number, txCount: number, records: number): IndexedBlock {
  return {
    number,
    hash: `h${number}`,
    previousHash: `h${number - 1}`,
    dataHash: 'd',
    txCount,
    validTxCount: txCount,
    records,
    time: null,
    signers: [],
  };
}

/** A Beijing milestone's anchor (APPROVED, CONSTRUCTION_PERMIT) as a transaction's argument carries it. */
export function milestoneArg(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    commitment: 'c'.repeat(64),
    region: 'BJ',
    dept: 'HC',
    projectCode: '2025-110105-47-03-000318',
    stage: 'CONSTRUCTION_PERMIT',
    decision: 'APPROVED',
    decidedAt: '2025-03-06T16:30:00+08:00',
    ...fields,
  };
}

/** A valid transaction of block `blockNumber` with this chaincode event and first argument. */
export function indexableTx(
  eventName: string,
  arg: string,
  event: Record<string, unknown>,
  blockNumber = 7,
): IndexableTransaction {
  return {
    txId: `tx-${blockNumber}`,
    blockNumber,
    txIndex: 0,
    timestamp: '2025-03-06T08:30:00.000000000Z',
    arg,
    event: { eventName, payload: new Uint8Array(Buffer.from(JSON.stringify(event))) },
    endorsers: ['BeijingMSP', 'TianjinMSP'],
    creator: 'BeijingMSP',
  };
}

/** A `milestones:RecordBatch` transaction whose event says every one of `anchors` was recorded. */
export function milestonesTx(
  anchors: readonly Record<string, unknown>[],
  blockNumber = 7,
): IndexableTransaction {
  const recorded = anchors.map((a) => a['id']);
  return indexableTx(CHAINCODE_EVENTS.MilestonesRecorded, JSON.stringify(anchors), { recorded }, blockNumber);
}

/** Rows of `table` in the index file, read on a connection of its own. */
export function tableCount(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Entries in every partition (`_0` to `_f`) of a two-level index's level: a log or a main level. */
export const levelCount = (file: string, level: string): number =>
  [...'0123456789abcdef'].reduce((sum, s) => sum + tableCount(file, `${level}_${s}`), 0);
