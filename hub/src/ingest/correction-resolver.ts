/**
 * Completes the corrections (更正) of a batch before it is stored. An adapter knows that a record corrects one
 * it sent before (same milestone id or certificate number), and says so with `correctionReason`; it cannot
 * know the salted commitment of the version it corrects, which only the hub holds. Here each such record
 * becomes version n + 1 of the current version n (the newest stored version that is pending or anchored),
 * naming n's commitment in `corrects`; both fields then belong to the record and its commitment.
 *
 * An adapter cannot always know. The hc-mysql adapter learns that a row was sent from the receipt it writes
 * back (CHAIN_TXID) or from its change capture's short memory; a clerk's update that comes before the first
 * version's receipt, once the capture has moved on, reaches the hub as a plain record. The hub knows better:
 * the same legacy record (source system and record id) with a higher source version under a key it already
 * holds from that record is that record updated, so it becomes version n + 1 too, with the reason said here.
 * Another legacy record claiming the same key (two different "first" versions) stays a first version, and the
 * chaincode refuses it as a RECORD_CONFLICT. The stored versions of such candidates come in one query per
 * batch and kind; a record whose source version is 1 cannot be an update and costs nothing.
 *
 * A re-delivery must produce the same record, so a record whose source key is already stored is taken as
 * stored (the store then answers `duplicate`). Several versions of one key in a batch chain in order. A record
 * that already names its version and what it corrects passes unchanged (the chaincode judges it), and so does
 * a request to correct a key the hub has never stored: it is a first version.
 */
import {
  type CommitmentSuite,
  type Envelope,
  isCorrection,
  recordIdOf,
  versionOf,
  type Certificate,
  type Milestone,
  type SourceRef,
} from '@approval-ledger/protocol';
import { newRecordFromEnvelope, type NewRecord, type RecordRepository, type StoredRecord } from '../store';

type Correctable = Extract<Envelope, { kind: 'milestone' | 'certificate' }>;
type Lookups = Pick<RecordRepository, 'findById' | 'findByLedgerKey' | 'findByLedgerKeys'>;

/** What a later version chains to: the current version's number and commitment, and where it came from. */
interface Head {
  readonly version: number;
  readonly commitment: string;
  readonly source: SourceRef;
}

/** The rows to store for `envelopes`, in order, with corrections completed. */
export async function newRecordsWithCorrections(
  records: Lookups,
  envelopes: readonly Envelope[],
  suite: CommitmentSuite = 'intl',
): Promise<NewRecord[]> {
  const stored = await storedVersionsOfUpdates(records, envelopes);
  const heads = new Map<string, Head>();
  const out: NewRecord[] = [];
  for (const envelope of envelopes) {
    // a first version (neither a correction nor a possible update) is built at once, without a promise
    const row = readsStoredVersions(envelope)
      ? await rowOf(records, envelope, heads, stored, suite)
      : newRecordFromEnvelope(envelope, { suite });
    if (row.kind === 'milestone' || row.kind === 'certificate')
      heads.set(`${row.kind}|${row.ledgerKey}`, {
        version: versionOf(row.record),
        commitment: row.commitment,
        source: row.source,
      });
    out.push(row);
  }
  return out;
}

async function rowOf(
  records: Lookups,
  envelope: Envelope,
  heads: ReadonlyMap<string, Head>,
  stored: ReadonlyMap<string, StoredRecord[]>,
  suite: CommitmentSuite,
): Promise<NewRecord> {
  if (isPendingCorrection(envelope)) return completed(records, envelope as Correctable, heads, suite);
  if (!mayBeUpdate(envelope)) return newRecordFromEnvelope(envelope, { suite });
  const key = `${envelope.kind}|${ledgerKeyOf(envelope)}`;
  const versions = stored.get(key) ?? [];
  const same = versions.find((v) => v.id === recordIdOf(envelope.record.source));
  if (same) return asStored(envelope, same, suite);
  const head = heads.get(key) ?? headOf(versions);
  return head && updatesSameSource(envelope, head)
    ? correctionOf(envelope, head, updateReason(head.source, envelope.record.source), suite)
    : newRecordFromEnvelope(envelope, { suite });
}

/** Whether completing `envelope` reads stored versions (a correction to complete, or a possible update). */
export function readsStoredVersions(envelope: Envelope): boolean {
  return isPendingCorrection(envelope) || mayBeUpdate(envelope);
}

/** An adapter's request to correct: a reason, no version named yet. */
function isPendingCorrection(envelope: Envelope): boolean {
  if (envelope.kind !== 'milestone' && envelope.kind !== 'certificate') return false;
  return isCorrection(envelope.record) && envelope.record.version === undefined;
}

/** A plain milestone or certificate from a later version of its legacy record: possibly an update. */
function mayBeUpdate(envelope: Envelope): envelope is Correctable {
  if (envelope.kind !== 'milestone' && envelope.kind !== 'certificate') return false;
  return envelope.record.version === undefined && envelope.record.source.version > 1;
}

/** The stored versions of the keys of the batch's possible updates, by `kind|key` (one query per kind). */
async function storedVersionsOfUpdates(
  records: Lookups,
  envelopes: readonly Envelope[],
): Promise<Map<string, StoredRecord[]>> {
  const byKind = new Map<Correctable['kind'], string[]>();
  for (const e of envelopes) {
    if (mayBeUpdate(e)) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), ledgerKeyOf(e)]);
  }
  const out = new Map<string, StoredRecord[]>();
  for (const [kind, keys] of byKind) {
    for (const row of await records.findByLedgerKeys(kind, keys)) {
      const key = `${row.kind}|${row.ledgerKey}`;
      out.set(key, [...(out.get(key) ?? []), row]);
    }
  }
  return out;
}

/** The head came from the same legacy record, at an earlier source version. */
function updatesSameSource(envelope: Correctable, head: Head): boolean {
  const source = envelope.record.source;
  return (
    head.source.system === source.system &&
    head.source.recordId === source.recordId &&
    head.source.version < source.version
  );
}

function updateReason(from: SourceRef, to: SourceRef): string {
  return `更正：来源记录 ${to.system}:${to.recordId} 已更新（来源版本 ${from.version} → ${to.version}）`;
}

async function completed(
  records: Lookups,
  envelope: Correctable,
  heads: ReadonlyMap<string, Head>,
  suite: CommitmentSuite,
) {
  const stored = await records.findById(recordIdOf(envelope.record.source));
  if (stored && stored.kind === envelope.kind) return asStored(envelope, stored, suite);
  const key = ledgerKeyOf(envelope);
  const head =
    heads.get(`${envelope.kind}|${key}`) ?? headOf(await records.findByLedgerKey(envelope.kind, key));
  if (!head) return newRecordFromEnvelope(envelope, { suite });
  return correctionOf(envelope, head, envelope.record.correctionReason, suite);
}

/** A re-delivery: the record as it was stored (version and what it corrects included). */
function asStored(envelope: Correctable, stored: StoredRecord, suite: CommitmentSuite): NewRecord {
  return newRecordFromEnvelope({ ...envelope, record: stored.record } as Envelope, { suite });
}

/** Version n + 1 of `head`, naming its commitment, with `reason`. */
function correctionOf(
  envelope: Correctable,
  head: Head,
  reason: string | undefined,
  suite: CommitmentSuite,
): NewRecord {
  const record = {
    ...envelope.record,
    version: head.version + 1,
    corrects: head.commitment,
    ...(reason === undefined ? {} : { correctionReason: reason }),
  };
  return newRecordFromEnvelope({ ...envelope, record } as Envelope, { suite });
}

function ledgerKeyOf(envelope: Correctable): string {
  return envelope.kind === 'milestone' ? envelope.record.id : envelope.record.number;
}

/** The newest version that may be on the ledger (pending or anchored), by version then arrival. */
function headOf(versions: readonly StoredRecord[]): Head | undefined {
  let head: Head | undefined;
  for (const v of versions) {
    if (v.status !== 'pending' && v.status !== 'anchored') continue;
    const version = versionOf(v.record as Milestone | Certificate);
    if (!head || version >= head.version) head = { version, commitment: v.commitment, source: v.source };
  }
  return head;
}
