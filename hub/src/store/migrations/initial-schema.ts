/**
 * The tables of the first migration, written once for both dialects with the column types of
 * `column-types.ts`. Frozen: a later change to the schema is a new migration in each dialect's list, never an
 * edit here.
 */
import { type Dialect, ddlTypes } from '../column-types';

const KINDS = `'milestone', 'certificate', 'certificate-revocation', 'credit'`;
const RECORD_STATUSES = `'pending', 'anchored', 'conflict', 'rejected'`;
const DATA_CLASSES = `'public', 'internal', 'sensitive'`;
const RECOGNITION_STATUSES = `'PENDING', 'RECOGNISED', 'REJECTED', 'SOURCE_REVOKED'`;
const RECEIPT_STATUSES = `'ANCHORED', 'DUPLICATE', 'CONFLICT', 'REJECTED'`;
const ROLES = `'approver', 'authority', 'admin', 'auditor'`;
const AUDIT_OUTCOMES = `'success', 'denied', 'failure'`;

/** CREATE TABLE and CREATE INDEX statements of the initial schema, in order. */
export function initialSchemaStatements(dialect: Dialect): string[] {
  const t = ddlTypes[dialect];
  const table = (name: string, columns: string[]): string =>
    `CREATE TABLE ${name} (\n  ${columns.join(',\n  ')}\n)${t.tableOptions}`;
  return [
    table('records', [
      `id ${t.ascii(220)} NOT NULL PRIMARY KEY`,
      `kind ${t.ascii(32)} NOT NULL CHECK (kind IN (${KINDS}))`,
      `ledger_key ${t.text(128)} NOT NULL`,
      `region ${t.ascii(8)} NOT NULL`,
      `dept ${t.ascii(16)} NULL`,
      `project_code ${t.ascii(64)} NULL`,
      `source_system ${t.ascii(64)} NOT NULL`,
      `source_record_id ${t.ascii(128)} NOT NULL`,
      `source_version ${t.bigint} NOT NULL`,
      `record_json ${t.json} NOT NULL`,
      `salt ${t.hex64} NOT NULL CHECK (LENGTH(salt) = 64)`,
      `commitment ${t.hex64} NOT NULL CHECK (LENGTH(commitment) = 64)`,
      `data_class ${t.ascii(16)} NOT NULL CHECK (data_class IN (${DATA_CLASSES}))`,
      `status ${t.ascii(16)} NOT NULL CHECK (status IN (${RECORD_STATUSES}))`,
      `status_reason ${t.text(2000)} NULL`,
      `tx_id ${t.ascii(128)} NULL`,
      `block_number ${t.bigint} NULL`,
      `anchored_at ${t.timestamp} NULL`,
      `received_at ${t.timestamp} NOT NULL`,
      // the primary key is the unique key of (source system, record id, version): id = recordIdOf(source)
      `CONSTRAINT ck_records_id_is_source CHECK (id = ${t.concat('source_system', "':'", 'source_record_id', "':'", 'source_version')})`,
    ]),
    'CREATE UNIQUE INDEX uq_records_commitment ON records (commitment)',
    'CREATE INDEX ix_records_project ON records (project_code)',
    'CREATE INDEX ix_records_status ON records (status)',
    'CREATE INDEX ix_records_ledger_key ON records (kind, ledger_key)',
    'CREATE INDEX ix_records_tx ON records (tx_id)',

    table('documents', [
      `record_id ${t.ascii(220)} NOT NULL`,
      `position ${t.int} NOT NULL`,
      `sha256 ${t.hex64} NOT NULL`,
      `name ${t.text(200)} NOT NULL`,
      `bytes ${t.bigint} NULL`,
      'PRIMARY KEY (record_id, position)',
    ]),
    'CREATE INDEX ix_documents_sha256 ON documents (sha256)',

    table('receipts', [
      `seq ${t.sequencePrimaryKey}`,
      `record_id ${t.ascii(220)} NOT NULL`,
      `region ${t.ascii(8)} NOT NULL`,
      `dept ${t.ascii(16)} NOT NULL`,
      `status ${t.ascii(16)} NOT NULL CHECK (status IN (${RECEIPT_STATUSES}))`,
      `tx_id ${t.ascii(128)} NULL`,
      `block_number ${t.bigint} NULL`,
      `at ${t.timestamp} NOT NULL`,
      `receipt_json ${t.json} NOT NULL`,
    ]),
    'CREATE INDEX ix_receipts_record ON receipts (record_id)',

    table('recognitions', [
      `id ${t.ascii(128)} NOT NULL PRIMARY KEY`,
      `subject_type ${t.ascii(16)} NOT NULL`,
      `subject_id ${t.text(128)} NOT NULL`,
      `source_region ${t.ascii(8)} NOT NULL`,
      `target_region ${t.ascii(8)} NOT NULL`,
      `status ${t.ascii(16)} NOT NULL CHECK (status IN (${RECOGNITION_STATUSES}))`,
      `request_json ${t.json} NOT NULL`,
      `requested_by ${t.text(200)} NULL`,
      `requested_at ${t.timestamp} NOT NULL`,
      `decision_json ${t.json} NULL`,
      `decided_at ${t.timestamp} NULL`,
      `status_reason ${t.text(500)} NULL`,
      `tx_id ${t.ascii(128)} NULL`,
      `block_number ${t.bigint} NULL`,
      `updated_at ${t.timestamp} NOT NULL`,
    ]),
    'CREATE INDEX ix_recognitions_target ON recognitions (target_region, status)',
    'CREATE INDEX ix_recognitions_source ON recognitions (source_region, status)',
    'CREATE INDEX ix_recognitions_subject ON recognitions (subject_type, subject_id)',

    table('tokens', [
      `jti ${t.ascii(64)} NOT NULL PRIMARY KEY`,
      `subject ${t.text(200)} NOT NULL`,
      `region ${t.ascii(8)} NOT NULL`,
      `role ${t.ascii(16)} NOT NULL CHECK (role IN (${ROLES}))`,
      `dept ${t.ascii(16)} NULL`,
      `issued_at ${t.timestamp} NOT NULL`,
      `expires_at ${t.timestamp} NOT NULL`,
      `issued_by ${t.text(200)} NULL`,
      `revoked_at ${t.timestamp} NULL`,
      `revoked_reason ${t.text(500)} NULL`,
    ]),
    'CREATE INDEX ix_tokens_subject ON tokens (subject)',

    table('audit_log', [
      `seq ${t.sequencePrimaryKey}`,
      `at ${t.timestamp} NOT NULL`,
      `actor_subject ${t.text(200)} NULL`,
      `actor_jti ${t.ascii(64)} NULL`,
      `actor_region ${t.ascii(8)} NULL`,
      `actor_role ${t.ascii(16)} NULL`,
      `actor_dept ${t.ascii(16)} NULL`,
      `action ${t.ascii(64)} NOT NULL`,
      `resource ${t.text(512)} NOT NULL`,
      `outcome ${t.ascii(16)} NOT NULL CHECK (outcome IN (${AUDIT_OUTCOMES}))`,
      `request_id ${t.text(128)} NULL`,
      `details_json ${t.json} NULL`,
    ]),
    'CREATE INDEX ix_audit_log_at ON audit_log (at)',
    'CREATE INDEX ix_audit_log_actor ON audit_log (actor_subject)',
    'CREATE INDEX ix_audit_log_resource ON audit_log (resource)',

    table('dead_letters', [
      `stream_seq ${t.bigint} NOT NULL PRIMARY KEY`,
      `subject ${t.text(255)} NOT NULL`,
      `origin_subject ${t.text(255)} NULL`,
      `reason ${t.text(2000)} NOT NULL`,
      `code ${t.text(128)} NOT NULL`,
      `source_key ${t.ascii(220)} NULL`,
      `headers_json ${t.json} NOT NULL`,
      `payload ${t.blob} NOT NULL`,
      `received_at ${t.timestamp} NOT NULL`,
      `replayed_at ${t.timestamp} NULL`,
      `replay_count ${t.int} NOT NULL DEFAULT 0`,
    ]),
    'CREATE INDEX ix_dead_letters_source_key ON dead_letters (source_key)',
    'CREATE INDEX ix_dead_letters_code ON dead_letters (code)',

    table('reconciliation', [
      `source_key ${t.ascii(220)} NOT NULL PRIMARY KEY`,
      `source_system ${t.ascii(64)} NOT NULL`,
      `source_record_id ${t.ascii(128)} NOT NULL`,
      `source_version ${t.bigint} NOT NULL`,
      `kind ${t.ascii(32)} NOT NULL CHECK (kind IN (${KINDS}))`,
      `region ${t.ascii(8)} NOT NULL`,
      `dept ${t.ascii(16)} NOT NULL`,
      `first_seen_at ${t.timestamp} NOT NULL`,
      `last_seen_at ${t.timestamp} NOT NULL`,
      `seen_count ${t.int} NOT NULL`,
      `last_stream_seq ${t.bigint} NOT NULL`,
    ]),
    'CREATE INDEX ix_reconciliation_system ON reconciliation (source_system)',
  ];
}

/** Tables of the initial schema, in the order to drop them. */
export const INITIAL_TABLES = [
  'reconciliation',
  'dead_letters',
  'audit_log',
  'tokens',
  'recognitions',
  'receipts',
  'documents',
  'records',
] as const;
