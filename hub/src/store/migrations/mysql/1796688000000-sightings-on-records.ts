import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { sightingsApart, sightingsOnRecords } from '../sightings-on-records';

/** Keeps a record's deliveries on its row: see `../sightings-on-records.ts` for why. */
export class SightingsOnRecords1796688000000 implements MigrationInterface {
  name = 'SightingsOnRecords1796688000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await sightingsOnRecords(queryRunner, 'mysql');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await sightingsApart(queryRunner);
  }
}
