/**
 * Change capture on (GXSJ, ID) for a table whose update stamp has one-second resolution.
 *
 * The checkpoint is the position (GXSJ second, ID) of the last row handled plus a memory of every row handled
 * whose GXSJ lies in the overlap window (the checkpoint second and the `overlapSeconds - 1` before it): its
 * GXSJ, a content hash and a same-second revision counter. Each poll re-reads the whole window, then reads
 * forward from the position. A row re-read unchanged (same GXSJ, same hash) is skipped, so nothing is
 * re-published; a row changed again within the same second (same GXSJ, new hash), even with an ID below the
 * checkpoint's, is published with the next revision, so nothing is missed. The version of a row is its GXSJ in
 * epoch milliseconds plus that revision (GXSJ has whole seconds, so the revision fits in the milliseconds).
 */
import { canonicalize, sha256Hex } from '@approval-ledger/protocol';
import { z } from 'zod';

/** id -> [GXSJ epoch seconds, content hash, same-second revision] */
const MemoryEntrySchema = z.tuple([
  z.number().int().nonnegative(),
  z.string().min(1),
  z.number().int().min(0).max(999),
]);
type MemoryEntry = z.infer<typeof MemoryEntrySchema>;

export const HcCheckpointSchema = z.strictObject({
  /** GXSJ (epoch seconds) of the last row handled. */
  gxsj: z.number().int().nonnegative(),
  id: z.number().int().nonnegative(),
  seen: z.record(z.string().regex(/^\d+$/), MemoryEntrySchema),
});
export type HcCheckpoint = z.infer<typeof HcCheckpointSchema>;

/** One row as the capture sees it. */
export interface ObservedRow {
  readonly id: number;
  readonly gxsj: number;
  readonly hash: string;
}

export interface RowVerdict {
  readonly id: number;
  /** false: unchanged since it was handled; nothing to publish. */
  readonly changed: boolean;
  readonly version: number;
  /** The capture published an earlier state of this row (still in its memory): the row was updated. */
  readonly updated: boolean;
}

export interface CaptureOptions {
  readonly overlapSeconds: number;
  readonly maxRemembered: number;
}

export const START: HcCheckpoint = { gxsj: 0, id: 0, seen: {} };

/** Short content hash of a row (48 bits: collisions only matter for two states of one row in one second). */
export function rowHash(content: unknown): string {
  return sha256Hex(canonicalize(content)).slice(0, 12);
}

/** `GXSJ * 1000 + revision`: the row's version, GXSJ in epoch milliseconds. */
export function rowVersion(gxsj: number, revision: number): number {
  return gxsj * 1000 + revision;
}

/** The GXSJ second a version was made from. */
export function gxsjOfVersion(version: number): number {
  return Math.floor(version / 1000);
}

/** The first second of the re-read window below and including the checkpoint second. */
export function windowStart(checkpoint: HcCheckpoint, overlapSeconds: number): number {
  return Math.max(0, checkpoint.gxsj - overlapSeconds + 1);
}

/**
 * Decides, for rows read in order (window rows first, then forward rows), which to publish with which
 * version, and the checkpoint once they are all acknowledged.
 */
export function captureChanges(
  previous: HcCheckpoint,
  rows: readonly ObservedRow[],
  options: CaptureOptions,
): { verdicts: RowVerdict[]; checkpoint: HcCheckpoint } {
  const seen = new Map<string, MemoryEntry>(Object.entries(previous.seen));
  let position: [number, number] = [previous.gxsj, previous.id];
  const verdicts = rows.map((row) => {
    const verdict = observe(seen, row);
    if (row.gxsj > position[0] || (row.gxsj === position[0] && row.id > position[1]))
      position = [row.gxsj, row.id];
    return verdict;
  });
  const [gxsj, id] = position;
  return { verdicts, checkpoint: { gxsj, id, seen: remember(seen, gxsj, options) } };
}

function observe(seen: Map<string, MemoryEntry>, row: ObservedRow): RowVerdict {
  const key = String(row.id);
  const entry = seen.get(key);
  if (entry !== undefined && entry[0] === row.gxsj) {
    if (entry[1] === row.hash)
      return { id: row.id, changed: false, version: rowVersion(row.gxsj, entry[2]), updated: false };
    const revision = Math.min(entry[2] + 1, 999);
    seen.set(key, [row.gxsj, row.hash, revision]);
    return { id: row.id, changed: true, version: rowVersion(row.gxsj, revision), updated: true };
  }
  seen.set(key, [row.gxsj, row.hash, 0]);
  return { id: row.id, changed: true, version: rowVersion(row.gxsj, 0), updated: entry !== undefined };
}

/**
 * Keeps the rows of the overlap window. Over the cap, rows with a same-second revision are kept first (their
 * revision cannot be recomputed), then the newest; a forgotten unchanged row re-read later gets revision 0 again,
 * the same `Nats-Msg-Id`, and JetStream de-duplicates it.
 */
function remember(
  seen: Map<string, MemoryEntry>,
  gxsj: number,
  options: CaptureOptions,
): Record<string, MemoryEntry> {
  const from = Math.max(0, gxsj - options.overlapSeconds + 1);
  let kept = [...seen].filter(([, entry]) => entry[0] >= from);
  if (kept.length > options.maxRemembered) {
    kept = kept
      .sort(([, a], [, b]) => Number(b[2] > 0) - Number(a[2] > 0) || b[0] - a[0])
      .slice(0, options.maxRemembered);
  }
  return Object.fromEntries(kept);
}
