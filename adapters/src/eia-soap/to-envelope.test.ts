import { expect } from 'chai';
import { EnvelopeSchema, validate } from '@approval-ledger/protocol';
import {
  RESULT_CODES,
  eiaApprovalToEnvelopes,
  type EiaApproval,
  type EiaMappingContext,
} from './to-envelope';

const ctx: EiaMappingContext = {
  region: 'BJ',
  sourceSystem: 'bj-ee-eia',
  dataClass: 'public',
  emittedAt: '2025-03-06T17:00:00+08:00',
};
const approval: EiaApproval = {
  docNo: '京环审〔2025〕41号',
  recordId: 'EIA-2025-0041',
  revision: '2',
  projectCode: '2025-110115-35-02-000027',
  projectName: '亦庄新能源汽车零部件生产线',
  applicantName: '北京亦庄智驱科技有限公司',
  applicantUscc: '91110115MA02YZ7D0R',
  category: '报告书',
  resultCode: '1',
  resultText: '批准',
  decisionTime: '2025-03-06T16:30:00+08:00',
  attachments: [
    {
      name: '批复文件.pdf',
      sha256: '5B0F6E0D1F1CBB3E29F1AE6A0E2E4C6A4E47CFC0B3F4A2F7A43B1C2E0F9D8A71',
      bytes: '482113',
    },
  ],
};

function kinds(change: Partial<EiaApproval>): string[] {
  const result = eiaApprovalToEnvelopes({ ...approval, ...change }, ctx);
  if (!result.ok) return result.issues.map((i) => `${i.field} [${i.rule}]`);
  for (const e of result.envelopes) expect(validate(EnvelopeSchema, e)).to.deep.include({ ok: true });
  return result.envelopes.map((e) => `${e.kind}${'decision' in e.record ? ` ${e.record.decision}` : ''}`);
}

describe('eia-soap mapping (eia:Approval -> envelopes)', () => {
  const expected: Record<string, string[]> = {
    '1': ['milestone APPROVED', 'certificate'],
    '2': ['milestone RETURNED'],
    '3': ['milestone REJECTED'],
    '4': ['milestone WITHDRAWN'],
    '5': ['milestone CONDITIONALLY_ACCEPTED'],
    '6': ['milestone REVOKED', 'certificate-revocation'],
  };
  for (const [code, { zh }] of Object.entries(RESULT_CODES)) {
    it(`result code ${code} ${zh} -> ${expected[code]?.join(' + ')}`, () =>
      expect(kinds({ resultCode: code })).to.deep.equal(expected[code]));
  }

  it('an approval without a document number is a milestone only', () =>
    expect(kinds({ docNo: '' })).to.deep.equal(['milestone APPROVED']));

  it('carries attachment digests as documents, lower-cased', () => {
    const result = eiaApprovalToEnvelopes(approval, ctx);
    expect(result.ok && result.envelopes[1]?.record).to.deep.include({
      documents: [
        {
          name: '批复文件.pdf',
          sha256: '5b0f6e0d1f1cbb3e29f1ae6a0e2e4c6a4e47cfc0b3f4a2f7a43b1c2e0f9d8a71',
          bytes: 482113,
        },
      ],
    });
  });

  it('reads a zone-less decision time as Asia/Shanghai', () => {
    const result = eiaApprovalToEnvelopes({ ...approval, decisionTime: '2025-03-06 16:30' }, ctx);
    expect(result.ok && result.envelopes[0]?.record).to.deep.include({
      decidedAt: '2025-03-06T16:30:00+08:00',
    });
  });

  const failures: [string, Partial<EiaApproval>, string[]][] = [
    ['an unknown result code', { resultCode: '9' }, ['eia:Result/@code [eia.resultCode]']],
    ['a bad date', { decisionTime: 'not-a-date' }, ['eia:DecisionTime [date.format]']],
    ['an unknown category', { category: '报告单' }, ['eia:Category [eia.category]']],
    [
      'a missing record id and revision',
      { recordId: undefined, revision: 'x' },
      ['eia:RecordId [eia.required]', 'eia:Revision [eia.revision]'],
    ],
    [
      'a byte count that is not a number',
      { attachments: [{ name: 'a.pdf', sha256: 'a'.repeat(64), bytes: 'big' }] },
      ['eia:Attachment[1]/@bytes [eia.attachment]'],
    ],
  ];
  for (const [name, change, issues] of failures) {
    it(`dead-letters ${name}`, () => expect(kinds(change)).to.deep.equal(issues));
  }

  it('leaves digest format to protocol: a short sha256 fails validation at documents[0].sha256', () => {
    const result = eiaApprovalToEnvelopes(
      { ...approval, attachments: [{ name: 'a.pdf', sha256: 'abc' }] },
      ctx,
    );
    const check = validate(EnvelopeSchema, result.ok ? result.envelopes[0] : undefined);
    expect(check.ok ? [] : check.issues.map((i) => `${i.path} [${i.rule}]`)).to.deep.equal([
      'record.documents[0].sha256 [sha256.format]',
    ]);
  });
});
