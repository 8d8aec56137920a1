import { expect } from 'chai';
import { LEDGER_ERROR_CODES, LedgerError, ledgerErrorMessage, parseLedgerError } from './ledger-error.js';

describe('ledger error codes', () => {
  it('lists the codes shared with the chaincode', () => {
    expect(Object.keys(LEDGER_ERROR_CODES)).to.deep.equal([
      'VALIDATION_FAILED',
      'RECORD_CONFLICT',
      'NOT_FOUND',
      'FORBIDDEN_REGION',
      'WRONG_NAMESPACE',
      'FORBIDDEN_DEPARTMENT',
      'FORBIDDEN_ROLE',
      'ISSUER_NOT_AUTHORISED',
      'CREDIT_REFUSED',
      'BAD_SIGNATURE',
      'SIGNATURE_REPLAYED',
      'SIGNER_NOT_AUTHORISED',
      'INVALID_STATE',
      'BATCH_TOO_LARGE',
    ]);
    Object.entries(LEDGER_ERROR_CODES).forEach(([k, v]) => expect(k).to.equal(v));
  });

  it('writes CODE: detail', () => {
    expect(ledgerErrorMessage('NOT_FOUND', 'certificate 123')).to.equal('NOT_FOUND: certificate 123');
  });

  const wrapped: [string, string, string][] = [
    [
      'RECORD_CONFLICT: milestone m1 already anchored with commitment ab',
      'RECORD_CONFLICT',
      'milestone m1 already anchored with commitment ab',
    ],
    [
      'chaincode response 500, FORBIDDEN_REGION: TianjinMSP cannot write BJ',
      'FORBIDDEN_REGION',
      'TianjinMSP cannot write BJ',
    ],
    [
      '10 ABORTED: failed to endorse transaction: chaincode response 500, transaction returned with failure: BAD_SIGNATURE: recovered 0xabc',
      'BAD_SIGNATURE',
      'recovered 0xabc',
    ],
    ['Error: BATCH_TOO_LARGE:501 records', 'BATCH_TOO_LARGE', '501 records'],
  ];
  wrapped.forEach(([message, code, detail]) => {
    it(`finds ${code} in ${JSON.stringify(message.slice(0, 40))}…`, () => {
      expect(parseLedgerError(message)).to.deep.equal({ code, detail });
    });
  });

  it('finds nothing in messages without a code', () => {
    expect(parseLedgerError('connection refused')).to.be.undefined;
    expect(parseLedgerError('XNOT_FOUND: y')).to.be.undefined;
    expect(parseLedgerError('NOT_FOUND without colon')).to.be.undefined;
  });

  it('carries code and detail in a LedgerError, and recovers one from a wrapped error', () => {
    const error = new LedgerError('INVALID_STATE', 'recognition r1 is already decided');
    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ code: 'INVALID_STATE', detail: 'recognition r1 is already decided' });
    expect(error.message).to.equal('INVALID_STATE: recognition r1 is already decided');
    const cause = new Error('chaincode response 500, NOT_FOUND: certificate 9');
    const recovered = LedgerError.from(cause);
    expect(recovered).to.include({ code: 'NOT_FOUND', detail: 'certificate 9', cause });
    expect(LedgerError.from('timeout')).to.be.undefined;
  });
});
