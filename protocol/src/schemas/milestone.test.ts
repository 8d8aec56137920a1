import { expect } from 'chai';
import { sampleMilestone } from '../testing/index.js';
import { ProtocolValidationError } from '../protocol-validation.error.js';
import { validate, validateOrThrow } from '../validate.js';
import { MilestoneSchema } from './milestone.js';

function issuesOf(value: unknown): { path: string; rule: string; message: string }[] {
  const result = validate(MilestoneSchema, value);
  return result.ok ? [] : result.issues;
}

describe('Milestone schema', () => {
  it('accepts a complete milestone and returns it unchanged', () => {
    const m = sampleMilestone();
    expect(validateOrThrow(MilestoneSchema, m)).to.deep.equal(m);
  });

  it('accepts a milestone without its optional fields', () => {
    const { projectName: _n, projectType: _t, documentNo: _d, details: _x, ...minimal } = sampleMilestone();
    expect(validate(MilestoneSchema, minimal).ok).to.be.true;
  });

  it('refuses a region other than the one the project code places the project in', () => {
    const issues = issuesOf(sampleMilestone({ region: 'TJ' }));
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ path: 'region', rule: 'region.projectCode' });
    expect(issues[0]?.message).to.contain('places the project in BJ');
  });

  it('names the field path and rule of a bad credit code', () => {
    const m = sampleMilestone({
      applicant: { name: '北京望京科创置业有限公司', uscc: '91110105MA01WJ3K7M' },
    });
    expect(issuesOf(m)).to.deep.equal([
      {
        path: 'applicant.uscc',
        rule: 'uscc.checksum',
        message: "check character (18th) is 'M', expected 'N'",
      },
    ]);
  });

  it('explains a malformed project code in its own words', () => {
    try {
      validateOrThrow(MilestoneSchema, sampleMilestone({ projectCode: '2025-11010-47-03-000318' }));
      expect.fail('expected an error');
    } catch (error) {
      expect(error).to.be.instanceOf(ProtocolValidationError);
      expect((error as Error).message).to.equal('projectCode: division code 11010 has 5 digits, expected 6');
    }
  });

  it('names the index of a bad document digest', () => {
    const m = sampleMilestone({ documents: [{ name: 'a.pdf', sha256: 'ABC' }] });
    expect(issuesOf(m)[0]).to.include({ path: 'documents[0].sha256', rule: 'sha256.format' });
  });

  it('refuses timestamps without offset and impossible dates', () => {
    expect(issuesOf(sampleMilestone({ decidedAt: '2025-03-06 16:30:00' }))[0]).to.include({
      path: 'decidedAt',
      rule: 'timestamp.format',
    });
    expect(issuesOf(sampleMilestone({ decidedAt: '2025-13-40T00:00:00+08:00' }))[0]).to.include({
      rule: 'timestamp.date',
    });
  });

  it('refuses unknown fields, renamed fields included', () => {
    const m = { ...sampleMilestone(), project_code: '2025-110105-47-03-000318' };
    expect(issuesOf(m)[0]).to.include({ path: '', rule: 'unrecognized_keys' });
  });

  it('refuses an optional field that is present but undefined (it has no JSON form)', () => {
    expect(issuesOf(sampleMilestone({ documentNo: undefined }))[0]).to.include({ path: 'documentNo' });
  });

  it('refuses unknown registry codes', () => {
    const m = { ...sampleMilestone(), stage: 'PAINTING', decision: 'MAYBE', dept: 'POLICE' };
    expect(issuesOf(m).map((i) => i.path)).to.have.members(['stage', 'decision', 'dept']);
  });

  it('refuses a bad source reference', () => {
    const m = sampleMilestone({ source: { system: 'bj:eia', recordId: 'x', version: 0 } });
    expect(issuesOf(m).map((i) => `${i.path} ${i.rule}`)).to.have.members([
      'source.system sourceSystem.format',
      'source.version too_small',
    ]);
  });

  it('keeps details flat and JSON-safe', () => {
    expect(
      validate(MilestoneSchema, sampleMilestone({ details: { amount: 12600.5, urgent: true, note: null } }))
        .ok,
    ).to.be.true;
    const nested = { ...sampleMilestone(), details: { nested: { a: 1 } } };
    expect(issuesOf(nested)[0]?.path).to.equal('details.nested');
    const infinite = sampleMilestone({ details: { amount: Infinity } });
    expect(issuesOf(infinite)[0]?.path).to.equal('details.amount');
  });

  it('refuses names with control characters or surrounding white space', () => {
    expect(issuesOf(sampleMilestone({ projectName: ' 望京 ' }))[0]).to.include({ rule: 'text.whitespace' });
    expect(issuesOf(sampleMilestone({ projectName: '望京\u0000' }))[0]).to.include({ rule: 'text.control' });
    expect(issuesOf(sampleMilestone({ projectName: '' }))[0]).to.include({ rule: 'text.length' });
  });

  it('refuses ids outside the record id alphabet', () => {
    expect(issuesOf(sampleMilestone({ id: '-leading-dash' }))[0]).to.include({
      path: 'id',
      rule: 'recordId.format',
    });
    expect(issuesOf(sampleMilestone({ id: 'a'.repeat(129) }))[0]).to.include({ rule: 'recordId.format' });
    expect(issuesOf(sampleMilestone({ id: 'bj:eia:EIA-2025_0042.v1' }))).to.be.empty;
  });
});
