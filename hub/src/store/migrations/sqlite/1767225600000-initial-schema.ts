import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INITIAL_TABLES, initialSchemaStatements } from '../initial-schema';

export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of initialSchemaStatements('sqlite')) await queryRunner.query(statement);
    // the audit log is append-only, whoever holds the database file
    for (const operation of ['UPDATE', 'DELETE']) {
      await queryRunner.query(
        `CREATE TRIGGER audit_log_no_${operation.toLowerCase()} BEFORE ${operation} ON audit_log ` +
          `BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of INITIAL_TABLES) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
