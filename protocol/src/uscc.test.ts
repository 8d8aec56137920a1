import { expect } from 'chai';
import { readVectors } from '../test/shared-vectors.js';
import { checkUscc, isValidUscc } from './uscc.js';

interface UsccVectors {
  valid: string[];
  invalid: { code: string; why: string }[];
}

describe('unified social credit codes (GB 32100-2015)', () => {
  const vectors = readVectors<UsccVectors>('uscc-gb32100.json');

  vectors.valid.forEach((code) => {
    it(`accepts ${code}`, () => {
      expect(checkUscc(code)).to.deep.equal({ ok: true });
      expect(isValidUscc(code)).to.be.true;
    });
  });

  vectors.invalid.forEach(({ code, why }) => {
    it(`refuses ${JSON.stringify(code)}: ${why}`, () => {
      expect(checkUscc(code).ok).to.be.false;
      expect(isValidUscc(code)).to.be.false;
    });
  });

  const rules: [string, string, RegExp][] = [
    ['91110105MA01WJ3K7M', 'uscc.checksum', /check character \(18th\) is 'M', expected 'N'/],
    [
      '91110105MA01WJ3K8R',
      'uscc.organisationCode',
      /organisation code check character \(17th\) is '8', expected '7'/,
    ],
    ['91110105MA01WJ3K7', 'uscc.length', /has 17 characters, expected 18/],
    ['91110105MAO1WJ3K7N', 'uscc.checksum', /check character \(18th\)/],
    ['9111O105MA01WJ3K7N', 'uscc.alphabet', /character 'O' at position 5 is not one of the code alphabet/],
    ['91110105ma01wj3k7n', 'uscc.alphabet', /upper case/],
  ];
  rules.forEach(([code, rule, message]) => {
    it(`names rule ${rule} for ${code}`, () => {
      const result = checkUscc(code);
      expect(result).to.include({ ok: false, rule });
      expect(result.ok ? '' : result.message).to.match(message);
    });
  });

  it('refuses values that are not strings', () => {
    expect(checkUscc(91110105)).to.include({ ok: false, rule: 'uscc.type' });
    expect(isValidUscc(null)).to.be.false;
  });

  it('computes the organisation check character X for a remainder of 10', () => {
    expect(isValidUscc('12130100400128767X')).to.be.true;
  });
});
