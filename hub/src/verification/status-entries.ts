/**
 * The status of every revocable thing as the chain index knows it, in the status tree's terms
 * (protocol `tlog/status-tree.ts`), restricted to what the first `size` blocks hold:
 *
 * - a certificate whose revocation is in a block < size: REVOKED by that transaction;
 * - a milestone that a REVOKED milestone revokes (protocol's revokesMilestone), both recorded in blocks < size:
 *   REVOKED by the earliest-decided such milestone's transaction, `by` that milestone, at the later of the two
 *   blocks (the revocation holds from the block where both are on the ledger);
 * - a recognition whose source (certificate or milestone) is revoked as above: SOURCE_REVOKED with the
 *   source's transaction and block, `by` `<kind>/<id>` of the source;
 * - a version n of a certificate or milestone that version n + 1 (a correction, 更正) recorded in a block < size
 *   supersedes: SUPERSEDED, `version` n, `supersededBy` n + 1, with n + 1's transaction and block.
 *
 * The index is derived from committed blocks only and must have indexed block size - 1 before this is asked.
 */
import { type StatusEntry } from '@approval-ledger/protocol';
import { type ChainIndex, type IndexedAnchor } from './chain-index';
import { milestoneRevocationsOf } from './source-revocation';

export type StatusIndex = Pick<
  ChainIndex,
  | 'get'
  | 'byProject'
  | 'revokingMilestones'
  | 'recognitionsOf'
  | 'revokedCertificates'
  | 'projectsWithRevokingMilestones'
  | 'supersededVersions'
>;

/** The status entries of the first `size` blocks. */
export function statusEntries(index: StatusIndex, size: number): StatusEntry[] {
  const revoked = [...revokedCertificates(index, size), ...revokedMilestonesOf(index, size)];
  return [...revoked, ...recognitionsOf(index, revoked), ...supersededVersions(index, size)];
}

function supersededVersions(index: StatusIndex, size: number): StatusEntry[] {
  return index.supersededVersions(size).flatMap((v): StatusEntry[] =>
    v.kind === 'credit' || !v.supersededBy
      ? []
      : [
          {
            kind: v.kind,
            id: v.key,
            status: 'SUPERSEDED',
            version: v.version,
            supersededBy: v.supersededBy.version,
            txId: v.supersededBy.txId,
            block: v.supersededBy.block,
          },
        ],
  );
}

function revokedCertificates(index: StatusIndex, size: number): StatusEntry[] {
  return index
    .revokedCertificates()
    .filter((a) => a.revocationBlock !== null && a.revocationBlock < size && a.revocationTxId)
    .map((a) => ({
      kind: 'certificate',
      id: a.key,
      status: 'REVOKED',
      txId: a.revocationTxId as string,
      block: a.revocationBlock as number,
    }));
}

function revokedMilestonesOf(index: StatusIndex, size: number): StatusEntry[] {
  const entries: StatusEntry[] = [];
  const within = scoped(index, size);
  for (const project of index.projectsWithRevokingMilestones()) {
    for (const milestone of within.byProject(project)) {
      const [by] = milestoneRevocationsOf(within, milestone);
      if (!by) continue;
      entries.push({
        kind: 'milestone',
        id: milestone.key,
        status: 'REVOKED',
        txId: by.txId,
        block: Math.max(by.blockNumber, milestone.blockNumber),
        by: by.key,
      });
    }
  }
  return entries;
}

/** The index as the first `size` blocks had it (anchors recorded later left out). */
function scoped(
  index: StatusIndex,
  size: number,
): Pick<ChainIndex, 'get' | 'byProject' | 'revokingMilestones'> {
  const before = (a: IndexedAnchor): boolean => a.blockNumber < size;
  return {
    get: (kind, key) => {
      const anchor = index.get(kind, key);
      return anchor && before(anchor) ? anchor : undefined;
    },
    byProject: (project) => index.byProject(project).filter(before),
    revokingMilestones: (project) => index.revokingMilestones(project).filter(before),
  };
}

function recognitionsOf(index: StatusIndex, revoked: readonly StatusEntry[]): StatusEntry[] {
  return revoked.flatMap((source) =>
    index.recognitionsOf(source.kind, source.id).map((r): StatusEntry => ({
      kind: 'recognition',
      id: r.id,
      status: 'SOURCE_REVOKED',
      txId: source.txId,
      block: source.block,
      by: `${source.kind}/${source.id}`,
    })),
  );
}
