import { expect } from 'chai';
import {
  CertificateRevocationSchema,
  CertificateSchema,
  CheckpointSchema,
  CreditEventSchema,
  EnvelopeSchema,
  IssuerGrantSchema,
  MilestoneSchema,
  RecognitionRequestSchema,
  REGION_CODES,
  checkProjectCode,
  isValidUscc,
  validate,
} from '../index.js';
import {
  SAMPLE_USCC,
  numberedMilestone,
  sampleCertificate,
  sampleCheckpoint,
  sampleCreditEvent,
  sampleDocumentDigest,
  sampleEnvelope,
  sampleIssuerGrant,
  sampleMilestone,
  sampleProjectCode,
  sampleRecognitionRequest,
  sampleRevocation,
  sampleStageOf,
} from './index.js';

const issuesOf = (result: ReturnType<typeof validate>): string[] =>
  result.ok ? [] : result.issues.map((i) => `${i.path} ${i.rule}`);

describe('sample records (@approval-ledger/protocol/testing)', () => {
  it('pass their own schemas as they stand', () => {
    expect(issuesOf(validate(MilestoneSchema, sampleMilestone()))).to.deep.equal([]);
    expect(issuesOf(validate(MilestoneSchema, numberedMilestone(123_456)))).to.deep.equal([]);
    expect(issuesOf(validate(CertificateSchema, sampleCertificate()))).to.deep.equal([]);
    expect(issuesOf(validate(CertificateRevocationSchema, sampleRevocation()))).to.deep.equal([]);
    expect(issuesOf(validate(CreditEventSchema, sampleCreditEvent()))).to.deep.equal([]);
    expect(issuesOf(validate(RecognitionRequestSchema, sampleRecognitionRequest()))).to.deep.equal([]);
    expect(issuesOf(validate(CheckpointSchema, sampleCheckpoint()))).to.deep.equal([]);
    expect(issuesOf(validate(IssuerGrantSchema, sampleIssuerGrant('BJ', 'EE', ['EIA'])))).to.deep.equal([]);
    for (const [record, kind] of [
      [sampleMilestone(), 'milestone'],
      [sampleCertificate(), 'certificate'],
      [sampleRevocation(), 'certificate-revocation'],
      [sampleCreditEvent(), 'credit'],
    ] as const) {
      expect(issuesOf(validate(EnvelopeSchema, sampleEnvelope(record, kind))), kind).to.deep.equal([]);
    }
  });

  it('gives numbered milestones their own id, source and document, and takes overrides last', () => {
    const [a, b] = [numberedMilestone(1), numberedMilestone(2, { decision: 'REJECTED' })];
    expect(a.id).to.not.equal(b.id);
    expect(a.source.recordId).to.not.equal(b.source.recordId);
    expect(a.documents[0]?.sha256).to.equal(sampleDocumentDigest(1));
    expect(b.documents[0]?.sha256).to.equal(sampleDocumentDigest(2)).and.not.equal(sampleDocumentDigest(1));
    expect(b.decision).to.equal('REJECTED');
  });

  it('has valid codes for every region, and the stage the registry gives each department', () => {
    for (const region of REGION_CODES) {
      expect(isValidUscc(SAMPLE_USCC[region]), region).to.equal(true);
      expect(checkProjectCode(sampleProjectCode(region, 1_000_318)).ok, region).to.equal(true);
    }
    expect(sampleStageOf('DRC')).to.equal('PROJECT_APPROVAL');
    expect(sampleStageOf('HC')).to.equal('CONSTRUCTION_PERMIT');
    expect(sampleStageOf('CREDIT')).to.equal('EIA');
  });
});
