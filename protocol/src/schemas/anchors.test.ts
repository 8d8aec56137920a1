import { expect } from 'chai';
import { sampleCertificate, sampleCreditEvent, sampleMilestone } from '../testing/index.js';
import { canonicalize } from '../canonical-json.js';
import { newSalt, verifyCommitment } from '../commitment.js';
import { validate } from '../validate.js';
import {
  CertificateAnchorSchema,
  CreditAnchorSchema,
  MilestoneAnchorSchema,
  toCertificateAnchor,
  toCreditAnchor,
  toMilestoneAnchor,
} from './anchors.js';

describe('on-chain anchors', () => {
  const salt = newSalt();

  it('anchors a milestone by ids, codes, digests and a commitment, without names', () => {
    const m = sampleMilestone();
    const anchor = toMilestoneAnchor(m, salt);
    expect(validate(MilestoneAnchorSchema, anchor).ok).to.be.true;
    expect(anchor).to.include({
      id: m.id,
      applicantUscc: '91110105MA01WJ3K7N',
      stage: 'EIA',
      decision: 'APPROVED',
    });
    expect(anchor.documentDigests).to.deep.equal([m.documents[0]?.sha256]);
    const text = canonicalize(anchor);
    for (const secret of ['望京', '北京望京科创置业有限公司', '京环审', '报告书'])
      expect(text).to.not.contain(secret);
    expect(verifyCommitment(m, salt, anchor.commitment)).to.be.true;
  });

  it('anchors a certificate, keeping an open-ended validity absent rather than undefined', () => {
    const { validUntil: _u, ...openEnded } = sampleCertificate();
    const anchor = toCertificateAnchor(openEnded, salt);
    expect('validUntil' in anchor).to.be.false;
    expect(validate(CertificateAnchorSchema, anchor).ok).to.be.true;
    expect(() => canonicalize(anchor)).to.not.throw();
    const bounded = toCertificateAnchor(sampleCertificate(), salt);
    expect(bounded.validUntil).to.equal('2026-03-10T00:00:00+08:00');
    expect(bounded.holderUscc).to.equal('91110105MA01WJ3K7N');
  });

  it('anchors a credit event without the enterprise name', () => {
    const e = sampleCreditEvent();
    const anchor = toCreditAnchor(e, salt);
    expect(validate(CreditAnchorSchema, anchor).ok).to.be.true;
    expect(canonicalize(anchor)).to.not.contain(e.enterpriseName);
    expect(verifyCommitment(e, salt, anchor.commitment)).to.be.true;
  });

  it('gives the same record different commitments under different salts', () => {
    const m = sampleMilestone();
    expect(toMilestoneAnchor(m, newSalt()).commitment).to.not.equal(
      toMilestoneAnchor(m, newSalt()).commitment,
    );
  });
});
