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

/** The row for a validated record: canonical JSON, salt, commitment and the derived lookup columns. */
export function newRecord(input: KindedRecord, options: NewRecordOptions = {}): NewRecord {
  const salt = options.salt ?? freshSalt();
  const recordJson = canonicalize(input.record);
  const common = {
    id: recordIdOf(input.record.source),
    region: input.record.region,
    source: input.record.source,
    recordJson,
    salt,
    commitment: commitmentOfCanonical(recordJson, salt, options.suite),
    receivedAt: options.receivedAt ?? new Date(),
  };
  switch (input.kind) {
    case 'milestone': {
      const { kind, record } = input;
      return { ...common, kind, record, ...withProject(record), ledgerKey: record.id, dept: record.dept };
    }
    case 'certificate': {
      const { kind, record } = input;
      return { ...common, kind, record, ...withProject(record), ledgerKey: record.number, dept: record.dept };
    }
    case 'certificate-revocation': {
      const { kind, record } = input;
      const noProject = { projectCode: null, dataClass: 'internal' as const, documents: NO_DOCUMENTS };
      return { ...common, kind, record, ...noProject, ledgerKey: record.number, dept: record.dept };
    }
    case 'credit': {
      const { kind, record } = input;
      const noProject = { projectCode: null, dataClass: record.dataClass, documents: NO_DOCUMENTS };
      return { ...common, kind, record, ...noProject, ledgerKey: record.id, dept: options.dept ?? null };
    }
  }
}

/** The row for the record an envelope carries (the envelope's department for credit events). */
export function newRecordFromEnvelope(
  envelope: Envelope,
  options: Omit<NewRecordOptions, 'dept'> = {},
): NewRecord {
  return newRecord(envelope, { ...options, dept: envelope.dept });
}

function withProject(record: { projectCode: string; dataClass: DataClass; documents: DocumentRef[] }): {
  projectCode: string;
  dataClass: DataClass;
  documents: readonly DocumentRef[];
} {
  return { projectCode: record.projectCode, dataClass: record.dataClass, documents: record.documents };
}
