/**
 * A record's deliveries on `LEGACY` are kept on its row, in both dialects: `seen_count`, `last_seen_at` and
 * `last_stream_seq` on `records` (its first sighting is `received_at`). Ingest stored each delivery a second time,
 * as a `reconciliation` row keyed by the same source key in the same transaction: a row and a random-key index
 * entry per record that said nothing the record's row did not, but for the stream sequence. Measured for issue 16
 * (ingest bench, 60,000 records): the sighting's upsert was 8-10 µs of the main thread's store stage per record.
 *
 * `reconciliation` stays, for a version seen without a record, and holds the sightings of a store from before
 * this migration as they were: nothing is copied (so nothing is lost or rewritten); reads add the two
 * (`typeorm-reconciliation.repository.ts`). `down` moves the records' counts back into `reconciliation`
 * (adding them to a row already there) and drops the three columns.
 */
import { type QueryRunner } from 'typeorm';
import { type Dialect, ddlTypes } from '../column-types';

const COLUMNS = (dialect: Dialect): readonly string[] => {
  const t = ddlTypes[dialect];
  return [
    `seen_count ${t.int} NOT NULL DEFAULT 0`,
    `last_seen_at ${t.timestamp} NULL`,
    `last_stream_seq ${t.bigint} NULL`,
  ];
};

export async function sightingsOnRecords(queryRunner: QueryRunner, dialect: Dialect): Promise<void> {
  for (const column of COLUMNS(dialect)) await queryRunner.query(`ALTER TABLE records ADD COLUMN ${column}`);
}

export async function sightingsApart(queryRunner: QueryRunner): Promise<void> {
  // a version with a row already (seen before the migration): the record's deliveries are added to it
  await queryRunner.query(
    `UPDATE reconciliation SET
       seen_count = seen_count + (SELECT r.seen_count FROM records r WHERE r.id = reconciliation.source_key),
       last_stream_seq = (SELECT r.last_stream_seq FROM records r WHERE r.id = reconciliation.source_key),
       last_seen_at = (SELECT r.last_seen_at FROM records r WHERE r.id = reconciliation.source_key)
     WHERE source_key IN (SELECT id FROM records WHERE seen_count > 0)`,
  );
  await queryRunner.query(
    `INSERT INTO reconciliation (source_key, source_system, source_record_id, source_version, kind, region, dept,
       first_seen_at, last_seen_at, seen_count, last_stream_seq)
     SELECT r.id, r.source_system, r.source_record_id, r.source_version, r.kind, r.region, COALESCE(r.dept, ''),
       r.received_at, r.last_seen_at, r.seen_count, r.last_stream_seq
     FROM records r
     WHERE r.seen_count > 0 AND NOT EXISTS (SELECT 1 FROM reconciliation rc WHERE rc.source_key = r.id)`,
  );
  for (const column of ['seen_count', 'last_seen_at', 'last_stream_seq'])
    await queryRunner.query(`ALTER TABLE records DROP COLUMN ${column}`);
}
