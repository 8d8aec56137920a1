import { type AnchorPage, type TlogStatus } from '@approval-ledger/protocol/api';

/** A checkpoint older than this, while the tree has grown past it, lags. */
export const CHECKPOINT_LAG_MS = 5 * 60_000;
/** The latest checkpoint not anchored this long after it was published lags (twice the default 30 s interval). */
export const ANCHOR_LAG_MS = 60_000;

export type TrustWarning =
  | { readonly kind: 'no-checkpoint' }
  | { readonly kind: 'checkpoint-lags'; readonly size: number; readonly treeSize: number }
  | { readonly kind: 'witness-lags'; readonly witness: string; readonly size: number | null }
  | { readonly kind: 'no-anchor' }
  | { readonly kind: 'anchor-lags'; readonly anchored: number; readonly size: number }
  | { readonly kind: 'nothing-pinned' };

export interface WitnessRow {
  readonly region: string;
  readonly name: string;
  /** The size it last cosigned as far as the log shows (the latest checkpoint's when it carries its cosignature). */
  readonly size: number | null;
  /** When that checkpoint was published. */
  readonly at: string | null;
  readonly lags: boolean;
}

/** Each witness's last cosigned size as the latest checkpoint shows it. */
export function witnessRows(status: TlogStatus): WitnessRow[] {
  const checkpoint = status.checkpoint;
  return status.witnesses.map((w) => {
    const cosigned = checkpoint !== null && checkpoint.cosignedBy.includes(w.name);
    return {
      region: w.region,
      name: w.name,
      size: cosigned ? checkpoint.size : null,
      at: cosigned ? checkpoint.publishedAt : null,
      lags: !cosigned,
    };
  });
}

function checkpointWarnings(status: TlogStatus, age: number): TrustWarning[] {
  const checkpoint = status.checkpoint!;
  const lags = status.treeSize > checkpoint.size && age > CHECKPOINT_LAG_MS;
  return [
    ...(lags ? [{ kind: 'checkpoint-lags', size: checkpoint.size, treeSize: status.treeSize } as const] : []),
    ...witnessRows(status)
      .filter((r) => r.lags)
      .map((r) => ({ kind: 'witness-lags', witness: r.name, size: r.size }) as const),
  ];
}

function anchorWarnings(size: number, anchors: AnchorPage | undefined, age: number): TrustWarning[] {
  if (!anchors || age <= ANCHOR_LAG_MS) return [];
  const anchored = anchors.anchors[0]?.anchor.checkpoint.size;
  if (anchored === undefined) return [{ kind: 'no-anchor' }];
  return anchored < size ? [{ kind: 'anchor-lags', anchored, size }] : [];
}

/** What lags, or is not established, for the trust page's warning (empty: nothing to warn of). */
export function trustWarnings(
  status: TlogStatus | undefined,
  anchors: AnchorPage | undefined,
  pinned: boolean,
  now: number,
): TrustWarning[] {
  const warnings: TrustWarning[] = pinned ? [] : [{ kind: 'nothing-pinned' }];
  if (!status) return warnings;
  const checkpoint = status.checkpoint;
  if (checkpoint === null) return [...warnings, { kind: 'no-checkpoint' }];
  const age = now - Date.parse(checkpoint.publishedAt);
  return [...warnings, ...checkpointWarnings(status, age), ...anchorWarnings(checkpoint.size, anchors, age)];
}
