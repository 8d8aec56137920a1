import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { indexEveryProject, indexUnanchoredProjects } from '../unanchored-project-index';

/** Indexes the projects of records not anchored only: see `../unanchored-project-index.ts` for why. */
export class UnanchoredProjectIndex1796774400000 implements MigrationInterface {
  name = 'UnanchoredProjectIndex1796774400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await indexUnanchoredProjects(queryRunner, 'mysql');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await indexEveryProject(queryRunner, 'mysql');
  }
}
