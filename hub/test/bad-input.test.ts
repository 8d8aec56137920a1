/**
 * Bad input of every kind, over HTTP and over NATS: malformed JSON, wrong schema, oversized body, wrong
 * region, unknown department, invalid project code or credit code. Over HTTP: a clear problem+json naming
 * the field and rule, nothing stored. Over NATS: the message in the DLQ unchanged with the reason in its
 * headers (and mirrored in the store), a REJECTED receipt when the source is readable, nothing stored.
 */
import { expect } from 'chai';
import { envelopeOf, milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

const PROBLEM = /^application\/problem\+json/;

describe('bad input: problem+json over HTTP, dead letters over NATS, nothing stored', function () {
  this.timeout(120_000);
  let t: TestHub;
  let approver: string;

  before(async () => {
    t = await startTestHub();
    approver = await t.token('approver', 'BJ', 'EE');
  });

  after(async () => {
    await t?.stop();
  });

  describe('over HTTP', () => {
    it('answers malformed JSON with malformed-json', async () => {
      const r = await t.api('POST', '/api/v1/milestones', { token: approver, body: '{"id": "x",' });
      expect(r.status).to.equal(400);
      expect(r.headers.get('content-type')).to.match(PROBLEM);
      expect(r.body).to.include({
        type: '/api/v1/problems/malformed-json',
        status: 400,
        instance: '/api/v1/milestones',
      });
    });

    it('answers a wrong schema with every failing field path and rule', async () => {
      const { documents: _d, ...noDocuments } = milestone({ n: 9001 });
      const r = await t.api('POST', '/api/v1/milestones', {
        token: approver,
        body: { ...noDocuments, extra: 1 },
      });
      expect(r.status).to.equal(400);
      expect(r.body.type).to.equal('/api/v1/problems/validation-failed');
      const paths = (r.body.errors as { path: string; rule: string }[]).map((e) => `${e.path} ${e.rule}`);
      expect(paths.join('\n'))
        .to.match(/documents/)
        .and.to.match(/unrecognized_keys/);
    });

    it('answers an oversized body with payload-too-large', async () => {
      const many = Array.from({ length: 4000 }, (_, i) => milestone({ n: 20_000 + i }));
      const r = await t.api('POST', '/api/v1/milestones', { token: approver, body: many });
      expect(r.status).to.equal(413);
      expect(r.body.type).to.equal('/api/v1/problems/payload-too-large');
    });

    it('answers an invalid project code, credit code, department and region with their rules', async () => {
      const cases: [unknown, string, string][] = [
        [
          { ...milestone({ n: 9002 }), projectCode: '2025-990105-47-03-000001' },
          'body.projectCode',
          'projectCode.region',
        ],
        [
          { ...milestone({ n: 9003 }), applicant: { name: '某公司', uscc: '91110105MA01WJ3K7M' } },
          'body.applicant.uscc',
          'uscc.checksum',
        ],
        [{ ...milestone({ n: 9004 }), dept: 'POLICE' }, 'body.dept', 'invalid_value'],
        [{ ...milestone({ n: 9005 }), region: 'TJ' }, 'body.region', 'region.projectCode'],
      ];
      for (const [body, path, rule] of cases) {
        const r = await t.api('POST', '/api/v1/milestones', { token: approver, body });
        expect(r.status, path).to.equal(400);
        expect(r.headers.get('content-type')).to.match(PROBLEM);
        expect(r.body.errors).to.deep.include.members([
          {
            path,
            rule,
            message: (r.body.errors as { path: string; message: string }[]).find((e) => e.path === path)
              ?.message,
          },
        ]);
      }
    });

    it('answers a lone UTF-16 surrogate (valid JSON, not I-JSON: it cannot be canonicalized) with its path', async () => {
      const single = JSON.stringify({ ...milestone({ n: 9006 }), projectName: 'X' }).replace(
        '"X"',
        '"\\ud800"',
      );
      const r = await t.api('POST', '/api/v1/milestones', { token: approver, body: single });
      expect(r.status, JSON.stringify(r.body)).to.equal(400);
      expect(r.body.errors).to.deep.include({
        path: 'body.projectName',
        rule: 'json.i-json',
        message: 'string contains a lone UTF-16 surrogate (not I-JSON)',
      });
      const list = `[${JSON.stringify(milestone({ n: 9007 }))},${single}]`;
      const many = await t.api('POST', '/api/v1/milestones', { token: approver, body: list });
      expect(many.status).to.equal(400);
      expect((many.body.errors as { path: string }[]).map((e) => e.path)).to.deep.equal([
        'body[1].projectName',
      ]);
    });

    it('stored none of them', async () => {
      const counts = await t.hub.store.records.countByStatus();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(0);
    });
  });

  describe('over NATS', () => {
    it('dead-letters each bad message unchanged with its reason, stores nothing, and receipts the readable ones', async () => {
      const good = milestone({ n: 9100 });
      const bad: [string, string, string][] = [
        ['legacy.BJ.EE.milestone', '{"schema": "approval-ledger/envelope@1", "kind":', 'message.json'],
        [
          'legacy.BJ.EE.milestone',
          JSON.stringify({
            ...envelopeOf(good, 'milestone'),
            record: { ...good, projectCode: '2025-990105-47-03-000001' },
          }),
          'projectCode.region',
        ],
        [
          'legacy.BJ.EE.milestone',
          JSON.stringify({
            ...envelopeOf(milestone({ n: 9101 }), 'milestone'),
            record: { ...milestone({ n: 9101 }), applicant: { name: '某公司', uscc: '91110105MA01WJ3K7M' } },
          }),
          'uscc.checksum',
        ],
        [
          'legacy.BJ.POLICE.milestone',
          JSON.stringify({ ...envelopeOf(milestone({ n: 9102 }), 'milestone'), dept: 'POLICE' }),
          'invalid_value',
        ],
        [
          'legacy.TJ.EE.milestone',
          JSON.stringify({ ...envelopeOf(milestone({ n: 9103 }), 'milestone'), region: 'TJ' }),
          'envelope.region',
        ],
        [
          'legacy.TJ.EE.milestone',
          JSON.stringify(envelopeOf(milestone({ n: 9104 }), 'milestone')),
          'envelope.subject',
        ],
        [
          'legacy.BJ.EE.milestone',
          JSON.stringify(envelopeOf({ ...milestone({ n: 9105 }), projectName: 'X' }, 'milestone')).replace(
            '"X"',
            '"\\udc00"',
          ),
          'json.i-json',
        ],
      ];
      for (const [i, [subject, data]] of bad.entries()) await t.publishRaw(subject, data, `bad-${i}`);
      const letters = await t.waitFor('the dead letters', () =>
        t.deadLetters.length >= bad.length ? t.deadLetters : undefined,
      );
      for (const [subject, data, code] of bad) {
        const letter = letters.find((l) => l.data === data);
        expect(letter, code).to.not.equal(undefined);
        expect(letter!.code, data.slice(0, 80)).to.equal(code);
        expect(letter!.reason).to.be.a('string').and.not.equal('');
        expect(letter!.subject).to.match(/^ledger\.dlq\./);
        expect(subject).to.be.a('string');
      }
      const rejected = await t.waitFor('REJECTED receipts', () => {
        const r = t.receipts.filter((x) => x.status === 'REJECTED');
        const ids = r.map((x) => x.recordId);
        return ids.includes('test-bj-ee:R9101:1') && ids.includes('test-bj-ee:R9105:1') ? r : undefined;
      });
      expect(rejected.map((r) => r.recordId)).to.include('test-bj-ee:R9101:1');
      expect(rejected.map((r) => r.recordId)).to.include('test-bj-ee:R9105:1');
      const mirrored = await t.waitFor('the store mirror', async () => {
        const stored = await t.hub.store.deadLetters.list({ limit: 100 });
        return stored.length >= bad.length ? stored : undefined;
      });
      expect(mirrored.map((d) => d.code)).to.include.members(bad.map(([, , code]) => code));
      const counts = await t.hub.store.records.countByStatus();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(0);
      // and ingest goes on: none of them is retried forever in front of the next record
      await t.publish(envelopeOf(milestone({ n: 9199 }), 'milestone'));
      await t.waitFor('the next record anchored', () =>
        t.receipts.find((r) => r.recordId === 'test-bj-ee:R9199:1' && r.status === 'ANCHORED'),
      );
    });
  });
});
