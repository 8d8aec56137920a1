import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '../column-types';

/** An attached document of a record (`record.documents[position]`), found by its SHA-256. */
@Entity('documents')
@Index('ix_documents_sha256', ['sha256'])
export class DocumentEntity {
  @PrimaryColumn({ name: 'record_id', type: 'varchar', length: 220 })
  recordId!: string;

  @PrimaryColumn({ type: 'int' })
  position!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ ...bigintColumn, nullable: true })
  bytes!: number | null;
}
