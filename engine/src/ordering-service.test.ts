import { expect } from 'chai';
import { LedgerClosedError } from '@approval-ledger/protocol';
import { type TransactionOutcome } from './committer';
import { type EndorsedTransaction } from './endorser';
import { OrderingService } from './ordering-service';

const tx = (id: string, bytes = 10): EndorsedTransaction =>
  ({ txId: id, envelopeText: 'x'.repeat(bytes) }) as EndorsedTransaction;

function recorder(): {
  batches: string[][];
  deliver: (b: readonly EndorsedTransaction[]) => Promise<TransactionOutcome[]>;
} {
  const batches: string[][] = [];
  return {
    batches,
    deliver: (batch) => {
      batches.push(batch.map((t) => t.txId));
      const blockNumber = batches.length;
      return Promise.resolve(
        batch.map((t, txIndex) => ({ txId: t.txId, blockNumber, txIndex, validationCode: 'VALID' as const })),
      );
    },
  };
}

describe('ordering service', () => {
  it('cuts a batch as soon as it holds maxTransactions', async () => {
    const r = recorder();
    const ordering = new OrderingService(r.deliver, { maxTransactions: 2, timeoutMs: 60_000 });
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((id) => ordering.order(tx(id))));
    expect(r.batches).to.deep.equal([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(outcomes.map((o) => [o.blockNumber, o.txIndex])).to.deep.equal([
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ]);
    await ordering.close();
  });

  it('cuts what it has after timeoutMs', async () => {
    const r = recorder();
    const ordering = new OrderingService(r.deliver, { maxTransactions: 100, timeoutMs: 30 });
    const started = performance.now();
    await ordering.order(tx('a'));
    expect(performance.now() - started).to.be.at.least(25);
    expect(r.batches).to.deep.equal([['a']]);
    await ordering.close();
  });

  it('keeps a batch under maxBytes by cutting before the transaction that would exceed it', async () => {
    const r = recorder();
    const ordering = new OrderingService(r.deliver, { maxTransactions: 100, timeoutMs: 20, maxBytes: 100 });
    await Promise.all([
      ordering.order(tx('a', 60)),
      ordering.order(tx('b', 60)),
      ordering.order(tx('c', 30)),
    ]);
    expect(r.batches).to.deep.equal([['a'], ['b', 'c']]);
    await ordering.close();
  });

  it('commits what is queued on close, then refuses more work', async () => {
    const r = recorder();
    const ordering = new OrderingService(r.deliver, { timeoutMs: 60_000 });
    const pending = ordering.order(tx('a'));
    await ordering.close();
    expect((await pending).blockNumber).to.equal(1);
    try {
      await ordering.order(tx('b'));
      expect.fail('should refuse');
    } catch (error) {
      expect(error).to.be.instanceOf(LedgerClosedError);
      expect((error as LedgerClosedError).txId).to.equal('b');
    }
  });

  it('fails every submitter of a batch whose commit failed, and goes on with the next', async () => {
    let calls = 0;
    const ordering = new OrderingService(
      (batch) => (++calls === 1 ? Promise.reject(new Error('disk full')) : recorder().deliver(batch)),
      { maxTransactions: 2, timeoutMs: 60_000 },
    );
    const first = await Promise.allSettled([ordering.order(tx('a')), ordering.order(tx('b'))]);
    expect(first.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
    const second = await Promise.all([ordering.order(tx('c')), ordering.order(tx('d'))]);
    expect(second).to.have.length(2);
    await ordering.close();
  });

  describe('with cutWhenIdle (group commit)', () => {
    /** A committer whose blocks are written when the test says so. */
    function slowCommitter(): {
      batches: string[][];
      release: () => void;
      deliver: (b: readonly EndorsedTransaction[]) => Promise<TransactionOutcome[]>;
    } {
      const r = recorder();
      const waiting: (() => void)[] = [];
      return {
        batches: r.batches,
        release: () => waiting.shift()?.(),
        deliver: async (batch) => {
          const outcomes = await r.deliver(batch);
          await new Promise<void>((resolve) => waiting.push(resolve));
          return outcomes;
        },
      };
    }
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

    it('cuts at once when the committer is idle, without waiting for timeoutMs', async () => {
      const r = recorder();
      const ordering = new OrderingService(r.deliver, { timeoutMs: 60_000, cutWhenIdle: true });
      const started = performance.now();
      const outcome = await ordering.order(tx('a'));
      expect(performance.now() - started).to.be.below(30_000);
      expect(outcome.blockNumber).to.equal(1);
      expect(r.batches).to.deep.equal([['a']]);
      await ordering.close();
    });

    it('gathers what arrives while a block commits into the next block, in arrival order', async () => {
      const c = slowCommitter();
      const ordering = new OrderingService(c.deliver, { timeoutMs: 60_000, cutWhenIdle: true });
      const a = ordering.order(tx('a'));
      await tick();
      expect(c.batches).to.deep.equal([['a']]);
      const rest = ['b', 'c', 'd'].map((id) => ordering.order(tx(id)));
      await tick();
      expect(c.batches, 'nothing is cut while block 1 commits').to.deep.equal([['a']]);
      c.release();
      await a;
      await tick();
      expect(c.batches).to.deep.equal([['a'], ['b', 'c', 'd']]);
      c.release();
      expect((await Promise.all(rest)).map((o) => [o.blockNumber, o.txIndex])).to.deep.equal([
        [2, 0],
        [2, 1],
        [2, 2],
      ]);
      await ordering.close();
    });

    it('still cuts at maxTransactions', async () => {
      const r = recorder();
      const ordering = new OrderingService(r.deliver, { maxTransactions: 2, cutWhenIdle: true });
      await Promise.all(['a', 'b', 'c'].map((id) => ordering.order(tx(id))));
      expect(r.batches).to.deep.equal([['a', 'b'], ['c']]);
      await ordering.close();
    });
  });
});
