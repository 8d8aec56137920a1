import { expect } from 'chai';
import { sampleCertificate, sampleCreditEvent, sampleMilestone } from '../testing/index.js';
import { validate } from '../validate.js';
import { ENVELOPE_SCHEMA, EnvelopeSchema } from './envelope.js';

function milestoneEnvelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const record = sampleMilestone();
  return {
    schema: ENVELOPE_SCHEMA,
    kind: 'milestone',
    region: record.region,
    dept: record.dept,
    source: record.source,
    emittedAt: '2025-03-06T16:30:05+08:00',
    record,
    ...overrides,
  };
}

function rulesOf(value: unknown): string[] {
  const result = validate(EnvelopeSchema, value);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.rule}`);
}

describe('Envelope schema', () => {
  it('accepts a milestone envelope', () => {
    expect(rulesOf(milestoneEnvelope())).to.be.empty;
  });

  it('accepts certificate, revocation and credit envelopes', () => {
    const certificate = sampleCertificate();
    expect(
      rulesOf(
        milestoneEnvelope({
          kind: 'certificate',
          dept: 'HC',
          source: certificate.source,
          record: certificate,
        }),
      ),
    ).to.be.empty;
    const revocation = {
      number: certificate.number,
      region: 'BJ',
      dept: 'HC',
      reason: '撤销',
      revokedAt: '2025-04-01T10:00:00+08:00',
      source: { ...certificate.source, version: 2 },
    };
    expect(
      rulesOf(
        milestoneEnvelope({
          kind: 'certificate-revocation',
          dept: 'HC',
          source: revocation.source,
          record: revocation,
        }),
      ),
    ).to.be.empty;
    const credit = sampleCreditEvent();
    expect(
      rulesOf(
        milestoneEnvelope({
          kind: 'credit',
          region: 'TJ',
          dept: 'CREDIT',
          source: credit.source,
          record: credit,
        }),
      ),
    ).to.be.empty;
  });

  it('validates the record as the kind says', () => {
    expect(rulesOf(milestoneEnvelope({ kind: 'certificate' }))).to.include('record.number invalid_type');
  });

  it('refuses an unknown kind or schema version', () => {
    expect(rulesOf(milestoneEnvelope({ kind: 'invoice' }))).to.deep.equal(['kind invalid_union']);
    expect(rulesOf(milestoneEnvelope({ schema: 'approval-ledger/envelope@2' }))).to.deep.equal([
      'schema invalid_value',
    ]);
  });

  it("requires the envelope's region, department and source to be the record's", () => {
    expect(rulesOf(milestoneEnvelope({ region: 'TJ' }))).to.deep.equal(['region envelope.region']);
    expect(rulesOf(milestoneEnvelope({ dept: 'HC' }))).to.deep.equal(['dept envelope.dept']);
    expect(
      rulesOf(milestoneEnvelope({ source: { system: 'bj-eia', recordId: 'EIA-2025-0042', version: 2 } })),
    ).to.deep.equal(['source envelope.source']);
  });

  it('names the path inside the record', () => {
    const record = sampleMilestone({ decidedAt: '2025-03-06' });
    expect(rulesOf(milestoneEnvelope({ record }))).to.deep.equal(['record.decidedAt timestamp.format']);
  });
});
