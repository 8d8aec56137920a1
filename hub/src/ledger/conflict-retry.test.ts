import { expect } from 'chai';
import { withConflictRetries } from './conflict-retry';
import { TransactionInvalidError } from './errors';
import { type ValidationCode } from '@approval-ledger/protocol';

const ok = { txId: 't', blockNumber: 3, validationCode: 'VALID' as const, result: new Uint8Array() };
const invalid = (code: ValidationCode): TransactionInvalidError =>
  new TransactionInvalidError({ txId: 'x', blockNumber: 2, validationCode: code });

describe('resubmission on read conflicts', () => {
  it('tries again after MVCC and phantom conflicts, and reports how many times', async () => {
    const outcomes = [invalid('MVCC_READ_CONFLICT'), invalid('PHANTOM_READ_CONFLICT')];
    const result = await withConflictRetries(() => {
      const next = outcomes.shift();
      return next ? Promise.reject(next) : Promise.resolve(ok);
    }, 3);
    expect(result.retries).to.equal(2);
  });

  it('gives up after the bound, reporting the conflict with the retries made', async () => {
    let attempts = 0;
    try {
      await withConflictRetries(() => {
        attempts++;
        return Promise.reject(invalid('MVCC_READ_CONFLICT'));
      }, 2);
      expect.fail('should have failed');
    } catch (error) {
      expect(error).to.be.instanceOf(TransactionInvalidError);
      expect((error as TransactionInvalidError).retries).to.equal(2);
    }
    expect(attempts).to.equal(3);
  });

  it('tries again after ENDORSEMENT_POLICY_FAILURE: Fabric gives it to a same-block write after a policy change', async () => {
    const outcomes = [invalid('ENDORSEMENT_POLICY_FAILURE')];
    const result = await withConflictRetries(() => {
      const next = outcomes.shift();
      return next ? Promise.reject(next) : Promise.resolve(ok);
    }, 3);
    expect(result.retries).to.equal(1);
  });

  it('ends a real endorsement policy failure at the bound, reported with its code', async () => {
    let attempts = 0;
    const error = await withConflictRetries(() => {
      attempts++;
      return Promise.reject(invalid('ENDORSEMENT_POLICY_FAILURE'));
    }, 3).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TransactionInvalidError);
    expect(error).to.include({ validationCode: 'ENDORSEMENT_POLICY_FAILURE', retries: 3 });
    expect(attempts).to.equal(4);
  });

  it('never retries other invalidations or errors', async () => {
    let attempts = 0;
    const failing = (error: Error) => () => {
      attempts++;
      return Promise.reject(error);
    };
    for (const error of [invalid('BAD_CREATOR_SIGNATURE'), invalid('DUPLICATE_TXID'), new Error('boom')]) {
      attempts = 0;
      try {
        await withConflictRetries(failing(error), 5);
      } catch (caught) {
        expect(caught).to.equal(error);
      }
      expect(attempts).to.equal(1);
    }
  });
});
