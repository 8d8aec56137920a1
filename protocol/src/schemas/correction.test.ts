import { expect } from 'chai';
import { sampleCertificate, sampleMilestone } from '../testing/index.js';
import { commitment } from '../commitment.js';
import { validate } from '../validate.js';
import { CertificateAnchorSchema, toCertificateAnchor, toMilestoneAnchor } from './anchors.js';
import { CertificateSchema } from './certificate.js';
import { MilestoneSchema } from './milestone.js';

const SALT = '11'.repeat(32);
const PREVIOUS = 'ab'.repeat(32);

describe('Versioned corrections (更正)', () => {
  it('keeps a record without version fields a version 1, with the commitment it always had', () => {
    const first = sampleCertificate();
    expect(validate(CertificateSchema, first).ok).to.be.true;
    expect(toCertificateAnchor(first, SALT)).to.not.have.any.keys('version', 'corrects');
    expect(toCertificateAnchor(first, SALT).commitment).to.equal(commitment(first, SALT));
  });

  it('accepts version 2 of a certificate naming the commitment it corrects and why', () => {
    const second = sampleCertificate({ version: 2, corrects: PREVIOUS, correctionReason: '更正建设规模' });
    expect(validate(CertificateSchema, second).ok).to.be.true;
    const anchor = toCertificateAnchor(second, SALT);
    expect(anchor).to.include({ version: 2, corrects: PREVIOUS });
    expect(validate(CertificateAnchorSchema, anchor).ok).to.be.true;
  });

  it('covers the correction fields with the commitment', () => {
    const a = sampleCertificate({ version: 2, corrects: PREVIOUS, correctionReason: '更正建设规模' });
    const b = sampleCertificate({ version: 2, corrects: PREVIOUS, correctionReason: '更正合同金额' });
    expect(commitment(a, SALT)).to.not.equal(commitment(b, SALT));
  });

  it('refuses a version above 1 that names no corrected commitment, naming the field and rule', () => {
    const result = validate(MilestoneSchema, sampleMilestone({ version: 2, correctionReason: '更正' }));
    expect(result.ok ? [] : result.issues).to.deep.include({
      path: 'corrects',
      rule: 'correction.corrects',
      message: 'version 2 must name the commitment it corrects',
    });
  });

  it('refuses a version above 1 without a reason', () => {
    const result = validate(CertificateSchema, sampleCertificate({ version: 3, corrects: PREVIOUS }));
    expect(result.ok ? [] : result.issues.map((i) => i.rule)).to.include('correction.reason');
  });

  it('refuses `corrects` on a version 1', () => {
    const result = validate(
      CertificateSchema,
      sampleCertificate({ corrects: PREVIOUS, correctionReason: 'x' }),
    );
    expect(result.ok ? [] : result.issues.map((i) => i.rule)).to.include('correction.version');
  });

  it("accepts an adapter's request to correct (a reason alone), which the hub completes", () => {
    expect(validate(MilestoneSchema, sampleMilestone({ correctionReason: '更正合同金额' })).ok).to.be.true;
    expect(toMilestoneAnchor(sampleMilestone({ correctionReason: '更正' }), SALT)).to.not.have.any.keys(
      'version',
      'corrects',
    );
  });

  it('refuses an anchor naming a version without what it corrects', () => {
    const anchor = { ...toCertificateAnchor(sampleCertificate(), SALT), version: 2 };
    const result = validate(CertificateAnchorSchema, anchor);
    expect(result.ok ? [] : result.issues.map((i) => i.rule)).to.include('correction.anchor');
  });
});
