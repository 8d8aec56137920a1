import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintColumn, timestampColumn } from '../column-types';

/**
 * The off-chain mirror of a mutual-recognition case for the board: the protocol request and decision as
 * canonical JSON, and the columns the board filters on.
 */
@Entity('recognitions')
@Index('ix_recognitions_target', ['targetRegion', 'status'])
@Index('ix_recognitions_source', ['sourceRegion', 'status'])
@Index('ix_recognitions_subject', ['subjectType', 'subjectId'])
export class RecognitionEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 128 })
  subjectId!: string;

  @Column({ name: 'source_region', type: 'varchar', length: 8 })
  sourceRegion!: string;

  @Column({ name: 'target_region', type: 'varchar', length: 8 })
  targetRegion!: string;

  /** `PENDING` | `RECOGNISED` | `REJECTED` | `SOURCE_REVOKED` */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** `RecognitionRequest`, canonical JSON. */
  @Column({ name: 'request_json', type: 'text' })
  requestJson!: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 200, nullable: true })
  requestedBy!: string | null;

  @Column({ name: 'requested_at', ...timestampColumn })
  requestedAt!: Date;

  /** `RecognitionDecision`, canonical JSON, once decided. */
  @Column({ name: 'decision_json', type: 'text', nullable: true })
  decisionJson!: string | null;

  @Column({ name: 'decided_at', ...timestampColumn, nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason!: string | null;

  @Column({ name: 'tx_id', type: 'varchar', length: 128, nullable: true })
  txId!: string | null;

  @Column({ name: 'block_number', ...bigintColumn, nullable: true })
  blockNumber!: number | null;

  @Column({ name: 'updated_at', ...timestampColumn })
  updatedAt!: Date;
}
