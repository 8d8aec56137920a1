/** Builds the row of a record from its protocol form: pure, no database. */
import { randomFillSync } from 'node:crypto';
import {
  type DataClass,
  type DepartmentCode,
  type DocumentRef,
  type Envelope,
  canonicalize,
  commitmentOfCanonical,
  type CommitmentSuite,
  recordIdOf,
} from '@approval-ledger/protocol';
import { type NewRecord, type RecordOfKind } from './repositories/record.repository';

/** A protocol record with its kind, as an envelope carries it. */
export type KindedRecord = {
  [K in keyof RecordOfKind]: { readonly kind: K; readonly record: RecordOfKind[K] };
}[keyof RecordOfKind];

export interface NewRecordOptions {
  /** Default: a fresh salt (32 CSPRNG bytes, as protocol's `newSalt()`). */
  readonly salt?: string;
  /** Default: now. */
  readonly receivedAt?: Date;
  /** The department, for records that name none themselves (credit events); else the record's. */
  readonly dept?: DepartmentCode;
  /** The crypto suite of the commitment (the data dir's artefact suite): SHA-256 (`intl`, default) or SM3. */
  readonly suite?: CommitmentSuite;
}

const NO_DOCUMENTS: readonly DocumentRef[] = [];

/**
 * 32 fresh bytes from the operating system's CSPRNG (the source of protocol's `newSalt`), as 64 lower-case
 * hex digits. Drawn 8 KiB at a time: one system call per 256 salts instead of one per salt.
 */
const SALT_BYTES = 32;
const saltPool = Buffer.alloc(SALT_BYTES * 256);
let saltOffset = saltPool.length;

export function freshSalt(): string {
  if (saltOffset === saltPool.length) {
    randomFillSync(saltPool);
    saltOffset = 0;
  }
  const salt = saltPool.toString('hex', saltOffset, saltOffset + SALT_BYTES);
  saltPool.fill(0, saltOffset, saltOffset + SALT_BYTES); // a salt handed out leaves no copy behind
  saltOffset += SALT_BYTES;
  return salt;
}

/**
 * The row for a validated record: canonical JSON, salt, commitment and the derived lookup columns. Every kind's
 * row is one object literal with the same keys in the same order: spreading a shared part and a kind's part
 * into a new object cost about 5 µs per record, more than the commitment's hash.
 */
export function newRecord(input: KindedRecord, options: NewRecordOptions = {}): NewRecord {
  const salt = options.salt ?? freshSalt();
  const { kind, record } = input;
  const recordJson = canonicalize(record);
  let ledgerKey: string;
  let dept: DepartmentCode | null;
  let project: { projectCode: string | null; dataClass: DataClass; documents: readonly DocumentRef[] };
  switch (input.kind) {
    case 'milestone':
      ({ id: ledgerKey, dept } = input.record);
      project = input.record;
      break;
    case 'certificate':
      ({ number: ledgerKey, dept } = input.record);
      project = input.record;
      break;
    case 'certificate-revocation':
      ({ number: ledgerKey, dept } = input.record);
      project = { projectCode: null, dataClass: 'internal', documents: NO_DOCUMENTS };
      break;
    case 'credit':
      ledgerKey = input.record.id;
      dept = options.dept ?? null;
      project = { projectCode: null, dataClass: input.record.dataClass, documents: NO_DOCUMENTS };
      break;
  }
  // `kind` and `record` come from one input, so the row is the NewRecord of that kind
  return {
    id: recordIdOf(record.source),
    region: record.region,
    source: record.source,
    recordJson,
    salt,
    commitment: commitmentOfCanonical(recordJson, salt, options.suite),
    receivedAt: options.receivedAt ?? new Date(),
    kind,
    record,
    projectCode: project.projectCode,
    dataClass: project.dataClass,
    documents: project.documents,
    ledgerKey,
    dept,
  } as NewRecord;
}

/** The row for the record an envelope carries (the envelope's department for credit events). */
export function newRecordFromEnvelope(
  envelope: Envelope,
  options: Omit<NewRecordOptions, 'dept'> = {},
): NewRecord {
  // the options named, not spread: a spread copy given a key it lacks is built on V8's slow path (hub/README.md)
  const { salt, receivedAt, suite } = options;
  return newRecord(envelope, { salt, receivedAt, suite, dept: envelope.dept });
}
