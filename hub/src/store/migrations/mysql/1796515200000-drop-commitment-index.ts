import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Drops `uq_records_commitment`: see the SQLite migration of the same name for why. */
export class DropCommitmentIndex1796515200000 implements MigrationInterface {
  name = 'DropCommitmentIndex1796515200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX uq_records_commitment ON records');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE UNIQUE INDEX uq_records_commitment ON records (commitment)');
  }
}
