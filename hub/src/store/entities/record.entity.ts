import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintColumn, timestampColumn } from '../column-types';

/**
 * One full record off chain: the protocol record as canonical JSON (`recordJson`, the only copy of its
 * fields), its salt and commitment, and columns derived from it for lookups. `id` is `recordIdOf(source)`.
 * The primary key is the unique key of (source system, source record id, version): a CHECK constraint holds
 * `id` to `system:recordId:version`, which costs less per insert than a second unique index on the same triple.
 * The schema is created by the migrations; see `repositories/typeorm-record.repository.ts` for the access paths.
 */
@Entity('records')
@Index('ix_records_project', ['projectCode'])
@Index('ix_records_status', ['status'])
@Index('ix_records_ledger_key', ['kind', 'ledgerKey'])
export class RecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 220 })
  id!: string;

  /** `milestone` | `certificate` | `certificate-revocation` | `credit` */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** The record's key on chain: milestone id, certificate number (also of a revocation), credit event id. */
  @Column({ name: 'ledger_key', type: 'varchar', length: 128 })
  ledgerKey!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  dept!: string | null;

  @Column({ name: 'project_code', type: 'varchar', length: 64, nullable: true })
  projectCode!: string | null;

  @Column({ name: 'source_system', type: 'varchar', length: 64 })
  sourceSystem!: string;

  @Column({ name: 'source_record_id', type: 'varchar', length: 128 })
  sourceRecordId!: string;

  @Column({ name: 'source_version', ...bigintColumn })
  sourceVersion!: number;

  @Column({ name: 'record_json', type: 'text' })
  recordJson!: string;

  @Column({ type: 'varchar', length: 64 })
  salt!: string;

  @Column({ type: 'varchar', length: 64 })
  commitment!: string;

  @Column({ name: 'data_class', type: 'varchar', length: 16 })
  dataClass!: string;

  /** `pending` | `anchored` | `conflict` | `rejected` */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'status_reason', type: 'varchar', length: 2000, nullable: true })
  statusReason!: string | null;

  @Column({ name: 'tx_id', type: 'varchar', length: 128, nullable: true })
  txId!: string | null;

  @Column({ name: 'block_number', ...bigintColumn, nullable: true })
  blockNumber!: number | null;

  @Column({ name: 'anchored_at', ...timestampColumn, nullable: true })
  anchoredAt!: Date | null;

  @Column({ name: 'received_at', ...timestampColumn })
  receivedAt!: Date;
}
