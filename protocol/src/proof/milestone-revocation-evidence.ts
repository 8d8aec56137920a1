/**
 * A milestone's revocation evidence in a proof bundle: the transaction that recorded a REVOKED milestone which
 * revokes the bundle's milestone under {@link revokesMilestone} (same project, region, department and stage,
 * decided at or after it). The REVOKED milestone is read from the transaction's write set, which every
 * endorsement covers: a write of the `milestone` key `[id]` is the entry exactly as the chaincode stored it,
 * stamped with the writing transaction's id.
 */
import { type EndorserTransactionJson } from '../block-format/embedded-block.js';
import {
  milestoneRevocationMismatch,
  revokesMilestone,
  type MilestoneRevocationFacts,
} from '../milestone-revocation.js';
import { base64ToBytes } from './base64.js';
import { isObject, parseJson } from './transaction-writers.js';

/** What a transaction wrote (an embedded transaction, or a Fabric one's writes in the same form). */
export interface TransactionWrites {
  readonly rwset: { readonly writes: EndorserTransactionJson['rwset']['writes'] };
}

export type MilestoneRevocationFinding =
  | { readonly ok: true; readonly revoking: MilestoneRevocationFacts }
  | { readonly ok: false; readonly reason: string };

const FACTS = ['id', 'projectCode', 'region', 'dept', 'stage', 'decision', 'decidedAt'] as const;

/** The chaincode's composite key of milestone `id` (Fabric: U+0000, type, U+0000, each attribute, U+0000). */
export function milestoneStateKey(id: string): string {
  return `\u0000milestone\u0000${id}\u0000`;
}

/** The rule's facts of an anchor or entry, when it has all of them as strings. */
export function milestoneFacts(value: unknown): MilestoneRevocationFacts | undefined {
  if (!isObject(value) || !FACTS.every((f) => typeof value[f] === 'string')) return undefined;
  return value as unknown as MilestoneRevocationFacts;
}

/** The REVOKED milestone entries transaction `txId` wrote. */
export function revokedMilestonesWritten(tx: TransactionWrites, txId: string): MilestoneRevocationFacts[] {
  const found: MilestoneRevocationFacts[] = [];
  for (const write of tx.rwset.writes) {
    if (write.isDelete || !write.key.startsWith('\u0000milestone\u0000')) continue;
    const entry = parseJson(decodeUtf8(write.value));
    const facts = milestoneFacts(entry);
    const written =
      facts !== undefined &&
      isObject(entry) &&
      entry.txId === txId &&
      write.key === milestoneStateKey(facts.id) &&
      facts.decision === 'REVOKED';
    if (written) found.push(facts);
  }
  return found;
}

/**
 * The REVOKED milestone that transaction `txId` wrote and that revokes `anchor`, or the reason there is none
 * (naming the first REVOKED milestone written and the part of the rule it fails).
 */
export function findMilestoneRevocation(
  anchor: unknown,
  tx: TransactionWrites,
  txId: string,
): MilestoneRevocationFinding {
  const milestone = milestoneFacts(anchor);
  if (!milestone)
    return { ok: false, reason: 'the milestone anchor lacks the facts the revocation rule reads' };
  const written = revokedMilestonesWritten(tx, txId);
  if (written.length === 0) return { ok: false, reason: `transaction ${txId} records no REVOKED milestone` };
  const revoking = written.find((r) => safely(() => revokesMilestone(r, milestone)));
  if (revoking) return { ok: true, revoking };
  const first = written[0] as MilestoneRevocationFacts;
  return {
    ok: false,
    reason: milestoneRevocationMismatch(first, milestone) ?? `milestone ${first.id} does not revoke it`,
  };
}

function safely(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

function decodeUtf8(base64: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(base64));
  } catch {
    return undefined;
  }
}
