import { expect } from 'chai';
import { z } from 'zod';
import { ProtocolValidationError, formatIssue } from './protocol-validation.error.js';
import { validate, validateOrThrow } from './validate.js';

describe('validate', () => {
  const schema = z.strictObject({ items: z.array(z.strictObject({ n: z.number() })) });

  it('returns the parsed value when valid', () => {
    expect(validate(schema, { items: [{ n: 1 }] })).to.deep.equal({ ok: true, value: { items: [{ n: 1 }] } });
  });

  it('lists issues with bracketed indices and dotted fields, the zod code standing in for a rule', () => {
    const result = validate(schema, { items: [{ n: 1 }, { n: 'x' }] });
    expect(result.ok).to.be.false;
    expect(result.ok ? [] : result.issues).to.deep.equal([
      {
        path: 'items[1].n',
        rule: 'invalid_type',
        message: 'Invalid input: expected number, received string',
      },
    ]);
  });

  it('throws a ProtocolValidationError carrying every issue', () => {
    try {
      validateOrThrow(schema, { items: [{ n: 'a' }, { n: 'b' }] });
      expect.fail('expected an error');
    } catch (error) {
      expect(error).to.be.instanceOf(ProtocolValidationError);
      const e = error as ProtocolValidationError;
      expect(e.issues.map((i) => i.path)).to.deep.equal(['items[0].n', 'items[1].n']);
      expect(e.message).to.match(/^items\[0\]\.n: Invalid input.*; items\[1\]\.n: Invalid input/);
      expect(e.name).to.equal('ProtocolValidationError');
    }
  });

  it('formats an issue on the value itself without a path', () => {
    expect(formatIssue({ path: '', rule: 'r', message: 'bad' })).to.equal('bad');
    expect(formatIssue({ path: 'a.b', rule: 'r', message: 'bad' })).to.equal('a.b: bad');
  });
});
