import { expect } from 'chai';
import { validate } from '../validate.js';
import { BlockParamsSchema, BlocksQuerySchema, DlqParamsSchema } from './requests.js';

describe('numeric path and query parameters', () => {
  type ParamsSchema = typeof BlockParamsSchema | typeof DlqParamsSchema | typeof BlocksQuerySchema;
  const rule = (value: unknown, schema: ParamsSchema = BlockParamsSchema): string | undefined => {
    const result = validate(schema, value);
    return result.ok ? undefined : result.issues[0]?.rule;
  };

  it('accepts only canonical non-negative decimal integers', () => {
    expect(validate(BlockParamsSchema, { number: '0' })).to.deep.equal({ ok: true, value: { number: 0 } });
    expect(validate(BlockParamsSchema, { number: '9007199254740991' })).to.deep.include({ ok: true });
    for (const bad of [
      ' ',
      '',
      ' 1',
      '1 ',
      '1e3',
      '0x10',
      '0b1',
      '0o7',
      '+1',
      '-1',
      '-0',
      '01',
      '1.0',
      '1_0',
      'NaN',
      'Infinity',
      '１',
    ])
      expect(rule({ number: bad }), JSON.stringify(bad)).to.equal('integer.decimal');
  });

  it('refuses values beyond MAX_SAFE_INTEGER or the parameter’s bounds as out of range', () => {
    expect(rule({ number: '9007199254740992' })).to.equal('integer.range');
    expect(rule({ number: '99999999999999999999999' })).to.equal('integer.range');
    expect(rule({ seq: '0' }, DlqParamsSchema)).to.equal('integer.range');
    expect(rule({ limit: '101' }, BlocksQuerySchema)).to.equal('integer.range');
    expect(rule({ limit: '0' }, BlocksQuerySchema)).to.equal('integer.range');
  });

  it('keeps the page default when the limit is absent', () => {
    expect(validate(BlocksQuerySchema, {})).to.deep.equal({ ok: true, value: { limit: 20 } });
    expect(validate(BlocksQuerySchema, { before: '7', limit: '5' })).to.deep.equal({
      ok: true,
      value: { before: 7, limit: 5 },
    });
  });
});
