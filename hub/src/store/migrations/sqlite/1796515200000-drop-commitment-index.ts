import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Drops `uq_records_commitment`, one of the two indexes on random keys that every stored record paid for (the
 * other, `ix_documents_sha256`, serves lookups by document). Nothing in the hub looks records up by commitment in
 * the store: verification finds commitments in the chain index, which has its own index on them. A random-key
 * index costs a leaf page written per record once it outgrows a batch, and more as it grows (measured with 500
 * records per transaction, insert and markAnchored: 18.5 KB written per record at 100,000 records and 24.7 KB at
 * 200,000 with it; 12.2 and 15.3 KB without it; CPU 120-141 µs against 104-114 µs per record). A commitment is
 * the hash of a record and a fresh random salt, so the unique constraint never refused anything.
 */
export class DropCommitmentIndex1796515200000 implements MigrationInterface {
  name = 'DropCommitmentIndex1796515200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX uq_records_commitment');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE UNIQUE INDEX uq_records_commitment ON records (commitment)');
  }
}
