/**
 * The anchoring step of ingest as a port: a group of stored records of one kind, region and department in,
 * one outcome per record out. `LedgerAnchorer` submits them to the chaincode; the benchmark's baseline
 * replaces it with a plain SQL insert (`SqlAnchorer`) to show what the ledger costs.
 */
import {
  type Certificate,
  type CertificateRevocation,
  type CreditEvent,
  type DepartmentCode,
  type EnvelopeKind,
  type Milestone,
  type RegionCode,
} from '@approval-ledger/protocol';

/** The record of each kind, as stored off chain. */
export interface KindRecord {
  milestone: Milestone;
  certificate: Certificate;
  'certificate-revocation': CertificateRevocation;
  credit: CreditEvent;
}

export interface AnchorItem {
  /** `recordIdOf(source)`: the store's id and the receipt's recordId. */
  readonly sourceKey: string;
  readonly kind: EnvelopeKind;
  /** Milestone id, certificate number, credit event id. */
  readonly ledgerKey: string;
  readonly record: KindRecord[EnvelopeKind];
  /** The stored salt (the same on every re-delivery, so the commitment is the same). */
  readonly salt: string;
  /** The stored commitment to record and salt: what goes on chain (computed once, when the record was stored). */
  readonly commitment: string;
}

export interface AnchorGroup {
  readonly kind: EnvelopeKind;
  readonly region: RegionCode;
  readonly dept: DepartmentCode;
  readonly items: readonly AnchorItem[];
}

/** Recognitions whose source a revocation made SOURCE_REVOKED. */
export interface AffectedRecognition {
  readonly id: string;
  readonly sourceRegion: RegionCode;
  readonly targetRegion: RegionCode;
}

export type AnchorResult =
  | {
      readonly status: 'anchored';
      readonly txId: string;
      readonly blockNumber: number;
      /** False when the ledger already held it (a re-delivery): nothing changed. */
      readonly recorded: boolean;
      readonly affectedRecognitions?: readonly AffectedRecognition[];
      readonly revocationReason?: string;
    }
  | { readonly status: 'conflict'; readonly code: string; readonly reason: string }
  | { readonly status: 'rejected'; readonly code: string; readonly reason: string }
  /** Transient: try again later (nak). */
  | { readonly status: 'retry'; readonly code: string; readonly reason: string };

export interface Anchorer {
  /** One result per item, in order. Never throws for a refused record; throws nothing but programming errors. */
  anchor(group: AnchorGroup): Promise<AnchorResult[]>;
}
