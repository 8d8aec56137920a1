/**
 * The version history of one milestone id or certificate number (更正), from the store: every stored version
 * of the record, oldest first, with what it corrects and why; `current` is the one whose commitment the
 * ledger holds under the key now.
 */
import { type Certificate, type Milestone, versionOf } from '@approval-ledger/protocol';
import { type RecordVersion } from '@approval-ledger/protocol/api';
import { type StoredRecord } from '../store';

export interface VersionView {
  readonly version: number;
  readonly current: boolean;
  readonly versions: RecordVersion[];
}

/**
 * The view of the version with `shownCommitment` among `stored` (the key's stored records of one kind),
 * against the ledger's current commitment.
 */
export function versionViewOf(
  stored: readonly StoredRecord[],
  shownCommitment: string,
  currentCommitment: string,
): VersionView {
  const versions = stored
    .filter((r) => r.kind === 'milestone' || r.kind === 'certificate')
    .map((r) => versionEntryOf(r, currentCommitment))
    .sort((a, b) => a.version - b.version || a.receivedAt.localeCompare(b.receivedAt));
  const shown = versions.find((v) => v.commitment === shownCommitment);
  return {
    version: shown?.version ?? 1,
    current: shownCommitment === currentCommitment,
    versions,
  };
}

function versionEntryOf(r: StoredRecord, currentCommitment: string): RecordVersion {
  const record = r.record as Milestone | Certificate;
  return {
    version: versionOf(record),
    commitment: r.commitment,
    ...(record.corrects === undefined ? {} : { corrects: record.corrects }),
    ...(record.correctionReason === undefined ? {} : { correctionReason: record.correctionReason }),
    sourceKey: r.id,
    status: r.status,
    txId: r.txId,
    receivedAt: r.receivedAt.toISOString(),
    current: r.commitment === currentCommitment,
  };
}
