// Time on the ledger comes only from the proposal (getTxTimestamp), never from the clock.
import { parseTimestamp } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';

/** The transaction's timestamp as an ISO 8601 UTC string (millisecond precision). */
export function txTime(ctx: Context): string {
  const ts = ctx.stub.getTxTimestamp();
  const ms = Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
  return new Date(ms).toISOString();
}

export function epochMs(timestamp: string): number {
  return parseTimestamp(timestamp).epochMs;
}

/** A timestamp normalised to UTC, so that keys sort in time order whatever the offset given. */
export function sortableTime(timestamp: string): string {
  return new Date(epochMs(timestamp)).toISOString();
}
