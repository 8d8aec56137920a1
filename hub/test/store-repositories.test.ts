// Receipts, recognitions, tokens, the audit log, dead letters and reconciliation, on SQLite and on MariaDB.
import { type Receipt, type RecognitionDecision } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { type AuditEntry, type NewRecord, newRecord } from '../src/store';
import { toDbTimestamp } from '../src/store/column-types';
import { BACKENDS, milestone, useStoreBackend, withRawDataSource } from './store-fixtures';

const T0 = new Date('2025-03-06T08:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function receipt(recordId: string, overrides: Partial<Receipt> = {}): Receipt {
  return {
    recordId,
    kind: 'milestone',
    sha256: 'c'.repeat(64),
    txId: 'tx-1',
    blockNumber: 3,
    status: 'ANCHORED',
    at: '2025-03-06T16:30:01+08:00',
    ...overrides,
  };
}

function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: T0,
    actor: { subject: 'auditor-bj-1', jti: 'jti-1', region: 'BJ', role: 'auditor', dept: null },
    action: 'project.read',
    resource: 'project:2025-110105-47-03-000318',
    outcome: 'success',
    requestId: 'req-1',
    details: { records: 3, 区域: '北京' },
    ...overrides,
  };
}

const DECISION: RecognitionDecision = {
  recognitionId: 'REC-TJ-2025-0001',
  outcome: 'RECOGNISED',
  decidedAt: '2025-03-12T10:00:00+08:00',
  signer: '0x' + 'ab'.repeat(20),
  signature: '0x' + '1'.repeat(130),
};

for (const backend of BACKENDS) {
  describe(`off-chain store repositories on ${backend}`, function () {
    this.timeout(60_000);
    const harness = useStoreBackend(backend);

    describe('receipts', () => {
      it('gives an anchored record its ANCHORED receipt from the record, before the rows appended after it', async () => {
        const store = await harness.open();
        const [a, b, pending] = [1, 2, 3].map((n) =>
          newRecord({ kind: 'milestone', record: milestone(n) }),
        ) as [NewRecord, NewRecord, NewRecord];
        const anchoredAt = new Date('2025-03-06T08:30:01.234Z');
        await store.transaction(async (tx) => {
          await tx.records.insertPendingBatch([a, b, pending]);
          await tx.records.markAnchored([a.id, b.id], { txId: 'tx-1', blockNumber: 3, at: anchoredAt });
        });
        const anchoredReceipt = (r: NewRecord): Receipt => ({
          recordId: r.id,
          kind: 'milestone',
          sha256: r.commitment,
          txId: 'tx-1',
          blockNumber: 3,
          status: 'ANCHORED',
          at: anchoredAt.toISOString(),
        });
        const duplicate = {
          ...anchoredReceipt(a),
          status: 'DUPLICATE' as const,
          at: '2025-03-06T08:31:00.000Z',
        };
        await store.receipts.appendBatch([{ receipt: duplicate, region: 'BJ', dept: 'EE' }]);

        const ofA = await store.receipts.findByRecordId(a.id);
        expect(ofA.map((r) => r.receipt)).to.deep.equal([anchoredReceipt(a), duplicate]);
        expect(ofA[0]).to.include({ region: 'BJ', dept: 'EE' });
        expect((await store.receipts.latestFor(a.id))?.receipt).to.deep.equal(duplicate);
        expect((await store.receipts.latestFor(b.id))?.receipt).to.deep.equal(anchoredReceipt(b));
        // not anchored: no receipt yet
        expect(await store.receipts.findByRecordId(pending.id)).to.deep.equal([]);
        expect(await store.receipts.latestFor('bj-eia:none:1')).to.equal(undefined);

        const all: Receipt[] = [];
        for await (const page of store.receipts.pages(1)) all.push(...page.map((r) => r.receipt));
        expect(all).to.deep.equal([
          duplicate,
          ...[a, b].sort((x, y) => (x.id < y.id ? -1 : 1)).map(anchoredReceipt),
        ]);
      });

      it('refuses to append an ANCHORED receipt, which is its record’s anchoring', async () => {
        const store = await harness.open();
        let refused: unknown;
        await store.receipts
          .appendBatch([{ receipt: receipt('bj-eia:A:1'), region: 'BJ', dept: 'EE' }])
          .catch((error: unknown) => (refused = error));
        expect(refused).to.be.instanceOf(TypeError);
        expect((refused as Error).message)
          .to.include('bj-eia:A:1')
          .and.include('markAnchored');
        expect(await store.receipts.findByRecordId('bj-eia:A:1')).to.deep.equal([]);
      });

      it('names a record’s ANCHORED receipt once when the store holds it as a row (stores before 2026-12-06)', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        const r = newRecord({ kind: 'milestone', record: milestone(4) });
        await store.records.insertPendingBatch([r]);
        await store.records.markAnchored([r.id], {
          txId: 'tx-1',
          blockNumber: 3,
          at: new Date('2025-03-06T08:30:01.999Z'),
        });
        // the row an older hub wrote, with its own moment
        const old = receipt(r.id, { sha256: r.commitment, at: '2025-03-06T08:30:01.998Z' });
        await withRawDataSource(options, (query) =>
          query(
            `INSERT INTO receipts (record_id, region, dept, status, tx_id, block_number, at, receipt_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              r.id,
              r.region,
              r.dept,
              'ANCHORED',
              'tx-1',
              3,
              toDbTimestamp(new Date(old.at)),
              JSON.stringify(old),
            ],
          ),
        );
        expect((await store.receipts.findByRecordId(r.id)).map((x) => x.receipt)).to.deep.equal([old]);
      });

      it('keeps a REJECTED receipt without transaction', async () => {
        const store = await harness.open();
        const rejected: Receipt = {
          recordId: 'bj-eia:C:1',
          kind: 'milestone',
          sha256: 'd'.repeat(64),
          status: 'REJECTED',
          reason: 'VALIDATION: projectCode malformed',
          at: '2025-03-06T16:30:01+08:00',
        };
        await store.receipts.appendBatch([{ receipt: rejected, region: 'BJ', dept: 'EE' }]);
        expect((await store.receipts.latestFor('bj-eia:C:1'))?.receipt).to.deep.equal(rejected);
      });
    });

    describe('recognitions', () => {
      const request = {
        id: 'REC-TJ-2025-0001',
        subjectType: 'certificate' as const,
        subjectId: '建字第110105202500012号',
        sourceRegion: 'BJ' as const,
        targetRegion: 'TJ' as const,
      };

      it('mirrors a request once, then its decision, and lists the board by region and status', async () => {
        const store = await harness.open();
        const saved = await store.recognitions.saveRequest(request, {
          requestedBy: 'tj-authority',
          requestedAt: at(0),
        });
        expect(saved).to.include({ status: 'PENDING', requestedBy: 'tj-authority' });
        const again = await store.recognitions.saveRequest(
          { ...request, note: 'again' },
          { requestedBy: 'someone-else', requestedAt: at(5) },
        );
        expect(again.request).to.deep.equal(request);
        await store.recognitions.saveRequest(
          { ...request, id: 'REC-HE-2025-0001', targetRegion: 'HE' },
          { requestedAt: at(1) },
        );

        const decided = await store.recognitions.saveDecision(DECISION, { txId: 'tx-9', blockNumber: 9 });
        expect(decided).to.include({ status: 'RECOGNISED', txId: 'tx-9', blockNumber: 9 });
        expect(decided?.decision).to.deep.equal(DECISION);
        expect(decided?.decidedAt?.toISOString()).to.equal('2025-03-12T02:00:00.000Z');
        expect(await store.recognitions.saveDecision({ ...DECISION, recognitionId: 'REC-NONE' })).to.equal(
          undefined,
        );

        const board = await store.recognitions.list({ source: 'BJ', target: 'TJ' });
        expect(board.map((r) => r.request.id)).to.deep.equal(['REC-TJ-2025-0001']);
        expect((await store.recognitions.list({ status: 'PENDING' })).map((r) => r.request.id)).to.deep.equal(
          ['REC-HE-2025-0001'],
        );
        expect(await store.recognitions.list({ after: 'REC-HE-2025-0001' })).to.have.length(1);
      });

      it('marks every recognition of a revoked certificate SOURCE_REVOKED and returns them', async () => {
        const store = await harness.open();
        await store.recognitions.saveRequest(request, { requestedAt: at(0) });
        await store.recognitions.saveRequest(
          { ...request, id: 'REC-HE-1', targetRegion: 'HE' },
          { requestedAt: at(0) },
        );
        await store.recognitions.saveRequest(
          { ...request, id: 'REC-OTHER', subjectId: '建字第110105202500099号' },
          { requestedAt: at(0) },
        );
        await store.recognitions.saveDecision(DECISION);
        const changed = await store.recognitions.markSourceRevoked(
          'certificate',
          request.subjectId,
          '建设单位申请注销',
          at(60),
        );
        expect(changed.map((r) => r.request.id).sort()).to.deep.equal(['REC-HE-1', 'REC-TJ-2025-0001']);
        expect(changed.every((r) => r.status === 'SOURCE_REVOKED')).to.be.true;
        expect((await store.recognitions.findById('REC-TJ-2025-0001'))?.statusReason).to.equal(
          '建设单位申请注销',
        );
        expect((await store.recognitions.findById('REC-OTHER'))?.status).to.equal('PENDING');
        expect(
          await store.recognitions.markSourceRevoked('certificate', request.subjectId, 'again', at(61)),
        ).to.deep.equal([]);
        expect(await store.recognitions.findBySubject('certificate', request.subjectId)).to.have.length(2);
      });
    });

    describe('tokens', () => {
      const token = {
        jti: 'jti-0001',
        subject: 'auditor-bj-1',
        region: 'BJ' as const,
        role: 'auditor' as const,
        dept: null,
        issuedAt: at(0),
        expiresAt: at(3600),
        issuedBy: 'cli',
      };

      it('records issued tokens, revokes one once, and lists the active ones', async () => {
        const store = await harness.open();
        await store.tokens.record(token);
        await store.tokens.record({
          ...token,
          jti: 'jti-0002',
          role: 'approver',
          dept: 'HC',
          issuedAt: at(1),
        });
        expect(await store.tokens.findByJti('jti-0001')).to.deep.equal({
          ...token,
          revokedAt: null,
          revokedReason: null,
        });
        expect(await store.tokens.revoke('jti-0001', at(10), 'left the team')).to.be.true;
        expect(await store.tokens.revoke('jti-0001', at(11), 'again')).to.be.false;
        expect(await store.tokens.revoke('jti-none', at(11), 'unknown')).to.be.false;
        const revoked = await store.tokens.findByJti('jti-0001');
        expect(revoked?.revokedAt?.toISOString()).to.equal(at(10).toISOString());
        expect(revoked?.revokedReason).to.equal('left the team');
        expect((await store.tokens.list({ activeAt: at(20) })).map((t) => t.jti)).to.deep.equal(['jti-0002']);
        expect((await store.tokens.list({ activeAt: at(7200) })).map((t) => t.jti)).to.deep.equal([]);
        expect((await store.tokens.list({ subject: 'auditor-bj-1' })).map((t) => t.jti)).to.deep.equal([
          'jti-0002',
          'jti-0001',
        ]);
      });

      it('refuses to record the same jti twice', async () => {
        const store = await harness.open();
        await store.tokens.record(token);
        let error: unknown;
        try {
          await store.tokens.record(token);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(Error);
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them in order, filtered', async () => {
        const store = await harness.open();
        await store.auditLog.append(auditEntry());
        await store.auditLog.append([
          auditEntry({ at: at(1), action: 'certificate.read', resource: 'certificate:建字第1号' }),
          auditEntry({
            at: at(2),
            actor: { subject: null, jti: null, region: null, role: null, dept: null },
            action: 'verify',
            resource: 'sha256:' + 'e'.repeat(64),
            outcome: 'denied',
            requestId: null,
            details: null,
          }),
        ]);
        const all = await store.auditLog.list();
        expect(all.map((e) => e.action)).to.deep.equal(['project.read', 'certificate.read', 'verify']);
        expect(all[0]).to.deep.include({
          actor: auditEntry().actor,
          requestId: 'req-1',
          details: { records: 3, 区域: '北京' },
        });
        expect(all[0]?.at.toISOString()).to.equal(T0.toISOString());
        expect((all[1]?.seq ?? 0) > (all[0]?.seq ?? 0)).to.be.true;
        expect((await store.auditLog.list({ subject: 'auditor-bj-1' })).map((e) => e.action)).to.deep.equal([
          'project.read',
          'certificate.read',
        ]);
        expect(
          (await store.auditLog.list({ resource: 'certificate:建字第1号' })).map((e) => e.action),
        ).to.deep.equal(['certificate.read']);
        expect(
          (await store.auditLog.list({ since: at(1), until: at(2) })).map((e) => e.action),
        ).to.deep.equal(['certificate.read']);
        expect((await store.auditLog.list({ after: all[1]?.seq })).map((e) => e.action)).to.deep.equal([
          'verify',
        ]);
      });

      it('offers no way to change or remove an entry, and the database refuses UPDATE and DELETE', async () => {
        const options = await harness.freshOptions();
        const store = await harness.open(options);
        await store.auditLog.append(auditEntry());
        const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store.auditLog)).filter(
          (m) => m !== 'constructor',
        );
        expect(methods.sort()).to.deep.equal(['append', 'list']);
        await withRawDataSource(options, async (query) => {
          for (const sql of ["UPDATE audit_log SET outcome = 'denied'", 'DELETE FROM audit_log']) {
            let error: unknown;
            try {
              await query(sql);
            } catch (e) {
              error = e;
            }
            expect(error, sql).to.be.instanceOf(Error);
            expect((error as Error).message, sql).to.contain('append-only');
          }
        });
        expect((await store.auditLog.list())[0]?.outcome).to.equal('success');
      });
    });

    describe('dead letters', () => {
      const payload = new TextEncoder().encode('{"schema":"approval-ledger/envelope@1","region":"北京"');
      const letter = {
        streamSeq: 41,
        subject: 'ledger.dlq.BJ.EE',
        originSubject: 'legacy.BJ.EE.milestone',
        reason: 'malformed JSON at byte 52',
        code: 'JSON_PARSE',
        sourceKey: null,
        headers: { 'Ledger-Dlq-Code': ['JSON_PARSE'], 'Nats-Msg-Id': ['bj-eia:X:1'] },
        payload,
        receivedAt: at(0),
      };

      it('mirrors a dead letter once with its exact bytes, and counts replays', async () => {
        const store = await harness.open();
        expect(await store.deadLetters.save(letter)).to.be.true;
        expect(await store.deadLetters.save(letter)).to.be.false;
        await store.deadLetters.save({
          ...letter,
          streamSeq: 42,
          code: 'sha256.format',
          sourceKey: 'bj-eia:Y:1',
        });
        const shown = await store.deadLetters.findBySeq(41);
        expect(Buffer.from(shown?.payload ?? []).equals(Buffer.from(payload))).to.be.true;
        expect(shown).to.deep.include({
          headers: letter.headers,
          replayCount: 0,
          replayedAt: null,
          code: 'JSON_PARSE',
        });
        const replayed = await store.deadLetters.markReplayed(41, at(30));
        expect(replayed).to.include({ replayCount: 1 });
        expect((await store.deadLetters.markReplayed(41, at(40)))?.replayCount).to.equal(2);
        expect(await store.deadLetters.markReplayed(99, at(40))).to.equal(undefined);
        expect((await store.deadLetters.list({ replayed: false })).map((d) => d.streamSeq)).to.deep.equal([
          42,
        ]);
        expect((await store.deadLetters.list({ replayed: true })).map((d) => d.streamSeq)).to.deep.equal([
          41,
        ]);
        expect(
          (await store.deadLetters.list({ code: 'sha256.format' })).map((d) => d.streamSeq),
        ).to.deep.equal([42]);
        expect((await store.deadLetters.list({ after: 41 })).map((d) => d.streamSeq)).to.deep.equal([42]);
        expect(await store.deadLetters.count()).to.equal(2);
      });
    });

    describe('reconciliation', () => {
      it('matches every version seen on LEGACY to its record, per source system, and lists the mismatches', async () => {
        const store = await harness.open();
        const records: NewRecord[] = [1, 2, 3].map((n) =>
          newRecord({ kind: 'milestone', record: milestone(n) }),
        );
        await store.records.insertPendingBatch(records);
        await store.records.markAnchored([records[0]?.id ?? '', records[1]?.id ?? ''], {
          txId: 't',
          blockNumber: 1,
          at: at(1),
        });
        // a record posted to the API (never seen on LEGACY)
        await store.records.insertPendingBatch([
          newRecord({
            kind: 'milestone',
            record: milestone(9, { source: { system: 'bj-eia', recordId: 'API-9', version: 1 } }),
          }),
        ]);
        const sighting = (n: number, seq: number, recordId = `EIA-2025-${String(n).padStart(6, '0')}`) => ({
          source: { system: 'bj-eia', recordId, version: 1 },
          kind: 'milestone' as const,
          region: 'BJ' as const,
          dept: 'EE' as const,
          streamSeq: seq,
          at: at(seq),
        });
        await store.reconciliation.recordSeen([
          sighting(1, 1),
          sighting(2, 2),
          sighting(3, 3),
          sighting(4, 4),
          sighting(5, 5),
        ]);
        await store.reconciliation.recordSeen([sighting(1, 6)]); // re-delivery
        await store.deadLetters.save({
          streamSeq: 1,
          subject: 'ledger.dlq.BJ.EE',
          originSubject: 'legacy.BJ.EE.milestone',
          reason: 'bad',
          code: 'sha256.format',
          sourceKey: 'bj-eia:EIA-2025-000004:1',
          headers: {},
          payload: new Uint8Array([1]),
          receivedAt: at(4),
        });
        await store.reconciliation.recordSeen([
          { ...sighting(1, 7, 'T-1'), source: { system: 'tj-credit', recordId: 'T-1', version: 1 } },
        ]);

        const report = await store.reconciliation.report();
        expect(report.map((r) => r.sourceSystem)).to.deep.equal(['bj-eia', 'tj-credit']);
        expect(report[0]).to.deep.equal({
          sourceSystem: 'bj-eia',
          seen: 5,
          byState: { pending: 1, anchored: 2, conflict: 0, rejected: 0, 'dead-lettered': 1, missing: 1 },
          notSeen: 1,
          // the latest sighting of the source: the re-delivery of record 1
          lastSeenAt: at(6),
        });
        expect(report[1]).to.deep.include({ seen: 1, notSeen: 0, lastSeenAt: at(7) });

        const { items, next } = await store.reconciliation.mismatches('bj-eia', { limit: 2 });
        expect(items.map((m) => [m.sourceKey, m.state])).to.deep.equal([
          ['bj-eia:EIA-2025-000003:1', 'pending'],
          ['bj-eia:EIA-2025-000004:1', 'dead-lettered'],
        ]);
        const rest = await store.reconciliation.mismatches('bj-eia', { after: next ?? '' });
        expect(rest.items.map((m) => [m.sourceKey, m.state])).to.deep.equal([
          ['bj-eia:EIA-2025-000005:1', 'missing'],
        ]);
        expect(rest.next).to.equal(undefined);
        expect(items[0]).to.deep.include({ kind: 'milestone', seenCount: 1 });
      });
    });
  });
}
