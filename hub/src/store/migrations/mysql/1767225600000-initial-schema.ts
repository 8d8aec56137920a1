import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INITIAL_TABLES, initialSchemaStatements } from '../initial-schema';

/** MySQL/MariaDB: DDL commits implicitly, so a failure part-way leaves tables behind (see README). */
export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of initialSchemaStatements('mysql')) await queryRunner.query(statement);
    // the audit log is append-only, whoever holds a database account with UPDATE or DELETE on it
    for (const operation of ['UPDATE', 'DELETE']) {
      await queryRunner.query(
        `CREATE TRIGGER audit_log_no_${operation.toLowerCase()} BEFORE ${operation} ON audit_log ` +
          `FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of INITIAL_TABLES) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
