// The embedded engine's own behaviours, driven through a trivial key-value chaincode (test/support/kv-contract):
// block cutting, validation codes (MVCC, phantom reads, endorsement policies), writes of invalid transactions
// dropped, history, events with checkpoints across restarts, restart continuity, the single-writer lock.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { ChaincodeError, RecordConflictError, TransactionInvalidError } from '../src/ledger/errors';
import { EmbeddedLedger, embeddedLedgerPaths } from '../src/ledger/embedded/embedded-ledger';
import { verifyChain, LedgerLockedError, type BatchOptions } from '@approval-ledger/fabric-engine';
import {
  type CommittedTransaction,
  type LedgerChaincodeEvent,
  type LedgerIdentity,
} from '../src/ledger/ledger-port';
import { KV_CHAINCODE, KV_MODULE } from './support/kv-contract';
import { TempDirs } from './support/temp-dirs';
import { rejection } from './support/rejection';

const BJ: LedgerIdentity = { region: 'BJ', role: 'admin' };
const TJ: LedgerIdentity = { region: 'TJ', role: 'admin' };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('embedded ledger engine', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  after(() => dirs.removeAll());

  async function open(
    dataDir = dirs.make(),
    batch: BatchOptions = { timeoutMs: 20 },
  ): Promise<EmbeddedLedger> {
    return EmbeddedLedger.open({ dataDir, chaincode: KV_CHAINCODE, batch, endorsementWorkers: 0 });
  }

  describe('first start and restart', () => {
    it('creates the organisations and block 0 on first start, and keeps them across restarts', async () => {
      const dataDir = dirs.make();
      const first = await open(dataDir);
      expect(await first.height()).to.equal(1);
      const genesis = await first.getBlock(0);
      expect(genesis.transactions[0]?.type).to.equal('config');
      const put = await first.submit(BJ, 'kv:Put', ['a', '1']);
      await first.close();

      const second = await open(dataDir);
      expect((await second.getBlock(0)).hash).to.equal(genesis.hash);
      const next = await second.submit(BJ, 'kv:Put', ['a', '2']);
      expect(next.blockNumber).to.equal(put.blockNumber + 1);
      expect((await second.getBlock(next.blockNumber)).previousHash).to.equal(
        (await second.getBlock(put.blockNumber)).hash,
      );
      await second.close();
      expect(verifyChain(embeddedLedgerPaths(dataDir).database).ok).to.equal(true);
    });

    it('refuses a second writer on the same data directory', async () => {
      const dataDir = dirs.make();
      const ledger = await open(dataDir);
      try {
        const error = await rejection(open(dataDir));
        expect(error).to.be.instanceOf(LedgerLockedError);
        expect((error as LedgerLockedError).ownerPid).to.equal(process.pid);
      } finally {
        await ledger.close();
      }
    });
  });

  describe('reading blocks', () => {
    // getBlock keeps the last blocks it read (each follower of new blocks reads the same ones): whatever it
    // answers from them must be the stored block, before and after they give way to later ones.
    it('answers every block as stored, read once, again, and after later reads', async () => {
      const dataDir = dirs.make();
      const ledger = await open(dataDir, { timeoutMs: 0, maxTransactions: 1 });
      try {
        const written: CommittedTransaction[] = [];
        for (let i = 0; i < 12; i++) written.push(await ledger.submit(BJ, 'kv:Put', [`k${i}`, `v${i}`]));
        const stored = (n: number): { hash: string; txIds: string[] } => {
          const json = ledger.getBlockJson(n);
          return {
            hash: json.hash,
            txIds: json.data.map((t) => (t.type === 'config' ? t.txId : t.proposal.txId)),
          };
        };
        const read = async (n: number): Promise<{ hash: string; txIds: string[] }> => {
          const block = await ledger.getBlock(n);
          expect(block.number).to.equal(n);
          return { hash: block.hash, txIds: block.transactions.map((t) => t.txId) };
        };
        const height = await ledger.height();
        const order = [...Array(height).keys()];
        for (const n of [...order, ...order.reverse(), ...order])
          expect(await read(n)).to.deep.equal(stored(n));
        for (const { txId, blockNumber } of written) {
          expect((await ledger.getBlock(blockNumber)).transactions.map((t) => t.txId)).to.include(txId);
        }
        expect(await ledger.getBlock(height - 1)).to.equal(await ledger.getBlock(height - 1));
      } finally {
        await ledger.close();
      }
    });
  });

  describe('ordering', () => {
    it('cuts a block when it holds maxTransactions', async () => {
      const ledger = await open(dirs.make(), { timeoutMs: 60_000, maxTransactions: 2 });
      try {
        const results = await Promise.all(
          ['a', 'b', 'c', 'd'].map((k) => ledger.submit(BJ, 'kv:Put', [k, k])),
        );
        const blocks = results.map((r) => r.blockNumber);
        expect(new Set(blocks).size).to.equal(2);
        for (const n of new Set(blocks)) expect((await ledger.getBlock(n)).transactions).to.have.length(2);
      } finally {
        await ledger.close();
      }
    });

    it('cuts a block after timeoutMs when fewer transactions arrived', async () => {
      const ledger = await open(dirs.make(), { timeoutMs: 150 });
      try {
        const started = performance.now();
        const r = await ledger.submit(BJ, 'kv:Put', ['k', 'v']);
        expect(performance.now() - started).to.be.at.least(140);
        expect((await ledger.getBlock(r.blockNumber)).transactions).to.have.length(1);
      } finally {
        await ledger.close();
      }
    });
  });

  describe('validation at commit', () => {
    let ledger: EmbeddedLedger;
    beforeEach(async () => {
      // pairs are cut at once (2 transactions); a lone transaction waits 400 ms
      ledger = await open(dirs.make(), { timeoutMs: 400, maxTransactions: 2 });
    });
    afterEach(() => ledger.close());

    /** Submits `first`, lets it be endorsed and queued, then `second`: both land in one block, in that order. */
    async function inOneBlock(
      first: () => Promise<CommittedTransaction>,
      second: () => Promise<CommittedTransaction>,
    ): Promise<[PromiseSettledResult<CommittedTransaction>, PromiseSettledResult<CommittedTransaction>]> {
      const a = first();
      await sleep(100);
      const b = second();
      const [settledA, settledB] = await Promise.allSettled([a, b]);
      return [settledA, settledB];
    }

    it('invalidates the later of two transactions that read the same key (MVCC_READ_CONFLICT) and drops its writes', async () => {
      const [a, b] = await inOneBlock(
        () => ledger.submit(BJ, 'kv:Increment', ['n'], { conflictRetries: 0 }),
        () => ledger.submit(BJ, 'kv:Increment', ['n'], { conflictRetries: 0 }),
      );
      expect(a.status).to.equal('fulfilled');
      expect(b.status).to.equal('rejected');
      const error = (b as PromiseRejectedResult).reason as TransactionInvalidError;
      expect(error).to.be.instanceOf(TransactionInvalidError);
      expect(error.validationCode).to.equal('MVCC_READ_CONFLICT');
      const block = await ledger.getBlock(error.blockNumber);
      expect(block.transactions.map((t) => t.validationCode)).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
      expect((await ledger.getTransaction(error.txId)).validationCode).to.equal('MVCC_READ_CONFLICT');
      expect(text(await ledger.evaluate(BJ, 'kv:Get', ['n']))).to.equal('1');
      const history = JSON.parse(text(await ledger.evaluate(BJ, 'kv:History', ['n']))) as unknown[];
      expect(history).to.have.length(1);
    });

    it('endorses and submits a conflicting transaction again, up to conflictRetries times', async () => {
      const [a, b] = await inOneBlock(
        () => ledger.submit(BJ, 'kv:Increment', ['n']),
        () => ledger.submit(BJ, 'kv:Increment', ['n']),
      );
      expect(a.status).to.equal('fulfilled');
      expect(b.status).to.equal('fulfilled');
      expect((b as PromiseFulfilledResult<CommittedTransaction>).value.retries).to.equal(1);
      expect(text((b as PromiseFulfilledResult<CommittedTransaction>).value.result)).to.equal('2');
    });

    it('invalidates a range read whose range gained a key before it committed (PHANTOM_READ_CONFLICT)', async () => {
      await ledger.submit(BJ, 'kv:Put', ['r1', 'x']);
      await ledger.submit(BJ, 'kv:Put', ['zz', 'x']);
      const [put, count] = await inOneBlock(
        () => ledger.submit(BJ, 'kv:Put', ['r2', 'x'], { conflictRetries: 0 }),
        () => ledger.submit(BJ, 'kv:CountRange', ['r', 's', 'count'], { conflictRetries: 0 }),
      );
      expect(put.status).to.equal('fulfilled');
      const error = (count as PromiseRejectedResult).reason as TransactionInvalidError;
      expect(error.validationCode).to.equal('PHANTOM_READ_CONFLICT');
      expect(text(await ledger.evaluate(BJ, 'kv:Get', ['count']))).to.equal('');
    });

    it('asks every organisation a key-level policy names, and fails a write without them (ENDORSEMENT_POLICY_FAILURE)', async () => {
      await ledger.submit(BJ, 'kv:PutWithPolicy', ['shared', 'v1', 'BeijingMSP,TianjinMSP']);
      const both = await ledger.submit(BJ, 'kv:Put', ['shared', 'v2']);
      const tx = await ledger.getTransaction(both.txId);
      expect(tx.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
      const error = await rejection(
        ledger.submit(BJ, 'kv:Put', ['shared', 'v3'], { endorsingOrganizations: ['BeijingMSP'] }),
      );
      expect(error).to.be.instanceOf(TransactionInvalidError);
      expect((error as TransactionInvalidError).validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
      expect(text(await ledger.evaluate(TJ, 'kv:Get', ['shared']))).to.equal('v2');
    });

    it("needs the creator's organisation for keys without a key-level policy", async () => {
      const error = await rejection(
        ledger.submit(BJ, 'kv:Put', ['k', 'v'], { endorsingOrganizations: ['TianjinMSP'] }),
      );
      expect((error as TransactionInvalidError).validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
    });
  });

  describe('chaincode refusals, deletes, history', () => {
    let ledger: EmbeddedLedger;
    before(async () => {
      ledger = await open();
    });
    after(() => ledger.close());

    it('turns a coded chaincode error into its typed class and orders nothing', async () => {
      const height = await ledger.height();
      const error = await rejection(ledger.submit(BJ, 'kv:Fail', ['RECORD_CONFLICT: k is already k2']));
      expect(error).to.be.instanceOf(RecordConflictError);
      expect((error as RecordConflictError).code).to.equal('RECORD_CONFLICT');
      expect((error as RecordConflictError).detail).to.equal('k is already k2');
      expect((error as RecordConflictError).txId).to.match(/^[0-9a-f]{64}$/);
      expect(await ledger.height()).to.equal(height);
    });

    it('reports an uncoded chaincode error as ChaincodeError UNKNOWN', async () => {
      const error = await rejection(ledger.submit(BJ, 'kv:Fail', ['something broke']));
      expect(error).to.be.instanceOf(ChaincodeError);
      expect((error as ChaincodeError).code).to.equal('UNKNOWN');
    });

    it('evaluates without ordering anything', async () => {
      const height = await ledger.height();
      await ledger.evaluate(BJ, 'kv:Get', ['nothing']);
      expect(await ledger.height()).to.equal(height);
    });

    it('deletes a key and keeps its history, newest first', async () => {
      const a = await ledger.submit(BJ, 'kv:Put', ['h', '1']);
      const b = await ledger.submit(BJ, 'kv:Put', ['h', '2']);
      const c = await ledger.submit(BJ, 'kv:Delete', ['h']);
      expect(text(await ledger.evaluate(BJ, 'kv:Get', ['h']))).to.equal('');
      const history = JSON.parse(text(await ledger.evaluate(BJ, 'kv:History', ['h']))) as {
        txId: string;
        value: string;
        isDelete: boolean;
      }[];
      expect(history.map((h) => h.txId)).to.deep.equal([c.txId, b.txId, a.txId]);
      expect(history.map((h) => h.isDelete)).to.deep.equal([true, false, false]);
      expect(history.map((h) => h.value)).to.deep.equal(['', '2', '1']);
    });
  });

  describe('events', () => {
    it('delivers chaincode events of committed transactions, and resumes after a restart from the checkpoint', async () => {
      const dataDir = dirs.make();
      let ledger = await open(dataDir);
      const checkpointer = await ledger.checkpointer('test-consumer');
      const stream = ledger.chaincodeEvents({ startBlock: await ledger.height() });
      const first = await ledger.submit(BJ, 'kv:Put', ['e1', '1']);
      const iterator = stream[Symbol.asyncIterator]();
      const event = (await iterator.next()).value as LedgerChaincodeEvent;
      expect(event).to.include({
        txId: first.txId,
        blockNumber: first.blockNumber,
        eventName: 'Put',
        chaincodeName: 'kv',
      });
      expect(JSON.parse(text(event.payload))).to.deep.equal({ key: 'e1', value: '1' });
      expect(first.event?.eventName).to.equal('Put');
      await checkpointer.checkpointChaincodeEvent(event);
      stream.close();
      expect((await iterator.next()).done).to.equal(true);
      const missed = [
        await ledger.submit(BJ, 'kv:Put', ['e2', '2']),
        await ledger.submit(BJ, 'kv:Put', ['e3', '3']),
      ];
      await ledger.close();

      ledger = await open(dataDir);
      const resumed = await ledger.checkpointer('test-consumer');
      expect(resumed.blockNumber).to.equal(first.blockNumber);
      const again = ledger.chaincodeEvents({ checkpoint: resumed });
      const seen: string[] = [];
      for await (const e of again) {
        seen.push(e.txId);
        if (seen.length === 2) break;
      }
      expect(seen).to.deep.equal(missed.map((m) => m.txId));
      await ledger.close();
    });

    it('delivers blocks from a given block, then live ones as they commit', async () => {
      const ledger = await open();
      try {
        const before = await ledger.submit(BJ, 'kv:Put', ['b1', '1']);
        const stream = ledger.blockEvents({ startBlock: before.blockNumber });
        const iterator = stream[Symbol.asyncIterator]();
        expect((await iterator.next()).value).to.include({ number: before.blockNumber });
        const pending = iterator.next();
        const live = await ledger.submit(BJ, 'kv:Put', ['b2', '2']);
        const block = (await pending).value as { number: number; transactions: { txId: string }[] };
        expect(block.number).to.equal(live.blockNumber);
        expect(block.transactions.map((t) => t.txId)).to.deep.equal([live.txId]);
        stream.close();
      } finally {
        await ledger.close();
      }
    });
  });

  describe('endorsement in worker threads', () => {
    let ledger: EmbeddedLedger;
    let dataDir: string;
    before(async () => {
      dataDir = dirs.make();
      ledger = await EmbeddedLedger.open({
        dataDir,
        chaincode: KV_CHAINCODE,
        batch: { timeoutMs: 20 },
        endorsementWorkers: 2,
      });
    });
    after(() => ledger.close());

    it('simulates and endorses in the workers, with the same results and typed refusals', async () => {
      const put = await ledger.submit(BJ, 'kv:Put', ['w', '1']);
      expect(put.event?.eventName).to.equal('Put');
      expect(text(await ledger.evaluate(TJ, 'kv:Get', ['w']))).to.equal('1');
      // five concurrent increments of one key: when all five land in one block, one wins per round and the
      // last needs four retries (the default bound is three)
      const counts = await Promise.all(
        [1, 2, 3, 4, 5].map(() => ledger.submit(BJ, 'kv:Increment', ['wn'], { conflictRetries: 4 })),
      );
      expect(counts.map((c) => Number(text(c.result))).sort()).to.deep.equal([1, 2, 3, 4, 5]);
      const error = await rejection(ledger.submit(BJ, 'kv:Fail', ['NOT_FOUND: nothing here']));
      expect(error).to.be.instanceOf(ChaincodeError);
      expect(error).to.include({ code: 'NOT_FOUND', detail: 'nothing here' });
      expect(verifyChain(embeddedLedgerPaths(dataDir).database).ok).to.equal(true);
    });

    it('asks the organisations of key-level policies from the workers too', async () => {
      await ledger.submit(BJ, 'kv:PutWithPolicy', ['wp', 'v1', 'BeijingMSP,HebeiMSP']);
      const both = await ledger.submit(BJ, 'kv:Put', ['wp', 'v2']);
      const tx = await ledger.getTransaction(both.txId);
      expect(tx.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP', 'HebeiMSP']);
    });

    it('fails to open, releasing the ledger, when the workers cannot load the chaincode', async () => {
      const dir = dirs.make();
      const broken = { ...KV_CHAINCODE, source: { module: KV_MODULE, exportName: 'NO_SUCH_EXPORT' } };
      const error = await rejection(
        EmbeddedLedger.open({ dataDir: dir, chaincode: broken, endorsementWorkers: 1 }),
      );
      expect((error as Error).message).to.match(/NO_SUCH_EXPORT/);
      await (await open(dir)).close();
    });
  });
});
