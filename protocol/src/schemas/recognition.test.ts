import { expect } from 'chai';
import { sampleRecognitionRequest } from '../testing/index.js';
import { validate } from '../validate.js';
import {
  RecognitionDecisionSchema,
  RecognitionRequestSchema,
  RecognitionStatusSchema,
} from './recognition.js';

const decision = {
  recognitionId: 'REC-TJ-2025-0001',
  outcome: 'RECOGNISED',
  decidedAt: '2025-03-12T10:00:00+08:00',
  signer: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  signature: `0x${'ab'.repeat(65)}`,
};

describe('recognition schemas', () => {
  it('accepts a request from one region to another', () => {
    expect(validate(RecognitionRequestSchema, sampleRecognitionRequest({ note: '跨区域互认' })).ok).to.be
      .true;
  });

  it('refuses a request whose target is its source region', () => {
    const result = validate(RecognitionRequestSchema, sampleRecognitionRequest({ targetRegion: 'BJ' }));
    expect(result.ok ? undefined : result.issues[0]).to.include({
      path: 'targetRegion',
      rule: 'recognition.sameRegion',
    });
  });

  it('accepts a signed decision', () => {
    expect(validate(RecognitionDecisionSchema, decision).ok).to.be.true;
  });

  it('requires a reason for a rejection', () => {
    const result = validate(RecognitionDecisionSchema, { ...decision, outcome: 'REJECTED' });
    expect(result.ok ? undefined : result.issues[0]).to.include({
      path: 'reason',
      rule: 'recognition.reasonRequired',
    });
    expect(validate(RecognitionDecisionSchema, { ...decision, outcome: 'REJECTED', reason: '证照已过期' }).ok)
      .to.be.true;
  });

  it('refuses malformed signer addresses and signatures', () => {
    const badChecksum = { ...decision, signer: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD' };
    expect(validate(RecognitionDecisionSchema, badChecksum).ok).to.be.false;
    expect(validate(RecognitionDecisionSchema, { ...decision, signer: decision.signer.toLowerCase() }).ok).to
      .be.true;
    const result = validate(RecognitionDecisionSchema, { ...decision, signature: '0x1234' });
    expect(result.ok ? undefined : result.issues[0]).to.include({
      path: 'signature',
      rule: 'signature.format',
    });
  });

  it('knows the four recognition statuses', () => {
    expect(RecognitionStatusSchema.options).to.deep.equal([
      'PENDING',
      'RECOGNISED',
      'REJECTED',
      'SOURCE_REVOKED',
    ]);
  });
});
