/**
 * Reconciliation of legacy sources: every record version seen on `LEGACY` against the records table, per
 * source system. Keys are `recordIdOf(source)` on both sides, so a seen version matches at most one record.
 */
import { type DepartmentCode, type RegionCode, type SourceRef } from '@approval-ledger/protocol';
import { type AnchorStatus, type RecordKind } from './record.repository';

/** One delivery of a `LEGACY` message. */
export interface LegacySighting {
  readonly source: SourceRef;
  readonly kind: RecordKind;
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
  /** The message's `LEGACY` stream sequence. */
  readonly streamSeq: number;
  readonly at: Date;
}

/** Where a seen version stands: its record's status, or why there is no record. */
export type ReconciliationState = AnchorStatus | 'dead-lettered' | 'missing';

export interface ReconciliationCounts {
  readonly sourceSystem: string;
  /** Distinct versions seen on `LEGACY`. */
  readonly seen: number;
  readonly byState: Readonly<Record<ReconciliationState, number>>;
  /** Records of this system that never came through `LEGACY` (e.g. posted to the API). */
  readonly notSeen: number;
  /** When the hub last saw a `LEGACY` message of this system; null when it never did. */
  readonly lastSeenAt: Date | null;
}

export interface ReconciliationMismatch {
  readonly sourceKey: string;
  readonly kind: RecordKind;
  readonly state: Exclude<ReconciliationState, 'anchored'>;
  readonly seenCount: number;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
}

export interface ReconciliationRepository {
  /** Notes deliveries (one INSERT; a version seen again bumps its count and last-seen time). */
  recordSeen(sightings: readonly LegacySighting[]): Promise<void>;
  /** Counts per source system. */
  report(): Promise<ReconciliationCounts[]>;
  /** Seen versions of one system that are not anchored, in key order. */
  mismatches(
    sourceSystem: string,
    options?: { readonly after?: string; readonly limit?: number },
  ): Promise<{ readonly items: ReconciliationMismatch[]; readonly next?: string }>;
}
