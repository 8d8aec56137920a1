/**
 * A project's records in the store are found through an index of its records that are not anchored, in both
 * dialects, instead of an index of every record's project (`ix_records_project`):
 *
 * - `unanchored_project`, a virtual generated column: the record's project while it is pending, in conflict or
 *   rejected, NULL once anchored (and for records of no project);
 * - `ix_records_unanchored_project` on it: on SQLite a partial index of the rows where it is not NULL; on MySQL and
 *   MariaDB, which have no partial indexes, a plain one, whose NULL entries sort by primary key, the source's own
 *   order.
 *
 * Why: a project code is a random key per record. Once `ix_records_project` outgrew a commit, every stored
 * record dirtied a leaf page of it of its own, which the WAL and the checkpoint each write whole, more as the
 * table grew. The new index holds only the records on their way to the ledger (a few thousand at a time under
 * load), which fit in a few pages that stay hot; an anchored record leaves it. Measured for issue 16 (SQLite,
 * 500 records per commit, each batch anchored two commits later, 15,000 projects): 7.0 KB written per record
 * at 100,000 records and 9.3 KB at 400,000 with `ix_records_project`; 5.4 and 5.5 KB with this index.
 *
 * A project's anchored records are found from the chain index instead, which lists the project's anchors as the
 * ledger has them (`hub/src/verification/project-anchors.ts`), by their ledger keys (`ix_records_ledger_key`).
 * `down` builds `ix_records_project` again and drops the column and its index.
 */
import { type QueryRunner } from 'typeorm';
import { type Dialect, ddlTypes } from '../column-types';

const INDEX: Record<Dialect, string> = {
  sqlite:
    'CREATE INDEX ix_records_unanchored_project ON records (unanchored_project) WHERE unanchored_project IS NOT NULL',
  mysql: 'CREATE INDEX ix_records_unanchored_project ON records (unanchored_project)',
};

const dropIndex = (dialect: Dialect, name: string): string =>
  dialect === 'sqlite' ? `DROP INDEX ${name}` : `DROP INDEX ${name} ON records`;

export async function indexUnanchoredProjects(queryRunner: QueryRunner, dialect: Dialect): Promise<void> {
  await queryRunner.query(
    `ALTER TABLE records ADD COLUMN unanchored_project ${ddlTypes[dialect].ascii(64)}
       GENERATED ALWAYS AS (CASE WHEN status <> 'anchored' THEN project_code END) VIRTUAL`,
  );
  await queryRunner.query(INDEX[dialect]);
  await queryRunner.query(dropIndex(dialect, 'ix_records_project'));
}

export async function indexEveryProject(queryRunner: QueryRunner, dialect: Dialect): Promise<void> {
  await queryRunner.query('CREATE INDEX ix_records_project ON records (project_code)');
  await queryRunner.query(dropIndex(dialect, 'ix_records_unanchored_project'));
  await queryRunner.query('ALTER TABLE records DROP COLUMN unanchored_project');
}
