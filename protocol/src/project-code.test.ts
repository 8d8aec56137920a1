import { expect } from 'chai';
import { readVectors } from '../test/shared-vectors.js';
import { checkProjectCode, isValidProjectCode, parseProjectCode } from './project-code.js';
import { ProtocolValidationError } from './protocol-validation.error.js';

interface ProjectCodeVectors {
  valid: { code: string; region: string; kind: string }[];
  invalid: { code: string; why: string }[];
}

describe('national investment project codes', () => {
  const vectors = readVectors<ProjectCodeVectors>('project-codes.json');

  vectors.valid.forEach(({ code, region, kind }) => {
    it(`parses ${code} as a ${region} project of kind ${kind}`, () => {
      expect(parseProjectCode(code)).to.include({ region, kind });
      expect(isValidProjectCode(code)).to.be.true;
    });
  });

  vectors.invalid.forEach(({ code, why }) => {
    it(`refuses ${code}: ${why}`, () => {
      expect(() => parseProjectCode(code)).to.throw(ProtocolValidationError);
      expect(isValidProjectCode(code)).to.be.false;
    });
  });

  it('returns every part of a code', () => {
    expect(parseProjectCode('2025-110105-47-03-000318')).to.deep.equal({
      year: 2025,
      division: '110105',
      region: 'BJ',
      industry: '47',
      kind: '03',
      serial: '000318',
    });
  });

  const messages: [string, string, string][] = [
    [
      '2025-11010-47-03-000318',
      'projectCode.division',
      'projectCode: division code 11010 has 5 digits, expected 6',
    ],
    ['2025-110105-47-04-000318', 'projectCode.kind', 'projectCode: kind 04 does not exist'],
    ['25-110105-47-03-000318', 'projectCode.year', 'projectCode: year 25 has 2 digits, expected 4'],
    ['2025-110105-47-03-00031A', 'projectCode.serial', 'projectCode: serial 00031A is not numeric'],
    [
      '2025-310000-47-03-000318',
      'projectCode.region',
      'projectCode: division code 310000 is outside Beijing-Tianjin-Hebei',
    ],
    ['2025-110105-47-03', 'projectCode.format', "has 4 part(s) separated by '-', expected 5"],
    ['2025-110105-4-03-000318', 'projectCode.industry', 'industry code 4 has 1 digits, expected 2'],
  ];
  messages.forEach(([code, rule, message]) => {
    it(`throws ${rule} for ${code} with a clear message`, () => {
      try {
        parseProjectCode(code);
        expect.fail('expected an error');
      } catch (error) {
        expect(error).to.be.instanceOf(ProtocolValidationError);
        const e = error as ProtocolValidationError;
        expect(e.message).to.contain(message);
        expect(e.issues).to.have.length(1);
        expect(e.issues[0]).to.include({ path: 'projectCode', rule });
      }
    });
  });

  it('refuses values that are not strings', () => {
    expect(checkProjectCode(20250001)).to.include({ ok: false, rule: 'projectCode.format' });
  });
});
