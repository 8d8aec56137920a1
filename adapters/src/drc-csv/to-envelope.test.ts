import { expect } from 'chai';
import { EnvelopeSchema, validate } from '@approval-ledger/protocol';
import { ITEMS, RESULTS, drcRowToEnvelopes, type DrcMappingContext, type DrcRow } from './to-envelope';

const ctx: DrcMappingContext = {
  region: 'BJ',
  sourceSystem: 'bj-drc',
  dataClass: 'public',
  emittedAt: '2025-03-08T01:00:00+08:00',
};
const row: DrcRow = {
  projectCode: '2025-110105-47-03-000318',
  projectName: '朝阳区望京科技园三期研发楼',
  applicantName: '北京望京科创置业有限公司',
  uscc: '91110105MA01WJ3K7N',
  projectKind: '备案',
  item: '企业投资项目备案',
  result: '予以备案',
  decidedOn: '2025年03月04日',
  office: '投资处',
  version: '1',
};

function record(change: Partial<DrcRow>): Record<string, unknown> {
  const result = drcRowToEnvelopes({ ...row, ...change }, ctx);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('; '));
  expect(validate(EnvelopeSchema, result.envelopes[0])).to.deep.include({ ok: true });
  return result.envelopes[0]?.record as Record<string, unknown>;
}

function failure(change: Partial<DrcRow>): string[] {
  const result = drcRowToEnvelopes({ ...row, ...change }, ctx);
  return result.ok ? [] : result.issues.map((i) => `${i.field} [${i.rule}]`);
}

describe('drc-csv mapping (CSV row -> milestone)', () => {
  for (const [text, decision] of Object.entries(RESULTS)) {
    it(`办理结果 ${text} -> ${decision}`, () => expect(record({ result: text }).decision).to.equal(decision));
  }
  for (const [item, { code, stage }] of Object.entries(ITEMS)) {
    it(`办理事项 ${item} -> ${stage}, record id …${code}`, () => {
      const r = record({ item });
      expect(r.stage).to.equal(stage);
      expect(r.id).to.equal(`bj-drc:2025-110105-47-03-000318.${code}:1`);
    });
  }
  for (const date of ['2025年03月04日', '2025-03-04', '20250304', '2025/03/04', '2025/3/4']) {
    it(`reads the legacy date ${date} as local midnight`, () =>
      expect(record({ decidedOn: date }).decidedAt).to.equal('2025-03-04T00:00:00+08:00'));
  }

  const failures: [string, Partial<DrcRow>, string[]][] = [
    ['an unknown result', { result: '已阅' }, ['办理结果 [drc.code]']],
    ['an unknown item', { item: '其他事项' }, ['办理事项 [drc.code]']],
    ['an impossible date', { decidedOn: '2025年13月40日' }, ['办结日期 [date.calendar]']],
    ['a date in no known format', { decidedOn: '03/04/2025' }, ['办结日期 [date.format]']],
    [
      'a project type that contradicts the project code',
      { projectKind: '核准' },
      ['项目类型 [drc.projectKind]'],
    ],
    ['an unknown project type', { projectKind: '登记' }, ['项目类型 [drc.code]']],
    ['a version that is not a positive number', { version: '0' }, ['记录版本 [drc.version]']],
    [
      'several problems at once, with protocol checks of the other fields',
      { decidedOn: 'x', projectCode: '2025-11010-47-03-000318', uscc: '911101050000000000' },
      ['办结日期 [date.format]', '项目代码 [projectCode.division]', '统一社会信用代码 [uscc.checksum]'],
    ],
  ];
  for (const [name, change, expected] of failures) {
    it(`dead-letters ${name}`, () => expect(failure(change)).to.deep.equal(expected));
  }

  it('sends a re-filed row (记录版本 2) as a correction of the same milestone, and version 1 as before', () => {
    const first = record({});
    expect(first).to.not.have.property('correctionReason');
    const second = record({ version: '2' });
    expect(second.id).to.equal(first.id);
    expect(second).to.include({ correctionReason: '更正：发改委报送记录第 2 版' });
    expect(second.source).to.deep.include({ version: 2 });
    expect(second).to.not.have.any.keys('version', 'corrects');
  });
});
