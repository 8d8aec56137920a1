import { expect } from 'chai';
import { sampleCertificate } from '../testing/index.js';
import { validate } from '../validate.js';
import { CertificateRevocationSchema, CertificateSchema } from './certificate.js';

describe('Certificate schemas', () => {
  it('accepts a construction permit', () => {
    expect(validate(CertificateSchema, sampleCertificate()).ok).to.be.true;
  });

  it('accepts certificate numbers as printed, with CJK characters', () => {
    expect(validate(CertificateSchema, sampleCertificate({ number: '建字第110105202500012号' })).ok).to.be
      .true;
  });

  it('refuses a validity that ends before it starts', () => {
    const result = validate(
      CertificateSchema,
      sampleCertificate({ validUntil: '2025-03-09T00:00:00+08:00' }),
    );
    expect(result.ok ? [] : result.issues).to.deep.include({
      path: 'validUntil',
      rule: 'validity.order',
      message: '2025-03-09T00:00:00+08:00 is not after 2025-03-10T00:00:00+08:00',
    });
  });

  it('compares validity by instant, not by text', () => {
    const c = sampleCertificate({
      validFrom: '2025-03-10T00:00:00+08:00',
      validUntil: '2025-03-09T17:00:00Z',
    });
    expect(validate(CertificateSchema, c).ok).to.be.true;
  });

  it('refuses a certificate of a region its project is not in', () => {
    const result = validate(CertificateSchema, sampleCertificate({ region: 'HE' }));
    expect(result.ok ? undefined : result.issues[0]).to.include({
      path: 'region',
      rule: 'region.projectCode',
    });
  });

  it('accepts a revocation with its reason', () => {
    const revocation = {
      number: '110105202503100101',
      region: 'BJ',
      dept: 'HC',
      reason: '以欺骗手段取得许可',
      revokedAt: '2025-04-01T10:00:00+08:00',
      source: { system: 'bj-hc-sgxk', recordId: '110105202503100101', version: 2 },
    };
    expect(validate(CertificateRevocationSchema, revocation).ok).to.be.true;
    expect(validate(CertificateRevocationSchema, { ...revocation, reason: '' }).ok).to.be.false;
  });
});
