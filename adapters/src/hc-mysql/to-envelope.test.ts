import { expect } from 'chai';
import { EnvelopeSchema, validate, type Envelope } from '@approval-ledger/protocol';
import { type Mapped } from '../core/dead-letter';
import { RESULT_CODES, sgxkToEnvelopes, type HcMappingContext, type SgxkRow } from './to-envelope';

const ctx: HcMappingContext = {
  region: 'BJ',
  sourceSystem: 'bj-hc-sgxk',
  dataClass: 'public',
  version: 1741570272000,
  emittedAt: '2025-03-10T09:32:00+08:00',
};

const row: SgxkRow = {
  ID: 1,
  XMDM: '2025-110105-47-03-000318',
  XMMC: '朝阳区望京科技园三期研发楼',
  SGXKZH: '110105202503100101',
  JSDW: '北京望京科创置业有限公司',
  TYSHXYDM: '91110105MA01WJ3K7N',
  JSGM: '地上12层 建筑面积48000平方米',
  HTJE: '21850.00',
  BLJG: '01',
  FZRQ: '2025-03-10 09:30:00',
  ZT: '1',
  GXSJ: '2025-03-10 09:31:12',
};

function summary(result: Mapped<Envelope>): string[] {
  if (!result.ok) return [`${result.code}: ${result.issues.map((i) => i.field).join(',')}`];
  return result.envelopes.map((e) => {
    const r = e.record as { decision?: string; reason?: string };
    return `${e.kind}${r.decision ? ` ${r.decision}` : ''}${r.reason ? ` ${r.reason}` : ''}`;
  });
}

describe('hc-mysql mapping (T_SGXK row -> envelopes)', () => {
  const table: [string, Partial<SgxkRow>, string[]][] = [
    ['01 核发 -> milestone + certificate', {}, ['milestone APPROVED', 'certificate']],
    ['02 不予核发 -> rejected milestone', { BLJG: '02', SGXKZH: null }, ['milestone REJECTED']],
    ['03 撤销 -> revocation', { BLJG: '03' }, ['certificate-revocation 撤销 (BLJG=03)']],
    ['04 注销 -> revocation', { BLJG: '04' }, ['certificate-revocation 注销 (BLJG=04)']],
    ['soft-deleted permit -> revocation', { ZT: '0' }, ['certificate-revocation 施工许可记录已删除 (ZT=0)']],
    ['soft-deleted rejection -> nothing', { BLJG: '02', ZT: '0', SGXKZH: null }, []],
    [
      'soft-deleted revocation -> revocation',
      { BLJG: '03', ZT: '0' },
      ['certificate-revocation 撤销 (BLJG=03)'],
    ],
    ['CHAR padding is ignored', { BLJG: '01 ', ZT: '1 ' }, ['milestone APPROVED', 'certificate']],
    ['unknown result code', { BLJG: '09' }, ['MAPPING_FAILED: BLJG']],
    ['unknown record state', { ZT: '2' }, ['MAPPING_FAILED: ZT']],
    ['permit without number or date', { SGXKZH: null, FZRQ: null }, ['MAPPING_FAILED: FZRQ,SGXKZH']],
    ['permit without credit code', { TYSHXYDM: '  ' }, ['MAPPING_FAILED: TYSHXYDM']],
    ['unreadable issue date', { FZRQ: '2025-02-30 09:00:00' }, ['MAPPING_FAILED: FZRQ']],
    ['amount that is not a number', { HTJE: 'abc' }, ['MAPPING_FAILED: HTJE']],
  ];
  for (const [name, change, expected] of table) {
    it(name, () => {
      const result = sgxkToEnvelopes({ ...row, ...change }, ctx);
      expect(summary(result)).to.deep.equal(expected);
      if (result.ok)
        for (const e of result.envelopes) expect(validate(EnvelopeSchema, e)).to.deep.include({ ok: true });
    });
  }

  it('has a row for every result code', () => {
    expect(Object.keys(RESULT_CODES)).to.deep.equal(['01', '02', '03', '04']);
  });

  it('reads local times as Asia/Shanghai, names sources by row and part, links the certificate to its milestone', () => {
    const result = sgxkToEnvelopes(row, ctx);
    if (!result.ok) throw new Error('mapping failed');
    const [milestone, certificate] = result.envelopes;
    expect(milestone?.source).to.deep.equal({
      system: 'bj-hc-sgxk',
      recordId: '1.milestone',
      version: ctx.version,
    });
    expect(milestone?.record).to.deep.include({
      decidedAt: '2025-03-10T09:30:00+08:00',
      id: 'bj-hc-sgxk:1.milestone',
    });
    expect(certificate?.record).to.deep.include({
      milestoneId: 'bj-hc-sgxk:1.milestone',
      validFrom: '2025-03-10T09:30:00+08:00',
    });
  });

  it('dates a deletion by its update stamp', () => {
    const result = sgxkToEnvelopes({ ...row, ZT: '0', GXSJ: '2025-04-01 08:00:05' }, ctx);
    expect(result.ok && result.envelopes[0]?.record).to.deep.include({
      revokedAt: '2025-04-01T08:00:05+08:00',
    });
  });

  it('leaves region rules to protocol: a Tianjin project code in a Beijing adapter fails validation', () => {
    const result = sgxkToEnvelopes({ ...row, XMDM: '2025-120101-47-03-000318' }, ctx);
    expect(result.ok).to.be.true;
    const check = validate(EnvelopeSchema, result.ok ? result.envelopes[0] : undefined);
    expect(check.ok ? [] : check.issues.map((i) => i.rule)).to.include('region.projectCode');
  });
});
