import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber, timestampColumn } from '../column-types';

/**
 * A legacy record version seen on the `LEGACY` stream, keyed by `recordIdOf(source)`; the reconciliation
 * report matches it against `records` (same id) to find what was seen but never anchored, or anchored twice.
 */
@Entity('reconciliation')
@Index('ix_reconciliation_system', ['sourceSystem'])
export class ReconciliationEntryEntity {
  @PrimaryColumn({ name: 'source_key', type: 'varchar', length: 220 })
  sourceKey!: string;

  @Column({ name: 'source_system', type: 'varchar', length: 64 })
  sourceSystem!: string;

  @Column({ name: 'source_record_id', type: 'varchar', length: 128 })
  sourceRecordId!: string;

  @Column({ name: 'source_version', type: 'bigint', transformer: bigintToNumber })
  sourceVersion!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 16 })
  dept!: string;

  @Column({ name: 'first_seen_at', ...timestampColumn })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', ...timestampColumn })
  lastSeenAt!: Date;

  /** How many times the message was delivered (re-deliveries count). */
  @Column({ name: 'seen_count', type: 'int' })
  seenCount!: number;

  /** The `LEGACY` stream sequence of the last delivery. */
  @Column({ name: 'last_stream_seq', type: 'bigint', transformer: bigintToNumber })
  lastStreamSeq!: number;
}
