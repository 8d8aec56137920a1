import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { dropDuplicateLookups, restoreDuplicateLookups } from '../one-home-for-lookups';

/** Drops `documents` and `ix_records_tx`: see `../one-home-for-lookups.ts` for why. */
export class OneHomeForLookups1796601600000 implements MigrationInterface {
  name = 'OneHomeForLookups1796601600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await dropDuplicateLookups(queryRunner, 'mysql');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await restoreDuplicateLookups(queryRunner, 'mysql');
  }
}
