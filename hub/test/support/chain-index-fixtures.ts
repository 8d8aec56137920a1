/** Rows for unit tests of the chain index and what reads it: an anchored milestone and a block header. */
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
