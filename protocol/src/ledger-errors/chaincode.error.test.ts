import { LEDGER_ERROR_CODES } from '../ledger-error.js';
import { expect } from 'chai';
import {
  ChaincodeError,
  ChaincodeForbiddenError,
  ChaincodeValidationError,
  chaincodeErrorFrom,
  CreditRefusedError,
  InvalidStateError,
  RecordConflictError,
  RecordNotFoundError,
  SignatureRejectedError,
} from './chaincode.error.js';

describe('chaincode errors', () => {
  const table: [string, new (...args: never[]) => ChaincodeError][] = [
    ['RECORD_CONFLICT', RecordConflictError],
    ['NOT_FOUND', RecordNotFoundError],
    ['FORBIDDEN_REGION', ChaincodeForbiddenError],
    ['WRONG_NAMESPACE', ChaincodeForbiddenError],
    ['FORBIDDEN_DEPARTMENT', ChaincodeForbiddenError],
    ['FORBIDDEN_ROLE', ChaincodeForbiddenError],
    ['ISSUER_NOT_AUTHORISED', ChaincodeForbiddenError],
    ['SIGNER_NOT_AUTHORISED', ChaincodeForbiddenError],
    ['VALIDATION_FAILED', ChaincodeValidationError],
    ['BATCH_TOO_LARGE', ChaincodeValidationError],
    ['BAD_SIGNATURE', SignatureRejectedError],
    ['SIGNATURE_REPLAYED', SignatureRejectedError],
    ['CREDIT_REFUSED', CreditRefusedError],
    ['INVALID_STATE', InvalidStateError],
  ];

  it('has a class for every protocol error code', () => {
    expect(table.map(([code]) => code)).to.have.members(Object.keys(LEDGER_ERROR_CODES));
  });

  for (const [code, type] of table) {
    it(`parses ${code} into ${type.name}, with its code and detail`, () => {
      const error = chaincodeErrorFrom(`${code}: the detail, with: colons`, { txId: 'tx1', status: 500 });
      expect(error).to.be.instanceOf(type);
      expect(error).to.be.instanceOf(ChaincodeError);
      expect(error).to.include({ code, detail: 'the detail, with: colons', txId: 'tx1', status: 500 });
      expect(error.message).to.equal(`${code}: the detail, with: colons`);
    });
  }

  it('finds the code inside the prefixes Fabric adds', () => {
    const error = chaincodeErrorFrom(
      'chaincode response 500, transaction returned with failure: RECORD_CONFLICT: m1 is anchored',
    );
    expect(error).to.be.instanceOf(RecordConflictError);
    expect(error.detail).to.equal('m1 is anchored');
  });

  it('keeps a message without a code as ChaincodeError UNKNOWN', () => {
    const error = chaincodeErrorFrom('TypeError: cannot read properties of undefined');
    expect(error.constructor).to.equal(ChaincodeError);
    expect(error).to.include({ code: 'UNKNOWN', detail: 'TypeError: cannot read properties of undefined' });
  });
});
