import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber, timestampColumn } from '../column-types';

/** A message on the `DLQ` stream, mirrored for `ledger dlq list|show|replay`. */
@Entity('dead_letters')
@Index('ix_dead_letters_source_key', ['sourceKey'])
@Index('ix_dead_letters_code', ['code'])
export class DeadLetterEntity {
  /** The message's sequence number in the `DLQ` stream. */
  @PrimaryColumn({ name: 'stream_seq', type: 'bigint', transformer: bigintToNumber })
  streamSeq!: number;

  /** `ledger.dlq.<region>.<dept>` */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  /** The subject the message was first published on (`Ledger-Dlq-Subject`). */
  @Column({ name: 'origin_subject', type: 'varchar', length: 255, nullable: true })
  originSubject!: string | null;

  @Column({ type: 'varchar', length: 2000 })
  reason!: string;

  /** A ledger error code or a validation rule (`Ledger-Dlq-Code`). */
  @Column({ type: 'varchar', length: 128 })
  code!: string;

  /** `recordIdOf(source)` when the message was readable enough to tell. */
  @Column({ name: 'source_key', type: 'varchar', length: 220, nullable: true })
  sourceKey!: string | null;

  /** Every header of the message, `{name: [values]}`, canonical JSON. */
  @Column({ name: 'headers_json', type: 'text' })
  headersJson!: string;

  @Column({ type: 'blob' })
  payload!: Buffer;

  @Column({ name: 'received_at', ...timestampColumn })
  receivedAt!: Date;

  @Column({ name: 'replayed_at', ...timestampColumn, nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'replay_count', type: 'int', default: 0 })
  replayCount!: number;
}
