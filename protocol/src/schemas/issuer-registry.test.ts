import { expect } from 'chai';
import { validate } from '../validate.js';
import { IssuerGrantSchema, SignerRegistrationSchema } from './issuer-registry.js';

const grant = {
  region: 'BJ',
  dept: 'PNR',
  stages: ['LAND_USE_PLANNING', 'ENGINEERING_PLANNING'],
  certificateTypes: ['LAND_USE_PLANNING_PERMIT', 'ENGINEERING_PLANNING_PERMIT'],
  validFrom: '2025-01-01T00:00:00+08:00',
};

describe('issuer registry schemas', () => {
  it('accepts a grant of stages and certificate types', () => {
    expect(validate(IssuerGrantSchema, grant).ok).to.be.true;
  });

  it('refuses an empty grant, repeated entries and unknown codes', () => {
    const paths = (v: unknown): string[] => {
      const r = validate(IssuerGrantSchema, v);
      return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.rule}`);
    };
    expect(paths({ ...grant, stages: [], certificateTypes: [] })).to.deep.equal(['stages grant.empty']);
    expect(paths({ ...grant, stages: ['EIA', 'EIA'] })).to.deep.equal(['stages list.unique']);
    expect(paths({ ...grant, certificateTypes: ['PASSPORT'] })).to.deep.equal([
      'certificateTypes[0] invalid_value',
    ]);
    expect(paths({ ...grant, validUntil: '2024-12-31T00:00:00+08:00' })).to.deep.equal([
      'validUntil validity.order',
    ]);
  });

  it('accepts a signer registration', () => {
    const signer = {
      region: 'TJ',
      address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      name: '天津市政务服务办公室 互认审核员',
      validFrom: '2025-01-01T00:00:00+08:00',
    };
    expect(validate(SignerRegistrationSchema, signer).ok).to.be.true;
    expect(validate(SignerRegistrationSchema, { ...signer, address: '0x12' }).ok).to.be.false;
  });
});
