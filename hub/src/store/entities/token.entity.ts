import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../column-types';

/** A bearer token the hub issued (never the token itself): for audit and revocation. */
@Entity('tokens')
@Index('ix_tokens_subject', ['subject'])
export class TokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  dept!: string | null;

  @Column({ name: 'issued_at', ...timestampColumn })
  issuedAt!: Date;

  @Column({ name: 'expires_at', ...timestampColumn })
  expiresAt!: Date;

  /** Who or what issued it (`cli`, a user). */
  @Column({ name: 'issued_by', type: 'varchar', length: 200, nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'revoked_at', ...timestampColumn, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;
}
