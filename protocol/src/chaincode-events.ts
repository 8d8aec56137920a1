/** Names of the chaincode events (one per transaction), as clients subscribe to them. */
export const CHAINCODE_EVENTS = {
  MilestonesRecorded: 'MilestonesRecorded',
  CertificateIssued: 'CertificateIssued',
  CertificateRevoked: 'CertificateRevoked',
  CreditRecorded: 'CreditRecorded',
  IssuerGranted: 'IssuerGranted',
  RecognitionRequested: 'RecognitionRequested',
  RecognitionDecided: 'RecognitionDecided',
  SignerChanged: 'SignerChanged',
  CheckpointRecorded: 'CheckpointRecorded',
} as const;

export type ChaincodeEventName = keyof typeof CHAINCODE_EVENTS;

/** The most records one ledger transaction accepts (larger batches fail with BATCH_TOO_LARGE). */
export const MAX_BATCH = 500;

/**
 * What `milestones:RecordBatch` returns, kept small because it travels in every endorsement and in the block:
 * `count` records (exact repeats inside the batch counted once), `recorded` of them written by this transaction
 * (their receipt is this transaction's id), and the others, already anchored with the same commitment, each
 * with the transaction that first recorded it. A record of the batch that is not in `unchanged` was recorded.
 */
export interface MilestoneBatchResult {
  readonly count: number;
  readonly recorded: number;
  readonly unchanged: readonly { readonly id: string; readonly txId: string }[];
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** The first `unchanged` entry that is not an `{id, txId}` pair, as a reason, or undefined. */
function badUnchanged(unchanged: readonly unknown[]): string | undefined {
  const i = unchanged.findIndex((u) => {
    const entry = u as Record<string, unknown> | null;
    return typeof entry?.id !== 'string' || typeof entry.txId !== 'string';
  });
  return i < 0 ? undefined : `unchanged[${i}]: not an {id, txId} pair`;
}

/** A parsed batch result, or a reason it is not one (the hub never trusts a result's shape blindly). */
export function parseMilestoneBatchResult(value: unknown): MilestoneBatchResult | string {
  if (typeof value !== 'object' || value === null) return 'the batch result is not an object';
  const { count, recorded, unchanged } = value as Record<string, unknown>;
  if (!isCount(count)) return 'count: not a non-negative integer';
  if (!isCount(recorded)) return 'recorded: not a non-negative integer';
  if (!Array.isArray(unchanged)) return 'unchanged: not an array';
  const bad = badUnchanged(unchanged);
  if (bad) return bad;
  if (recorded + unchanged.length !== count)
    return `recorded (${recorded}) + unchanged (${unchanged.length}) is not count (${count})`;
  return { count, recorded, unchanged: unchanged as MilestoneBatchResult['unchanged'] };
}
