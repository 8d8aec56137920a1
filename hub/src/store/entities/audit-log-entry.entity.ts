import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintToNumber, timestampColumn } from '../column-types';

/**
 * One line of the append-only audit log. The database refuses UPDATE and DELETE on this table (triggers
 * created by the migrations), and the repository has no method for either.
 */
@Entity('audit_log')
@Index('ix_audit_log_at', ['at'])
@Index('ix_audit_log_actor', ['actorSubject'])
@Index('ix_audit_log_resource', ['resource'])
export class AuditLogEntryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber, generated: 'increment' })
  seq!: number;

  @Column({ ...timestampColumn })
  at!: Date;

  @Column({ name: 'actor_subject', type: 'varchar', length: 200, nullable: true })
  actorSubject!: string | null;

  @Column({ name: 'actor_jti', type: 'varchar', length: 64, nullable: true })
  actorJti!: string | null;

  @Column({ name: 'actor_region', type: 'varchar', length: 8, nullable: true })
  actorRegion!: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ name: 'actor_dept', type: 'varchar', length: 16, nullable: true })
  actorDept!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 512 })
  resource!: string;

  /** `success` | `denied` | `failure` */
  @Column({ type: 'varchar', length: 16 })
  outcome!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ name: 'details_json', type: 'text', nullable: true })
  detailsJson!: string | null;
}
