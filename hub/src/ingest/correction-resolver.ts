/**
 * Completes the corrections (更正) of a batch before it is stored. An adapter knows that a record corrects one
 * it sent before (same milestone id or certificate number), and says so with `correctionReason`; it cannot
 * know the salted commitment of the version it corrects, which only the hub holds. Here each such record
 * becomes version n + 1 of the current version n (the newest stored version that is pending or anchored),
 * naming n's commitment in `corrects`; both fields then belong to the record and its commitment.
 *
 * A re-delivery must produce the same record, so a record whose source key is already stored is taken as
 * stored (the store then answers `duplicate`). Several versions of one key in a batch chain in order. A record
 * that already names its version and what it corrects passes unchanged (the chaincode judges it), and so does
 * a request to correct a key the hub has never stored: it is a first version.
 */
import {
  type Envelope,
  isCorrection,
  recordIdOf,
  versionOf,
  type Certificate,
  type Milestone,
} from '@approval-ledger/protocol';
import { newRecordFromEnvelope, type NewRecord, type RecordRepository, type StoredRecord } from '../store';

type Correctable = Extract<Envelope, { kind: 'milestone' | 'certificate' }>;

/** What a later version chains to: the current version's number and commitment. */
interface Head {
  readonly version: number;
  readonly commitment: string;
}

/** The rows to store for `envelopes`, in order, with corrections completed. */
export async function newRecordsWithCorrections(
  records: Pick<RecordRepository, 'findById' | 'findByLedgerKey'>,
  envelopes: readonly Envelope[],
): Promise<NewRecord[]> {
  const heads = new Map<string, Head>();
  const out: NewRecord[] = [];
  for (const envelope of envelopes) {
    const row = isPendingCorrection(envelope)
      ? await completed(records, envelope, heads)
      : newRecordFromEnvelope(envelope);
    if (row.kind === 'milestone' || row.kind === 'certificate')
      heads.set(`${row.kind}|${row.ledgerKey}`, {
        version: versionOf(row.record),
        commitment: row.commitment,
      });
    out.push(row);
  }
  return out;
}

/** An adapter's request to correct: a reason, no version named yet. */
function isPendingCorrection(envelope: Envelope): envelope is Correctable {
  if (envelope.kind !== 'milestone' && envelope.kind !== 'certificate') return false;
  return isCorrection(envelope.record) && envelope.record.version === undefined;
}

async function completed(
  records: Pick<RecordRepository, 'findById' | 'findByLedgerKey'>,
  envelope: Correctable,
  heads: Map<string, Head>,
): Promise<NewRecord> {
  const stored = await records.findById(recordIdOf(envelope.record.source));
  if (stored && stored.kind === envelope.kind)
    return newRecordFromEnvelope({ ...envelope, record: stored.record } as Envelope);
  const key = ledgerKeyOf(envelope);
  const head =
    heads.get(`${envelope.kind}|${key}`) ?? headOf(await records.findByLedgerKey(envelope.kind, key));
  if (!head) return newRecordFromEnvelope(envelope);
  const record = { ...envelope.record, version: head.version + 1, corrects: head.commitment };
  return newRecordFromEnvelope({ ...envelope, record } as Envelope);
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
    if (!head || version >= head.version) head = { version, commitment: v.commitment };
  }
  return head;
}
