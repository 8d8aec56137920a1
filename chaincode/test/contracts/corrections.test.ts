// Versioned corrections (更正) on the chaincode: version n + 1 is accepted only when it names the current
// version's commitment; every version stays under its own key; a re-delivery of any held version is a no-op.
import {
  type Certificate,
  type Milestone,
  toCertificateAnchor,
  toMilestoneAnchor,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { Fixture, SALT, certificate, digest, milestone } from '../support/fixture';

const NUMBER = '建字第110105202500012号';
const REASON = '更正建设规模';

const certArg = (c: Certificate): string => JSON.stringify(toCertificateAnchor(c, SALT));
const commitmentOf = (c: Certificate): string => toCertificateAnchor(c, SALT).commitment;

/** Version `version` of the sample certificate, correcting `previous`. */
function certificateV(
  previous: Certificate,
  version: number,
  change: Partial<Certificate> = {},
): Certificate {
  return certificate({
    ...change,
    version,
    corrects: commitmentOf(previous),
    correctionReason: REASON,
    source: { system: 'bj-hc-permits', recordId: 'C-0012', version },
  });
}

describe('versioned corrections', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await Fixture.create();
    await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']);
  });

  describe('certificates', () => {
    const v1 = certificate();
    const v2 = certificateV(v1, 2, { validUntil: '2028-03-06T16:30:00+08:00' });

    it('accepts version 2 naming the current commitment, keeps version 1 under its own key, and reads version 2', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certArg(v1)]);
      const res = await f.submit(approver, 'certificates:Issue', [certArg(v2)]);
      expect(res.validationCode, res.message).to.equal('VALID');
      const writes = res.simulation.readWriteSet.writes.map((w) => w.key.split('\u0000')[1]);
      // the current version under the number and the superseded one under its own key; nothing else
      expect(writes.sort()).to.deep.equal(['certificate', 'certificate~version']);
      const read = (await f.evaluate(await f.who('TJ', 'auditor'), 'certificates:Get', [NUMBER])) as Record<
        string,
        unknown
      >;
      expect(read).to.include({
        version: 2,
        corrects: commitmentOf(v1),
        commitment: commitmentOf(v2),
        validUntil: '2028-03-06T16:30:00+08:00',
      });
      expect(JSON.parse(Buffer.from(res.event!.payload).toString())).to.include({
        unchanged: false,
        version: 2,
      });
    });

    it('refuses a correction of a version that is no longer current, naming both commitments', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certArg(v1)]);
      await f.ok(approver, 'certificates:Issue', [certArg(v2)]);
      const stale = certificateV(v1, 2, { validUntil: '2029-03-06T16:30:00+08:00' });
      const message = await f.refused(approver, 'certificates:Issue', [certArg(stale)], 'RECORD_CONFLICT');
      expect(message).to.contain(commitmentOf(v2)).and.contain(commitmentOf(stale)).and.contain('version 2');
      const skipping = certificateV(v2, 4);
      await f.refused(approver, 'certificates:Issue', [certArg(skipping)], 'RECORD_CONFLICT');
    });

    it('still refuses two different first versions', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certArg(v1)]);
      const other = certificate({ validUntil: '2029-03-06T16:30:00+08:00' });
      await f.refused(approver, 'certificates:Issue', [certArg(other)], 'RECORD_CONFLICT');
    });

    it('answers a re-delivery of the current and of a superseded version without writing', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certArg(v1)]);
      await f.ok(approver, 'certificates:Issue', [certArg(v2)]);
      for (const again of [v2, v1]) {
        const res = await f.submit(approver, 'certificates:Issue', [certArg(again)]);
        expect(res.validationCode, res.message).to.equal('VALID');
        expect(res.simulation.readWriteSet.writes).to.have.length(0);
        expect(JSON.parse(res.payload)).to.include({ commitment: commitmentOf(again) });
      }
    });

    it('refuses a correction of a certificate the ledger does not hold as NOT_FOUND (it may still come)', async () => {
      await f.refused(await f.who('BJ', 'approver', 'HC'), 'certificates:Issue', [certArg(v2)], 'NOT_FOUND');
    });

    it('keeps the revocation of a corrected certificate', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certArg(v1)]);
      await f.ok(approver, 'certificates:Revoke', [
        JSON.stringify({
          number: NUMBER,
          region: 'BJ',
          dept: 'HC',
          reason: '申请人隐瞒有关情况',
          revokedAt: '2025-03-09T10:00:00+08:00',
          source: { system: 'bj-hc-permits', recordId: 'R-0001', version: 1 },
        }),
      ]);
      const corrected = await f.ok(approver, 'certificates:Issue', [certArg(v2)]);
      expect(corrected).to.include({ status: 'REVOKED', version: 2 });
    });
  });

  describe('milestones', () => {
    const m1 = milestone();
    const c1 = toMilestoneAnchor(m1, SALT).commitment;
    const m2: Milestone = milestone({
      details: { contractAmountWanYuan: 1201 },
      version: 2,
      corrects: c1,
      correctionReason: '更正合同金额',
      source: { system: 'bj-hc-permits', recordId: 'P-0001', version: 2 },
    });
    const c2 = toMilestoneAnchor(m2, SALT).commitment;
    const m3: Milestone = milestone({
      documents: [{ name: '施工许可证（更正）.pdf', sha256: digest('permit-0001-v3') }],
      version: 3,
      corrects: c2,
      correctionReason: '更正附件',
      source: { system: 'bj-hc-permits', recordId: 'P-0001', version: 3 },
    });
    const arg = (...ms: Milestone[]): string => JSON.stringify(ms.map((m) => toMilestoneAnchor(m, SALT)));

    it('records a chain of corrections in one batch, and every version is held', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const first = await f.submit(approver, 'milestones:RecordBatch', [arg(m1, m2, m3)]);
      expect(first.validationCode).to.equal('VALID');
      expect(JSON.parse(first.payload)).to.deep.equal({ count: 3, recorded: 3, unchanged: [] });
      const current = (await f.evaluate(approver, 'milestones:Get', [m1.id])) as Record<string, unknown>;
      expect(current).to.include({ version: 3, corrects: c2 });
      const again = await f.submit(approver, 'milestones:RecordBatch', [arg(m1, m2, m3)]);
      expect(again.simulation.readWriteSet.writes).to.have.length(0);
      expect(JSON.parse(again.payload)).to.deep.equal({
        count: 3,
        recorded: 0,
        unchanged: [m1, m2, m3].map(() => ({ id: m1.id, txId: first.txId })),
      });
      for (const [version, commitment] of [
        ['0000001', c1],
        ['0000002', c2],
      ] as const) {
        const held = (await f.evaluate(approver, 'state:Get', [
          'milestone~version',
          JSON.stringify([m1.id, version]),
        ])) as Record<string, unknown>;
        expect(held, `version ${version}`).to.include({ commitment });
      }
    });

    it('refuses a correction that does not name the current version', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'milestones:RecordBatch', [arg(m1, m2)]);
      const stale: Milestone = {
        ...m2,
        correctionReason: '另一次更正',
        details: { contractAmountWanYuan: 9 },
      };
      await f.refused(
        approver,
        'milestones:Record',
        [JSON.stringify(toMilestoneAnchor(stale, SALT))],
        'RECORD_CONFLICT',
      );
    });
  });
});
