import { CHAINCODE_EVENTS, MAX_BATCH, toMilestoneAnchor } from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  Fixture,
  OTHER_SALT,
  PROJECT,
  SALT,
  USCC,
  anchorOf,
  creditAnchorOf,
  creditEvent,
  digest,
  milestone,
} from '../support/fixture';

describe('milestones contract', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await Fixture.create();
    await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT', 'COMPLETION_ACCEPTANCE'], ['CONSTRUCTION_PERMIT']);
    await f.grant('BJ', 'EE', ['EIA']);
    await f.grant('BJ', 'FIRE', ['FIRE_DESIGN']);
    await f.grant('TJ', 'HC', ['CONSTRUCTION_PERMIT']);
  });

  describe('recording', () => {
    it("records a milestone of the approver's own region and department, with one event", async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const res = await f.submit(approver, 'milestones:Record', [anchorOf(milestone())]);
      expect(res.validationCode).to.equal('VALID');
      const entry = JSON.parse(res.payload) as Record<string, unknown>;
      expect(entry).to.include({
        id: 'bj-hc-0001',
        projectCode: PROJECT.BJ,
        region: 'BJ',
        dept: 'HC',
        txId: res.txId,
      });
      expect(entry.commitment).to.equal(toMilestoneAnchor(milestone(), SALT).commitment);
      expect(entry.recordedAt).to.equal(f.now().toISOString());
      expect(entry).to.not.have.property('applicant');
      expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.MilestonesRecorded);
      expect(JSON.parse(Buffer.from(res.event!.payload).toString())).to.deep.equal({
        count: 1,
        recorded: ['bj-hc-0001'],
        unchanged: [],
        projectCodes: [PROJECT.BJ],
        region: 'BJ',
        dept: 'HC',
      });
      expect(await f.evaluate(approver, 'milestones:Get', ['bj-hc-0001'])).to.deep.equal(entry);
    });

    it('stores no names: only identifiers, codes, digests and the salted commitment', async () => {
      await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [anchorOf(milestone())]);
      const raw = Buffer.from(
        f.network.ledger.state.get('\u0000milestone\u0000bj-hc-0001\u0000')!.value,
      ).toString();
      expect(raw).to.not.contain('望京');
      expect(raw).to.contain(USCC.A);
    });

    it('keeps a repeat with the same commitment idempotent: the existing entry, unchanged, no writes', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const first = await f.ok(approver, 'milestones:Record', [anchorOf(milestone())]);
      const again = await f.submit(approver, 'milestones:Record', [anchorOf(milestone())]);
      expect(again.validationCode).to.equal('VALID');
      expect(JSON.parse(again.payload)).to.deep.equal(first);
      expect(again.simulation.readWriteSet.writes).to.have.length(0);
      expect(JSON.parse(Buffer.from(again.event!.payload).toString()))
        .to.include({ count: 1 })
        .and.deep.include({ unchanged: ['bj-hc-0001'], recorded: [] });
    });

    it('refuses the same id with another commitment, naming both', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const first = await f.ok(approver, 'milestones:Record', [anchorOf(milestone())]);
      const other = toMilestoneAnchor(milestone(), OTHER_SALT).commitment;
      const message = await f.refused(
        approver,
        'milestones:Record',
        [anchorOf(milestone(), OTHER_SALT)],
        'RECORD_CONFLICT',
      );
      expect(message).to.contain(String(first.commitment)).and.contain(other).and.contain('bj-hc-0001');
    });

    it('records parallel milestones of one project by different departments without MVCC conflicts', async () => {
      const hc = await f.network.evaluate(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        { timestamp: f.now() },
      );
      const ee = await f.network.evaluate(
        await f.who('BJ', 'approver', 'EE'),
        'milestones:Record',
        [anchorOf(milestone({ id: 'bj-ee-0001', dept: 'EE', stage: 'EIA' }))],
        { timestamp: f.now() },
      );
      const fire = await f.network.evaluate(
        await f.who('BJ', 'approver', 'FIRE'),
        'milestones:Record',
        [anchorOf(milestone({ id: 'bj-fire-0001', dept: 'FIRE', stage: 'FIRE_DESIGN' }))],
        { timestamp: f.now() },
      );
      const results = await f.network.commitBlock([hc.simulation, ee.simulation, fire.simulation]);
      expect(results.map((r) => r.validationCode)).to.deep.equal(['VALID', 'VALID', 'VALID']);
      const written = [hc, ee, fire].map((r) => new Set(r.simulation.readWriteSet.writes.map((w) => w.key)));
      for (const key of written[0]!) expect(written[1]!.has(key) || written[2]!.has(key)).to.equal(false);
    });

    it('sets a key-level policy so that only the origin region can endorse changes of the entry', async () => {
      const res = await f.submit(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [
        anchorOf(milestone()),
      ]);
      const [meta] = res.simulation.readWriteSet.metadataWrites;
      expect(meta?.key).to.equal('\u0000milestone\u0000bj-hc-0001\u0000');
      expect(await f.network.defaultEndorsers(res.simulation)).to.deep.equal([
        { mspId: 'BeijingMSP', role: 'peer' },
      ]);
    });
  });

  describe('batches', () => {
    it('records a batch in one transaction with one summary event (count, recorded, projectCodes)', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const batch = Array.from({ length: 25 }, (_, i) =>
        toMilestoneAnchor(
          milestone({ id: `bj-hc-b${i}`, projectCode: i % 2 ? PROJECT.BJ : '2025-110108-47-03-000999' }),
          SALT,
        ),
      );
      const res = await f.submit(approver, 'milestones:RecordBatch', [JSON.stringify(batch)]);
      expect(res.validationCode).to.equal('VALID');
      // compact: a recorded record's receipt is this transaction's, so none is named
      expect(JSON.parse(res.payload)).to.deep.equal({ count: 25, recorded: 25, unchanged: [] });
      const event = JSON.parse(Buffer.from(res.event!.payload).toString()) as Record<string, unknown>;
      expect(event.count).to.equal(25);
      expect(event.recorded).to.deep.equal(batch.map((a) => a.id));
      expect(event).to.not.have.property('ids');
      expect(event.projectCodes).to.deep.equal([PROJECT.BJ, '2025-110108-47-03-000999']);
    });

    it('names only the unchanged records of a batch, each with the transaction that first recorded it', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const first = [0, 1, 2].map((i) => toMilestoneAnchor(milestone({ id: `bj-hc-u${i}` }), SALT));
      const earlier = await f.submit(approver, 'milestones:RecordBatch', [JSON.stringify(first)]);
      expect(earlier.validationCode).to.equal('VALID');
      const fresh = [3, 4].map((i) => toMilestoneAnchor(milestone({ id: `bj-hc-u${i}` }), SALT));
      const mixed = [first[1]!, ...fresh, first[2]!, fresh[0]!];
      const res = await f.submit(approver, 'milestones:RecordBatch', [JSON.stringify(mixed)]);
      expect(res.validationCode).to.equal('VALID');
      expect(JSON.parse(res.payload)).to.deep.equal({
        count: 4,
        recorded: 2,
        unchanged: [
          { id: 'bj-hc-u1', txId: earlier.txId },
          { id: 'bj-hc-u2', txId: earlier.txId },
        ],
      });
      const event = JSON.parse(Buffer.from(res.event!.payload).toString()) as Record<string, unknown>;
      expect(event).to.include({ count: 4 });
      expect(event.recorded).to.deep.equal(['bj-hc-u3', 'bj-hc-u4']);
      expect(event.unchanged).to.deep.equal(['bj-hc-u1', 'bj-hc-u2']);
    });

    it('accepts a batch of exactly 500 and refuses 501 with BATCH_TOO_LARGE', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const make = (n: number) =>
        Array.from({ length: n }, (_, i) => toMilestoneAnchor(milestone({ id: `bj-hc-${i}` }), SALT));
      await f.refused(
        approver,
        'milestones:RecordBatch',
        [JSON.stringify(make(MAX_BATCH + 1))],
        'BATCH_TOO_LARGE',
      );
      const result = await f.ok<{ count: number }>(approver, 'milestones:RecordBatch', [
        JSON.stringify(make(MAX_BATCH)),
      ]);
      expect(result.count).to.equal(500);
    });

    it('refuses an empty batch', async () => {
      await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:RecordBatch',
        ['[]'],
        'VALIDATION_FAILED',
      );
    });

    it('reports repeats in a batch as unchanged and keeps the rest', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const first = await f.submit(approver, 'milestones:Record', [anchorOf(milestone())]);
      const batch = [
        toMilestoneAnchor(milestone(), SALT),
        toMilestoneAnchor(milestone({ id: 'bj-hc-0002' }), SALT),
        toMilestoneAnchor(milestone({ id: 'bj-hc-0002' }), SALT),
      ];
      const res = await f.submit(approver, 'milestones:RecordBatch', [JSON.stringify(batch)]);
      expect(JSON.parse(res.payload)).to.deep.equal({
        count: 2,
        recorded: 1,
        unchanged: [{ id: 'bj-hc-0001', txId: first.txId }],
      });
      expect(JSON.parse(Buffer.from(res.event!.payload).toString())).to.deep.include({
        recorded: ['bj-hc-0002'],
        unchanged: ['bj-hc-0001'],
        count: 2,
      });
    });

    it('refuses a whole batch when one record conflicts, inside the batch or with the ledger', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      const inside = [
        toMilestoneAnchor(milestone({ id: 'x1' }), SALT),
        toMilestoneAnchor(milestone({ id: 'x1' }), OTHER_SALT),
      ];
      await f.refused(approver, 'milestones:RecordBatch', [JSON.stringify(inside)], 'RECORD_CONFLICT');
      await f.ok(approver, 'milestones:Record', [anchorOf(milestone())]);
      const withLedger = [
        toMilestoneAnchor(milestone({ id: 'x2' }), SALT),
        toMilestoneAnchor(milestone(), OTHER_SALT),
      ];
      await f.refused(approver, 'milestones:RecordBatch', [JSON.stringify(withLedger)], 'RECORD_CONFLICT');
      await f.refused(approver, 'milestones:Get', ['x2'], 'NOT_FOUND');
    });

    it('refuses a batch whose records belong to another department', async () => {
      const batch = [
        toMilestoneAnchor(milestone({ id: 'ok-1' }), SALT),
        toMilestoneAnchor(milestone({ id: 'ee-1', dept: 'EE', stage: 'EIA' }), SALT),
      ];
      await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:RecordBatch',
        [JSON.stringify(batch)],
        'FORBIDDEN_DEPARTMENT',
      );
    });
  });

  describe('who may write', () => {
    it('refuses a Tianjin approver writing a Beijing milestone', async () => {
      await f.refused(
        await f.who('TJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_REGION',
      );
    });

    it('refuses a Beijing approver writing for a Tianjin project', async () => {
      const tj = milestone({ id: 'tj-1', projectCode: PROJECT.TJ, region: 'TJ' });
      await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(tj)],
        'FORBIDDEN_REGION',
      );
    });

    it('refuses an approver of another department', async () => {
      await f.refused(
        await f.who('BJ', 'approver', 'EE'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_DEPARTMENT',
      );
    });

    it('refuses an approver without a department attribute', async () => {
      await f.refused(
        await f.who('BJ', 'approver'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_DEPARTMENT',
      );
    });

    it('refuses auditors: they write nothing', async () => {
      const message = await f.refused(
        await f.who('BJ', 'auditor', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_ROLE',
      );
      expect(message).to.contain('auditors write nothing');
    });

    it('refuses other roles (authority, admin) and identities without a role', async () => {
      await f.refused(
        await f.who('BJ', 'authority', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_ROLE',
      );
      await f.refused(
        await f.who('BJ', 'admin', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        'FORBIDDEN_ROLE',
      );
    });

    it('refuses an organisation outside the three regions', async () => {
      await f.refused(await f.outsider(), 'milestones:Record', [anchorOf(milestone())], 'FORBIDDEN_REGION');
    });

    it('refuses a stage the issuer registry does not grant the department', async () => {
      const message = await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(milestone({ stage: 'EIA' }))],
        'ISSUER_NOT_AUTHORISED',
      );
      expect(message).to.contain('stage EIA');
    });

    it("refuses a decision dated outside the grant's validity", async () => {
      await f.grant('HE', 'HC', ['CONSTRUCTION_PERMIT'], [], '2024-01-01T00:00:00+08:00');
      const he = milestone({ id: 'he-1', projectCode: PROJECT.HE, region: 'HE' });
      await f.refused(
        await f.who('HE', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(he)],
        'ISSUER_NOT_AUTHORISED',
      );
    });
  });

  describe('conditional acceptance (容缺受理) and credit', () => {
    const conditional = milestone({ id: 'bj-hc-c1', decision: 'CONDITIONALLY_ACCEPTED' });

    it('refuses conditional acceptance for an enterprise without a credit evaluation', async () => {
      const message = await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(conditional)],
        'CREDIT_REFUSED',
      );
      expect(message).to.contain('no credit evaluation');
    });

    it('accepts it for level A, refuses level B, refuses the dishonest list', async () => {
      const credit = await f.who('BJ', 'approver', 'CREDIT');
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(credit, 'credit:Record', [creditAnchorOf(creditEvent())]);
      await f.ok(approver, 'milestones:Record', [anchorOf(conditional)]);

      await f.ok(credit, 'credit:Record', [
        creditAnchorOf(
          creditEvent({ id: 'bj-credit-0002', level: 'B', evaluatedAt: '2025-02-01T00:00:00+08:00' }),
        ),
      ]);
      expect(
        await f.refused(
          approver,
          'milestones:Record',
          [anchorOf({ ...conditional, id: 'bj-hc-c2' })],
          'CREDIT_REFUSED',
        ),
      ).to.contain('level B');

      await f.ok(credit, 'credit:Record', [
        creditAnchorOf(
          creditEvent({
            id: 'bj-credit-0003',
            level: 'A',
            dishonest: true,
            evaluatedAt: '2025-02-15T00:00:00+08:00',
          }),
        ),
      ]);
      expect(
        await f.refused(
          approver,
          'milestones:Record',
          [anchorOf({ ...conditional, id: 'bj-hc-c3' })],
          'CREDIT_REFUSED',
        ),
      ).to.contain('dishonest');
    });

    it('does not check credit for other decisions', async () => {
      await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [
        anchorOf(milestone({ decision: 'REJECTED' })),
      ]);
    });
  });

  describe('malformed input', () => {
    const cases: [string, (a: Record<string, unknown>) => unknown, string][] = [
      ['not JSON', () => '{"id":', 'anchor: not valid JSON'],
      ['a bad project code', (a) => ({ ...a, projectCode: '2025-11010-47-03-000318' }), 'anchor.projectCode'],
      ['a bad credit code', (a) => ({ ...a, applicantUscc: '91110105MA01WJ3K7M' }), 'anchor.applicantUscc'],
      ['an unknown stage', (a) => ({ ...a, stage: 'PAINTING' }), 'anchor.stage'],
      ['an unknown decision', (a) => ({ ...a, decision: 'MAYBE' }), 'anchor.decision'],
      ['a timestamp without offset', (a) => ({ ...a, decidedAt: '2025-03-06 16:30:00' }), 'anchor.decidedAt'],
      ['a bad document digest', (a) => ({ ...a, documentDigests: ['ABC'] }), 'anchor.documentDigests[0]'],
      ['a bad commitment', (a) => ({ ...a, commitment: 'xyz' }), 'anchor.commitment'],
      ['a missing field', ({ commitment: _c, ...a }) => a, 'anchor.commitment'],
      ['an extra field (a name)', (a) => ({ ...a, applicantName: '北京' }), 'anchor'],
      ["a region other than the project code's", (a) => ({ ...a, region: 'TJ' }), 'anchor.region'],
      ['a bad id', (a) => ({ ...a, id: '../etc' }), 'anchor.id'],
    ];
    for (const [what, mutate, field] of cases) {
      it(`refuses ${what}, naming the field`, async () => {
        const anchor = JSON.parse(anchorOf(milestone())) as Record<string, unknown>;
        const mutated = mutate(anchor);
        const arg = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
        const message = await f.refused(
          await f.who('BJ', 'approver', 'HC'),
          'milestones:Record',
          [arg],
          'VALIDATION_FAILED',
        );
        expect(message).to.contain(field);
      });
    }

    it('refuses a batch that is not an array and a malformed record inside a batch, naming its index', async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.refused(approver, 'milestones:RecordBatch', [anchorOf(milestone())], 'VALIDATION_FAILED');
      const batch = [
        JSON.parse(anchorOf(milestone())) as object,
        { ...(JSON.parse(anchorOf(milestone({ id: 'b2' }))) as object), stage: 'X' },
      ];
      expect(
        await f.refused(approver, 'milestones:RecordBatch', [JSON.stringify(batch)], 'VALIDATION_FAILED'),
      ).to.contain('anchors[1].stage');
    });

    it('refuses the wrong number of arguments', async () => {
      const res = await f.submit(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', []);
      expect(res.status).to.equal(500);
      expect(res.message).to.contain('Expected 1 parameters');
    });
  });

  describe('reading', () => {
    beforeEach(async () => {
      const hc = await f.who('BJ', 'approver', 'HC');
      const ee = await f.who('BJ', 'approver', 'EE');
      await f.ok(ee, 'milestones:Record', [
        anchorOf(
          milestone({
            id: 'ee-1',
            dept: 'EE',
            stage: 'EIA',
            decidedAt: '2025-03-01T09:00:00+08:00',
            documents: [{ name: 'eia.pdf', sha256: digest('eia') }],
          }),
        ),
      ]);
      await f.ok(hc, 'milestones:Record', [anchorOf(milestone())]);
      await f.ok(hc, 'milestones:Record', [
        anchorOf(
          milestone({
            id: 'hc-2',
            stage: 'COMPLETION_ACCEPTANCE',
            decidedAt: '2025-03-06T08:00:00Z',
            documents: [{ name: 'x.pdf', sha256: digest('permit-0001') }],
          }),
        ),
      ]);
    });

    it('returns the key history with transaction ids', async () => {
      const history = (await f.evaluate(await f.who('BJ', 'auditor'), 'milestones:History', [
        'bj-hc-0001',
      ])) as { txId: string; value: { id: string } }[];
      expect(history).to.have.length(1);
      expect(history[0]!.value.id).to.equal('bj-hc-0001');
      await f.refused(await f.who('BJ', 'auditor'), 'milestones:History', ['nope'], 'NOT_FOUND');
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      await f.refused(await f.who('BJ', 'auditor'), 'milestones:Get', ['nope'], 'NOT_FOUND');
    });
  });
});
