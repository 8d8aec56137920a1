import { peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import {
  isReadConflict,
  isResubmittable,
  isValidationCode,
  VALIDATION_CODES,
  validationCodeName,
} from './validation-code.js';

describe('validation codes', () => {
  it("numbers every code as Fabric's TxValidationCode does", () => {
    const fabric = peer.TxValidationCode as unknown as Record<string, number>;
    for (const [name, code] of Object.entries(VALIDATION_CODES)) expect(fabric[name], name).to.equal(code);
    expect(Object.keys(VALIDATION_CODES)).to.have.members(Object.keys(fabric));
  });

  it('names numbers, and unknown numbers as INVALID_OTHER_REASON', () => {
    expect(validationCodeName(11)).to.equal('MVCC_READ_CONFLICT');
    expect(validationCodeName(0)).to.equal('VALID');
    expect(validationCodeName(77)).to.equal('INVALID_OTHER_REASON');
  });

  it('tells read conflicts (worth endorsing again) from other outcomes', () => {
    expect(isReadConflict('MVCC_READ_CONFLICT')).to.equal(true);
    expect(isReadConflict('PHANTOM_READ_CONFLICT')).to.equal(true);
    expect(isReadConflict('ENDORSEMENT_POLICY_FAILURE')).to.equal(false);
    expect(isResubmittable('ENDORSEMENT_POLICY_FAILURE')).to.equal(true);
    expect(isResubmittable('MVCC_READ_CONFLICT')).to.equal(true);
    expect(isResubmittable('BAD_CREATOR_SIGNATURE')).to.equal(false);
    expect(isValidationCode('VALID')).to.equal(true);
    expect(isValidationCode('toString')).to.equal(false);
  });
});
