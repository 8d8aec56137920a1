import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintToNumber, timestampColumn } from '../column-types';

/** Every receipt the hub published (a record may have several: ANCHORED, then DUPLICATE on re-delivery). */
@Entity('receipts')
@Index('ix_receipts_record', ['recordId'])
export class ReceiptEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber, generated: 'increment' })
  seq!: number;

  @Column({ name: 'record_id', type: 'varchar', length: 220 })
  recordId!: string;

  @Column({ type: 'varchar', length: 8 })
  region!: string;

  @Column({ type: 'varchar', length: 16 })
  dept!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'tx_id', type: 'varchar', length: 128, nullable: true })
  txId!: string | null;

  @Column({ name: 'block_number', ...bigintColumn, nullable: true })
  blockNumber!: number | null;

  @Column({ ...timestampColumn })
  at!: Date;

  /** The protocol `Receipt` as published, canonical JSON. */
  @Column({ name: 'receipt_json', type: 'text' })
  receiptJson!: string;
}
