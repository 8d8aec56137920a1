import { expect } from 'chai';
import { parseMilestoneBatchResult } from '../chaincode-events.js';
import { ANCHOR_WRITERS } from './transaction-writers.js';

const batch = ANCHOR_WRITERS['milestones:RecordBatch']!;
const TX = 'a'.repeat(64);
const EARLIER = 'b'.repeat(64);

describe('milestones:RecordBatch results', () => {
  it('reads the compact result: every record of the call but the unchanged ones was written', () => {
    const response = { count: 3, recorded: 2, unchanged: [{ id: 'bj-hc-2', txId: EARLIER }] };
    expect(batch.wrote(response, 'bj-hc-1', TX)).to.equal(true);
    expect(batch.wrote(response, 'bj-hc-2', TX)).to.equal(false);
    expect(batch.wrote({ count: 1, recorded: 0, unchanged: [{ id: 'x', txId: EARLIER }] }, 'y', TX)).to.equal(
      false,
    );
  });

  it('refuses a compact result whose numbers do not add up, or whose entries are not {id, txId}', () => {
    expect(batch.wrote({ count: 3, recorded: 3, unchanged: [{ id: 'z', txId: EARLIER }] }, 'a', TX)).to.equal(
      false,
    );
    expect(batch.wrote({ count: 2, recorded: 1, unchanged: ['z'] }, 'a', TX)).to.equal(false);
    expect(batch.wrote({ count: 1, recorded: 1 }, 'a', TX)).to.equal(false);
    expect(batch.wrote([{ count: 1 }], 'a', TX)).to.equal(false);
  });

  it('still reads the receipts results of chains written before the compact form', () => {
    const response = {
      count: 2,
      receipts: [
        { id: 'bj-hc-1', status: 'RECORDED', txId: TX },
        { id: 'bj-hc-2', status: 'UNCHANGED', txId: EARLIER },
      ],
    };
    expect(batch.wrote(response, 'bj-hc-1', TX)).to.equal(true);
    expect(batch.wrote(response, 'bj-hc-2', TX)).to.equal(false);
    expect(batch.wrote(response, 'bj-hc-1', EARLIER)).to.equal(false);
  });

  it('names the field and the rule of a malformed result', () => {
    expect(parseMilestoneBatchResult(null)).to.equal('the batch result is not an object');
    expect(parseMilestoneBatchResult({ count: -1, recorded: 0, unchanged: [] })).to.match(/^count: /);
    expect(parseMilestoneBatchResult({ count: 1, recorded: 1.5, unchanged: [] })).to.match(/^recorded: /);
    expect(parseMilestoneBatchResult({ count: 1, recorded: 0, unchanged: [{ id: 1 }] })).to.match(
      /^unchanged\[0\]: /,
    );
    expect(parseMilestoneBatchResult({ count: 2, recorded: 0, unchanged: [] })).to.match(/is not count/);
    expect(parseMilestoneBatchResult({ count: 1, recorded: 1, unchanged: [] })).to.deep.equal({
      count: 1,
      recorded: 1,
      unchanged: [],
    });
  });
});
