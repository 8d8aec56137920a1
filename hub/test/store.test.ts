// The off-chain store's records and migrations, on SQLite and on a real MariaDB (testkit): every test runs on both.
import { canonicalize, recordIdOf, sha256Hex, verifyCommitment } from '@approval-ledger/protocol';
import { sampleDocumentDigest } from '@approval-ledger/protocol/testing';
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import {
  createStoreDataSource,
  type NewRecord,
  StoreConfigError,
  type StoreOptions,
  type Store,
  type StoredRecord,
  newRecord,
  sqliteStorePath,
  storeDialect,
} from '../src/store';
import { loadConfig, storeOptionsOf } from '../src/config';
import {
  mysqlOpeningsByLedgerKeys,
  SELECT_OPENINGS_BY_LEDGER_KEY,
} from '../src/store/repositories/record-lookups';
import {
  BACKENDS,
  certificate,
  countRows,
  creditEvent,
  milestone,
  revocation,
  useStoreBackend,
  withRawDataSource,
} from './store-fixtures';

const TABLES = [
  'records',
  'receipts',
  'recognitions',
  'tokens',
  'audit_log',
  'dead_letters',
  'reconciliation',
];

function milestones(from: number, count: number, project = 318): NewRecord[] {
  return Array.from({ length: count }, (_, i) =>
    newRecord({ kind: 'milestone', record: milestone(from + i, {}, project) }),
  );
}

for (const backend of BACKENDS) {
  describe(`off-chain store records on ${backend}`, function () {
    this.timeout(60_000);
    const harness = useStoreBackend(backend);

    describe('migrations', () => {
      it('creates every table from an empty database and records the migration once', async () => {
        const options = await harness.freshOptions();
        await harness.open(options);
        await withRawDataSource(options, async (query) => {
          const ran = (await query('SELECT name FROM store_migrations')) as { name: string }[];
          expect(ran.map((m) => m.name)).to.deep.equal([
            'InitialSchema1767225600000',
            'DropCommitmentIndex1796515200000',
            'OneHomeForLookups1796601600000',
            'SightingsOnRecords1796688000000',
            'UnanchoredProjectIndex1796774400000',
          ]);
          for (const index of ['uq_records_commitment', 'ix_records_tx', 'ix_records_project']) {
            expect(await indexesNamed(query, options, index), `${index} is not in the store`).to.deep.equal(
              [],
            );
          }
          expect(await tablesNamed(query, options, 'documents'), 'documents are not a table').to.deep.equal(
            [],
          );
          for (const table of TABLES) {
            const rows = (await query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
            expect(Number(rows[0]?.n), table).to.equal(0);
          }
        });
      });

      it('runs nothing again when an existing store is opened, and keeps its data', async () => {
        const options = await harness.freshOptions();
        const first = await harness.open(options);
        await first.records.insertPendingBatch(milestones(1, 3));
        await first.close();
        const again = await harness.open(options);
        expect((await again.records.countByStatus()).pending).to.equal(3);
        await withRawDataSource(options, async (query) => {
          expect(await query('SELECT name FROM store_migrations')).to.have.length(5);
        });
      });
    });

    describe('insertPendingBatch', () => {
      it('stores a batch as pending and finds it by id, project and ledger key', async () => {
        const store = await harness.open();
        const batch = milestones(1, 5);
        const outcomes = await store.records.insertPendingBatch(batch);
        expect(outcomes.map((o) => o.outcome)).to.deep.equal(Array(5).fill('inserted'));
        // what an insert answers for a new record is the row as stored, pending
        for (const { stored } of outcomes)
          expect(stored).to.deep.equal(await store.records.findById(stored.id));

        const first = batch[0] as NewRecord;
        const byId = await store.records.findById(first.id);
        expect(byId).to.include({
          id: 'bj-eia:EIA-2025-000001:1',
          kind: 'milestone',
          status: 'pending',
          txId: null,
        });
        expect(byId?.record).to.deep.equal(milestone(1));
        expect(byId?.salt).to.equal(first.salt);
        expect(byId?.receivedAt.getTime()).to.equal(first.receivedAt.getTime());

        expect(
          (await store.records.findUnanchoredByProject('2025-110105-47-03-000318')).map((r) => r.id),
        ).to.deep.equal(batch.map((r) => r.id));
        // a record's documents are read from its canonical JSON, the only copy of its fields
        expect(byId?.documents).to.deep.equal(milestone(1).documents);
        expect(byId?.documents[0]?.sha256).to.equal(sampleDocumentDigest(1));
        expect(
          (await store.records.findByLedgerKey('milestone', 'BJ-EE-EIA-2025-000003')).map((r) => r.id),
        ).to.deep.equal(['bj-eia:EIA-2025-000003:1']);
        expect(
          (
            await store.records.findByLedgerKeys('milestone', [
              'BJ-EE-EIA-2025-000004',
              'BJ-EE-EIA-2025-000002',
              'BJ-EE-EIA-2025-000002',
              'BJ-EE-EIA-2025-999999',
            ])
          ).map((r) => r.id),
        ).to.deep.equal(['bj-eia:EIA-2025-000002:1', 'bj-eia:EIA-2025-000004:1']);
        expect(await store.records.findByLedgerKeys('certificate', ['BJ-EE-EIA-2025-000002'])).to.deep.equal(
          [],
        );
        expect(await store.records.findById('bj-eia:nope:1')).to.equal(undefined);
      });

      it('keeps the canonical JSON byte for byte, so the stored salt still proves the commitment', async () => {
        const store = await harness.open();
        const record = certificate();
        const [outcome] = await store.records.insertPendingBatch([
          newRecord({ kind: 'certificate', record }),
        ]);
        const stored = (await store.records.findById(outcome?.stored.id ?? '')) as StoredRecord;
        expect(stored.recordJson).to.equal(canonicalize(record));
        expect(verifyCommitment(stored.record, stored.salt, stored.commitment)).to.be.true;
        expect(stored).to.include({ ledgerKey: '建字第110105202500012号', dept: 'HC', dataClass: 'public' });
      });

      it('stores revocations and credit events with their own keys and no project', async () => {
        const store = await harness.open();
        await store.records.insertPendingBatch([
          newRecord({ kind: 'certificate', record: certificate() }),
          newRecord({ kind: 'certificate-revocation', record: revocation() }),
          newRecord({ kind: 'credit', record: creditEvent() }, { dept: 'CREDIT' }),
        ]);
        const byNumber = await store.records.findByLedgerKey(
          'certificate-revocation',
          '建字第110105202500012号',
        );
        expect(byNumber.map((r) => r.kind)).to.deep.equal(['certificate-revocation']);
        expect(byNumber[0]).to.include({ projectCode: null, dataClass: 'internal' });
        const credit = await store.records.findById(recordIdOf(creditEvent().source));
        expect(credit).to.include({ kind: 'credit', dept: 'CREDIT', region: 'TJ', projectCode: null });
      });

      it('reads openings by ledger key (verification) as findByLedgerKey, committed writes included', async () => {
        const store = await harness.open();
        await store.records.insertPendingBatch([
          newRecord({ kind: 'certificate', record: certificate() }),
          newRecord({ kind: 'certificate-revocation', record: revocation() }),
        ]);
        const key = '建字第110105202500012号';
        const [full] = await store.records.findByLedgerKey('certificate', key);
        expect(await store.records.findOpeningsByLedgerKey('certificate', key)).to.deep.equal([
          {
            id: full?.id,
            commitment: full?.commitment,
            salt: full?.salt,
            recordJson: full?.recordJson,
            status: 'pending',
          },
        ]);
        await store.records.markAnchored([full?.id ?? ''], { txId: 'tx-1', blockNumber: 3, at: new Date() });
        const [anchored] = await store.records.findOpeningsByLedgerKey('certificate', key);
        expect(anchored?.status).to.equal('anchored');
        expect(await store.records.findOpeningsByLedgerKey('milestone', key)).to.deep.equal([]);
        // inside a transaction, its own uncommitted writes are seen
        await store.transaction(async (tx) => {
          await tx.records.markStatus([full?.id ?? ''], 'conflict', 'test');
          const [inTx] = await tx.records.findOpeningsByLedgerKey('certificate', key);
          expect(inTx?.status).to.equal('conflict');
        });
      });

      it('treats the same record delivered again as a duplicate and hands back the stored salt', async () => {
        const store = await harness.open();
        const original = milestones(1, 3);
        await store.records.insertPendingBatch(original);
        const redelivered = milestones(1, 3); // fresh salts, same records
        const outcomes = await store.records.insertPendingBatch(redelivered);
        expect(outcomes.map((o) => o.outcome)).to.deep.equal(['duplicate', 'duplicate', 'duplicate']);
        expect(outcomes.map((o) => o.stored.commitment)).to.deep.equal(original.map((r) => r.commitment));
        expect(outcomes.map((o) => o.stored.salt)).to.deep.equal(original.map((r) => r.salt));
        expect((await store.records.countByStatus()).pending).to.equal(3);
      });

      it('reports a different record under the same source and version as a conflict and keeps the first', async () => {
        const store = await harness.open();
        const [first] = milestones(7, 1);
        await store.records.insertPendingBatch([first as NewRecord]);
        const changed = newRecord({ kind: 'milestone', record: milestone(7, { decision: 'REJECTED' }) });
        const [outcome] = await store.records.insertPendingBatch([changed]);
        expect(outcome?.outcome).to.equal('conflict');
        if (outcome?.outcome !== 'conflict') return;
        expect(outcome.stored.commitment).to.equal(first?.commitment);
        expect(outcome.incoming.commitment).to.equal(changed.commitment);
        expect((await store.records.findById(changed.id))?.record).to.deep.include({ decision: 'APPROVED' });
      });

      it('sorts duplicates and conflicts within one batch, first one wins', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const a = newRecord({ kind: 'milestone', record: milestone(1) });
        const aAgain = newRecord({ kind: 'milestone', record: milestone(1) });
        const aChanged = newRecord({
          kind: 'milestone',
          record: milestone(1, { stage: 'LAND_USE_PLANNING' }),
        });
        const b = newRecord({ kind: 'milestone', record: milestone(2) });
        const outcomes = await store.records.insertPendingBatch([a, aAgain, b, aChanged]);
        expect(outcomes.map((o) => o.outcome)).to.deep.equal([
          'inserted',
          'duplicate',
          'inserted',
          'conflict',
        ]);
        expect(outcomes[1]?.stored.salt).to.equal(a.salt);
        expect(await countRows(options, 'records')).to.equal(2);
      });

      it('tells ids apart that differ only in letter case', async () => {
        const store = await harness.open();
        const lower = newRecord({
          kind: 'milestone',
          record: milestone(1, { source: { system: 'bj-eia', recordId: 'eia-1', version: 1 } }),
        });
        const upper = newRecord({
          kind: 'milestone',
          record: milestone(2, { source: { system: 'bj-eia', recordId: 'EIA-1', version: 1 } }),
        });
        const outcomes = await store.records.insertPendingBatch([lower, upper]);
        expect(outcomes.map((o) => o.outcome)).to.deep.equal(['inserted', 'inserted']);
        expect((await store.records.findById('bj-eia:EIA-1:1'))?.ledgerKey).to.equal('BJ-EE-EIA-2025-000002');
      });

      it('holds the primary key to the source key, so (system, record id, version) is unique', async () => {
        const store = await harness.open();
        const forged = { ...(milestones(1, 1)[0] as NewRecord), id: 'bj-eia:EIA-2025-000001:2' };
        let error: unknown;
        try {
          await store.records.insertPendingBatch([forged]);
        } catch (e) {
          error = e;
        }
        expect(error, 'a row whose id is not system:recordId:version').to.be.instanceOf(Error);
        expect((await store.records.countByStatus()).pending).to.equal(0);
      });

      it('leaves nothing of a batch behind when one row fails', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        await store.records.insertPendingBatch(milestones(1, 2));
        const batch = milestones(100, 600); // two INSERT statements of records
        batch[550] = { ...(batch[550] as NewRecord), salt: 'not-a-salt' }; // violates CHECK (LENGTH(salt) = 64)
        let failure: unknown;
        try {
          await store.records.insertPendingBatch(batch);
        } catch (error) {
          failure = error;
        }
        expect(failure, 'the batch should fail').to.be.instanceOf(Error);
        expect((await store.records.countByStatus()).pending).to.equal(2);
        expect(await countRows(options, 'records')).to.equal(2);
        // the store still works afterwards
        const again = await store.records.insertPendingBatch(milestones(100, 600));
        expect(again.filter((o) => o.outcome === 'inserted')).to.have.length(600);
      });
    });

    describe('anchoring state', () => {
      it('marks records anchored with transaction, block and time, and counts by status', async () => {
        const store = await harness.open();
        const batch = milestones(1, 4);
        await store.records.insertPendingBatch(batch);
        const at = new Date('2025-03-06T08:30:00.123Z');
        const changed = await store.records.markAnchored(
          batch.slice(0, 3).map((r) => r.id),
          { txId: 'a'.repeat(64), blockNumber: 9_007_199_254, at },
        );
        expect(changed).to.equal(3);
        const anchored = await store.records.findById(batch[0]?.id ?? '');
        expect(anchored).to.include({ status: 'anchored', txId: 'a'.repeat(64), blockNumber: 9_007_199_254 });
        expect(anchored?.anchoredAt?.toISOString()).to.equal('2025-03-06T08:30:00.123Z');
        expect((await store.records.findById(batch[3]?.id ?? ''))?.txId).to.equal(null);
        await store.records.markStatus(
          [batch[3]?.id ?? ''],
          'conflict',
          'RECORD_CONFLICT: milestone already anchored',
        );
        expect(await store.records.countByStatus()).to.deep.equal({
          pending: 0,
          anchored: 3,
          conflict: 1,
          rejected: 0,
        });
        expect((await store.records.findById(batch[3]?.id ?? ''))?.statusReason).to.match(/^RECORD_CONFLICT/);
        // an anchored record leaves the project's unanchored ones; one in conflict stays
        expect(
          (await store.records.findUnanchoredByProject('2025-110105-47-03-000318')).map((r) => r.id),
        ).to.deep.equal([batch[3]?.id]);
      });

      it('refuses to anchor through markStatus', async () => {
        const store = await harness.open();
        let error: unknown;
        try {
          await store.records.markStatus(['x:y:1'], 'anchored', null);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(TypeError);
      });
    });

    describe('iteration', () => {
      it('pages through every record in id order with a cursor, optionally by status', async () => {
        const store = await harness.open();
        const batch = milestones(1, 25);
        await store.records.insertPendingBatch(batch);
        await store.records.markAnchored(
          batch.slice(0, 10).map((r) => r.id),
          { txId: 't1', blockNumber: 1, at: new Date() },
        );
        const seen: string[] = [];
        for await (const page of store.records.pages({ limit: 7 })) {
          expect(page.length).to.be.at.most(7);
          seen.push(...page.map((r) => r.id));
        }
        expect(seen).to.deep.equal(batch.map((r) => r.id).sort());
        const pending: string[] = [];
        for await (const page of store.records.pages({ limit: 4, status: 'pending' }))
          pending.push(...page.map((r) => r.id));
        expect(pending).to.have.length(15);
        const first = await store.records.page({ limit: 5 });
        expect(first.next).to.equal(first.records[4]?.id);
        const last = await store.records.page({ after: seen[22], limit: 5 });
        expect(last.records).to.have.length(2);
        expect(last.next).to.equal(undefined);
      });
    });

    describe('transactions', () => {
      it('rolls back every repository when the work fails', async () => {
        const store = await harness.open();
        const failure = new Error('boom');
        let caught: unknown;
        try {
          await store.transaction(async (tx) => {
            await tx.records.insertPendingBatch(milestones(1, 2));
            await tx.auditLog.append({
              at: new Date(),
              actor: { subject: 'ingest', jti: null, region: null, role: null, dept: null },
              action: 'record.store',
              resource: 'batch',
              outcome: 'success',
            });
            throw failure;
          });
        } catch (e) {
          caught = e;
        }
        expect(caught).to.equal(failure);
        expect((await store.records.countByStatus()).pending).to.equal(0);
        expect(await store.auditLog.list()).to.deep.equal([]);
      });

      it('commits everything written inside a successful transaction', async () => {
        const store = await harness.open();
        const batch = milestones(1, 2);
        await store.transaction(async (tx) => {
          await tx.records.insertPendingBatch(batch);
          await tx.records.markAnchored([batch[0]?.id ?? ''], {
            txId: 'tx-1',
            blockNumber: 5,
            at: new Date(),
          });
        });
        expect(await store.records.countByStatus()).to.include({ pending: 1, anchored: 1 });
      });
    });

    describe('lookups stay indexed', () => {
      it('finds the openings of a ledger key through ix_records_ledger_key', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        await store.records.insertPendingBatch(milestones(1, 50));
        const plan = await withRawDataSource(options, async (query) =>
          store.dialect === 'sqlite'
            ? query(`EXPLAIN QUERY PLAN ${SELECT_OPENINGS_BY_LEDGER_KEY}`, ['milestone', 'k'])
            : query(`EXPLAIN ${mysqlOpeningsByLedgerKeys(2)}`, ['milestone', 'k1', 'k2']),
        );
        expect(JSON.stringify(plan)).to.contain('ix_records_ledger_key');
      });
    });

    describe('one home for lookups by document digest (migration OneHomeForLookups1796601600000)', () => {
      it('drops documents and ix_records_tx; undone, it builds both again and refills documents from record_json', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const shared = sha256Hex('shared annex');
        const annex = { name: 'annex.pdf', sha256: shared, bytes: 10 };
        const two = newRecord({
          kind: 'milestone',
          record: milestone(81, { documents: [annex, { ...annex, name: 'annex-copy.pdf' }] }),
        });
        await store.records.insertPendingBatch([...milestones(1, 3), two]);
        await store.close();
        const dataSource = createStoreDataSource(options);
        await dataSource.initialize();
        try {
          await dataSource.undoLastMigration({ transaction: 'each' }); // UnanchoredProjectIndex
          await dataSource.undoLastMigration({ transaction: 'each' }); // SightingsOnRecords
          await dataSource.undoLastMigration({ transaction: 'each' });
          const query = (sql: string, params?: unknown[]): Promise<unknown> => dataSource.query(sql, params);
          expect(await indexesNamed(query, options, 'ix_records_tx')).to.have.length(1);
          expect(await indexesNamed(query, options, 'ix_documents_sha256')).to.have.length(1);
          const rows = (await query(
            'SELECT record_id, position, sha256, name, bytes FROM documents ORDER BY record_id, position',
          )) as {
            record_id: string;
            position: number;
            sha256: string;
            name: string;
            bytes: number | string;
          }[];
          expect(
            rows.map((r) => [r.record_id, Number(r.position), r.sha256, r.name, Number(r.bytes)]),
          ).to.deep.equal([
            ...[1, 2, 3].map((n) => {
              const d = milestone(n).documents[0];
              return [recordIdOf(milestone(n).source), 0, d?.sha256, d?.name, d?.bytes];
            }),
            [two.id, 0, shared, 'annex.pdf', 10],
            [two.id, 1, shared, 'annex-copy.pdf', 10],
          ]);
          // and forward again: the store opens at the newest schema, without them
          await dataSource.runMigrations({ transaction: 'each' });
          expect(await tablesNamed(query, options, 'documents')).to.deep.equal([]);
          expect(await indexesNamed(query, options, 'ix_records_tx')).to.deep.equal([]);
        } finally {
          await dataSource.destroy();
        }
        const reopened = await harness.open(options);
        expect((await reopened.records.countByStatus()).pending).to.equal(4);
      });
    });

    describe('sightings on the records (migration SightingsOnRecords1796688000000)', () => {
      const delivery = (streamSeq: number, seconds: number) => ({
        streamSeq,
        at: new Date(Date.UTC(2025, 2, 6, 8, 0, seconds)),
      });
      /** Milestones n and n + 1 delivered (seq 1 and 2), then n + 1 again in a later batch (seq 3). */
      const deliverTwoThenOneAgain = async (store: Store, n: number): Promise<NewRecord[]> => {
        const [a, b] = milestones(n, 2) as [NewRecord, NewRecord];
        await store.records.insertPendingBatch([a, b], [delivery(1, 1), delivery(2, 2)]);
        await store.records.insertPendingBatch([b], [delivery(3, 3)]);
        return [a, b];
      };

      it('keeps a delivery on its record, adds a re-delivery, and adds a row kept from before to both', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const [a, b] = await deliverTwoThenOneAgain(store, 1);
        // a record delivered twice in one batch
        const [twice] = milestones(3, 1) as [NewRecord];
        await store.records.insertPendingBatch([twice, twice], [delivery(4, 4), delivery(5, 5)]);
        const [old] = milestones(4, 1);
        // a record from before the migration: stored without a delivery, its sightings a reconciliation row
        await store.records.insertPendingBatch([old as NewRecord]);
        await withRawDataSource(options, (query) =>
          query(
            `INSERT INTO reconciliation (source_key, source_system, source_record_id, source_version, kind, region,
               dept, first_seen_at, last_seen_at, seen_count, last_stream_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              old?.id,
              old?.source.system,
              old?.source.recordId,
              1,
              'milestone',
              'BJ',
              'EE',
              '2025-03-01 00:00:00.000',
              '2025-03-01 00:00:05.000',
              2,
              7,
            ],
          ),
        );
        await store.records.insertPendingBatch([old as NewRecord], [delivery(9, 9)]);
        expect(await countRows(options, 'reconciliation'), 'only the row from before').to.equal(1);

        const { items } = await store.reconciliation.mismatches('bj-eia');
        expect(
          items.map((m) => [
            m.sourceKey,
            m.state,
            m.seenCount,
            m.firstSeenAt.toISOString(),
            m.lastSeenAt.toISOString(),
          ]),
        ).to.deep.equal(
          [
            [a?.id, 'pending', 1, a?.receivedAt.toISOString(), '2025-03-06T08:00:01.000Z'],
            [b?.id, 'pending', 2, b?.receivedAt.toISOString(), '2025-03-06T08:00:03.000Z'],
            [twice.id, 'pending', 2, twice.receivedAt.toISOString(), '2025-03-06T08:00:05.000Z'],
            [old?.id, 'pending', 3, '2025-03-01T00:00:00.000Z', '2025-03-06T08:00:09.000Z'],
          ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
        );
        const [report] = await store.reconciliation.report();
        expect(report).to.deep.include({ sourceSystem: 'bj-eia', seen: 4, notSeen: 0 });
        expect(report?.lastSeenAt?.toISOString()).to.equal('2025-03-06T08:00:09.000Z');
      });

      it('undone, moves every record’s sightings into reconciliation rows (added to a row there) and drops the columns', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const [a, b] = await deliverTwoThenOneAgain(store, 11);
        await store.records.insertPendingBatch(milestones(13, 1)); // never delivered: not seen
        await store.reconciliation.recordSeen([
          {
            source: { system: 'bj-eia', recordId: 'GONE-1', version: 1 },
            kind: 'milestone',
            region: 'BJ',
            dept: 'EE',
            streamSeq: 4,
            at: delivery(4, 4).at,
          },
        ]);
        const before = await store.reconciliation.report();
        const mismatchesBefore = await store.reconciliation.mismatches('bj-eia');
        expect(before[0]).to.deep.include({ seen: 3, notSeen: 1 });
        await store.close();

        const dataSource = createStoreDataSource(options);
        await dataSource.initialize();
        try {
          await dataSource.undoLastMigration({ transaction: 'each' }); // UnanchoredProjectIndex
          await dataSource.undoLastMigration({ transaction: 'each' });
          const rows = await dataSource.query<
            { source_key: string; seen_count: number | string; last_stream_seq: number | string }[]
          >('SELECT source_key, seen_count, last_stream_seq FROM reconciliation ORDER BY source_key');
          expect(
            rows.map((r) => [r.source_key, Number(r.seen_count), Number(r.last_stream_seq)]),
          ).to.deep.equal(
            [
              [a?.id, 1, 1],
              [b?.id, 2, 3],
              ['bj-eia:GONE-1:1', 1, 4],
            ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
          );
          let dropped: unknown;
          await dataSource.query('SELECT seen_count FROM records').catch((e: unknown) => (dropped = e));
          expect(dropped, 'records.seen_count is gone').to.be.instanceOf(Error);
          await dataSource.runMigrations({ transaction: 'each' });
        } finally {
          await dataSource.destroy();
        }
        // forward again, the sightings are rows from before: the same report and mismatches
        const reopened = await harness.open(options);
        expect(await reopened.reconciliation.report()).to.deep.equal(before);
        expect(await reopened.reconciliation.mismatches('bj-eia')).to.deep.equal(mismatchesBefore);
      });
    });

    describe('a project’s records not anchored (migration UnanchoredProjectIndex1796774400000)', () => {
      const project = (n: number): string => `2025-110105-47-03-${String(n).padStart(6, '0')}`;

      it('finds them through an index that an anchored record leaves; undone, it builds ix_records_project again', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const a = milestones(1, 2, 318);
        const b = milestones(3, 2, 319);
        const c = milestones(5, 1, 318);
        const d = milestones(6, 1, 318);
        await store.records.insertPendingBatch([...a, ...b, ...c, ...d]);
        const ids = (records: readonly { id: string }[]): string[] => records.map((r) => r.id);
        await store.records.markAnchored([a[0]?.id ?? '', b[1]?.id ?? ''], {
          txId: 'b'.repeat(64),
          blockNumber: 4,
          at: new Date('2025-03-06T08:30:00.000Z'),
        });
        await store.records.markStatus([c[0]?.id ?? ''], 'rejected', 'SCHEMA: bad');
        expect(ids(await store.records.findUnanchoredByProject(project(318)))).to.deep.equal([
          a[1]?.id,
          c[0]?.id,
          d[0]?.id,
        ]);
        expect(ids(await store.records.findUnanchoredByProject(project(319)))).to.deep.equal([b[0]?.id]);
        expect(await store.records.findUnanchoredByProject(project(320))).to.deep.equal([]);
        await withRawDataSource(options, async (query) => {
          // the index holds the records not anchored only (SQLite: a partial index; MySQL: NULL for the rest)
          const held = (await query(
            'SELECT unanchored_project AS p FROM records WHERE unanchored_project IS NOT NULL ORDER BY id',
          )) as { p: string }[];
          expect(held.map((r) => r.p)).to.deep.equal([
            project(318),
            project(319),
            project(318),
            project(318),
          ]);
          const plan = await (store.dialect === 'sqlite'
            ? query('EXPLAIN QUERY PLAN SELECT r.* FROM records r WHERE r.unanchored_project = ?', [
                project(318),
              ])
            : query('EXPLAIN SELECT r.* FROM records r WHERE r.unanchored_project = ?', [project(318)]));
          expect(JSON.stringify(plan)).to.contain('ix_records_unanchored_project');
        });
        await store.close();

        const dataSource = createStoreDataSource(options);
        await dataSource.initialize();
        try {
          await dataSource.undoLastMigration({ transaction: 'each' });
          const query = (sql: string, params?: unknown[]): Promise<unknown> => dataSource.query(sql, params);
          expect(await indexesNamed(query, options, 'ix_records_project')).to.have.length(1);
          expect(await indexesNamed(query, options, 'ix_records_unanchored_project')).to.deep.equal([]);
          let dropped: unknown;
          await query('SELECT unanchored_project FROM records').catch((e: unknown) => (dropped = e));
          expect(dropped, 'records.unanchored_project is gone').to.be.instanceOf(Error);
          const byProject = (await query('SELECT id FROM records WHERE project_code = ? ORDER BY id', [
            project(318),
          ])) as { id: string }[];
          expect(ids(byProject)).to.deep.equal(ids([...a, ...c, ...d]).sort());
          await dataSource.runMigrations({ transaction: 'each' });
          expect(await indexesNamed(query, options, 'ix_records_project')).to.deep.equal([]);
        } finally {
          await dataSource.destroy();
        }
        const reopened = await harness.open(options);
        expect(ids(await reopened.records.findUnanchoredByProject(project(319)))).to.deep.equal([b[0]?.id]);
      });
    });

    describe('lookups in flight together', () => {
      it('answers each of many concurrent lookups by ledger key with its own records', async () => {
        const store = await harness.open();
        await store.records.insertPendingBatch(milestones(1, 80));
        const keys = Array.from({ length: 40 }, (_, i) => `BJ-EE-EIA-2025-${String(i + 1).padStart(6, '0')}`);
        const openings = await Promise.all([
          ...keys.map((key) => store.records.findOpeningsByLedgerKey('milestone', key)),
          store.records.findOpeningsByLedgerKey('certificate', keys[0] ?? ''),
        ]);
        const stored = await store.records.findByLedgerKeys('milestone', keys);
        keys.forEach((key, i) => {
          const full = stored.find((r) => r.ledgerKey === key);
          expect(openings[i]).to.deep.equal([
            {
              id: full?.id,
              commitment: full?.commitment,
              salt: full?.salt,
              recordJson: full?.recordJson,
              status: 'pending',
            },
          ]);
        });
        expect(openings[40]).to.deep.equal([]);
      });
    });
  });
}

describe('off-chain store configuration', () => {
  it('uses SQLite in the data dir unless DATABASE_URL names MySQL or MariaDB', () => {
    const optionsOf = (env: NodeJS.ProcessEnv) =>
      storeOptionsOf(loadConfig({ LEDGER_DATA_DIR: '/data', ...env }));
    expect(optionsOf({})).to.deep.equal({ dataDir: '/data' });
    expect(optionsOf({ DATABASE_URL: '' })).to.deep.equal({ dataDir: '/data' });
    expect(storeDialect(optionsOf({ DATABASE_URL: 'mysql://u:p@db:3306/ledger' }))).to.equal('mysql');
    expect(storeDialect({ dataDir: '/d', databaseUrl: 'mariadb://db/ledger' })).to.equal('mysql');
    expect(sqliteStorePath('/data')).to.equal('/data/offchain.sqlite');
  });

  it('refuses any other DATABASE_URL without echoing its password', () => {
    let error: unknown;
    try {
      storeDialect({ dataDir: '/d', databaseUrl: 'postgres://admin:s3cret@db/ledger' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StoreConfigError);
    expect(error).to.include({ code: 'STORE_CONFIG', setting: 'DATABASE_URL' });
    expect((error as Error).message)
      .to.contain('postgres://admin:***@db/ledger')
      .and.not.contain('s3cret');
  });
});

describe('off-chain store on SQLite', function () {
  this.timeout(30_000);
  const harness = useStoreBackend('sqlite');

  it('lives in <dataDir>/offchain.sqlite in WAL mode', async () => {
    const options = await harness.freshOptions();
    await harness.open(options);
    expect(existsSync(sqliteStorePath(options.dataDir))).to.be.true;
    await withRawDataSource(options, async (query) => {
      expect(await query('PRAGMA journal_mode')).to.deep.equal([{ journal_mode: 'wal' }]);
    });
  });

  it('keeps a concurrent write out of a batch that rolls back', async () => {
    const store = await harness.open();
    const batch = milestones(1, 300);
    batch[299] = { ...(batch[299] as NewRecord), commitment: 'short' };
    const failing = store.records.insertPendingBatch(batch);
    const audit = store.auditLog.append({
      at: new Date(),
      actor: { subject: 'auditor-1', jti: 'j1', region: 'BJ', role: 'auditor', dept: null },
      action: 'project.read',
      resource: 'project:2025-110105-47-03-000318',
      outcome: 'success',
    });
    const [batchResult, auditResult] = await Promise.allSettled([failing, audit]);
    expect(batchResult.status).to.equal('rejected');
    expect(auditResult.status).to.equal('fulfilled');
    expect(await store.auditLog.list()).to.have.length(1);
    expect((await store.records.countByStatus()).pending).to.equal(0);
  });
});

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** The indexes called `name` in the store's database, on any table (a row per indexed column). */
async function indexesNamed(query: Query, options: StoreOptions, name: string): Promise<unknown[]> {
  return (await (options.databaseUrl === undefined
    ? query("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?", [name])
    : query(
        'SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = ?',
        [name],
      ))) as unknown[];
}

/** The tables called `name` in the store's database. */
async function tablesNamed(query: Query, options: StoreOptions, name: string): Promise<unknown[]> {
  return (await (options.databaseUrl === undefined
    ? query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
    : query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
        [name],
      ))) as unknown[];
}
