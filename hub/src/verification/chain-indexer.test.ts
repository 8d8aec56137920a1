import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import pino from 'pino';
import { milestoneArg, milestonesTx } from '../../test/support/chain-index-fixtures';
import { type LedgerBlock, type LedgerPort, type LedgerTransaction } from '../ledger';
import { eventStream } from '../ledger/event-stream';
import { ChainIndex, type IndexedBlock } from './chain-index';
import { type BlockWriter, ChainIndexer, MAX_BACKLOG_BYTES } from './chain-indexer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

/** Block n: one valid transaction recording milestone M-n, its argument padded to about `argChars` characters. */
function block(n: number, argChars: number): LedgerBlock {
  const tx = milestonesTx([milestoneArg(`M-${n}`, { padding: 'x'.repeat(argChars) })], n);
  const ledgerTx: LedgerTransaction = {
    txId: tx.txId,
    blockNumber: n,
    txIndex: 0,
    validationCode: 'VALID',
    timestamp: tx.timestamp,
    type: 'endorser',
    creator: { mspId: 'BeijingMSP', certificate: '' },
    chaincodeName: 'approval',
    function: 'milestones:RecordBatch',
    args: [tx.arg as string],
    endorsements: [],
    event: tx.event,
    envelope: new Uint8Array(),
  };
  return {
    number: n,
    hash: String(n).padStart(64, '0'),
    previousHash: String(n - 1).padStart(64, '0'),
    dataHash: 'd'.repeat(64),
    dataHashScheme: 'rfc6962',
    signatures: [],
    transactions: [ledgerTx],
  };
}

/** A ledger of `count` blocks made as they are read; each one read is remembered weakly in `read`. */
function ledgerOf(
  count: number,
  argChars: number,
  read: WeakRef<LedgerBlock>[],
): Pick<LedgerPort, 'blockEvents'> {
  return {
    blockEvents: (options = {}) =>
      eventStream(async function* (closed, isClosed) {
        for (let n = options.startBlock ?? 0; n < count && !isClosed(); n++) yield remembered(n);
        await closed;
      }),
  };

  function remembered(n: number): LedgerBlock {
    const b = block(n, argChars);
    read.push(new WeakRef(b));
    return b;
  }
}

/** A writer whose commits finish when the test says so. */
class HeldWriter implements BlockWriter {
  readonly handedOver: number[] = [];
  readonly #commits: (() => void)[] = [];

  apply(block: IndexedBlock): Promise<number> {
    this.handedOver.push(block.number);
    return new Promise((resolve) => this.#commits.push(() => resolve(1)));
  }

  /** Finishes the oldest `n` commits not yet finished. */
  commit(n = Infinity): void {
    for (const finish of this.#commits.splice(0, n)) finish();
  }
}

/** Lets the indexer run until it waits (for the writer or for the ledger). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

// What the hub's indexer holds while the writer thread commits: blocks are extracted on the main thread and
// handed over; until a block is committed the indexer keeps only its summary. Indexing 1,000,000 records at
// start, a hub held 64 whole blocks (600 MB of transaction texts) in the callbacks waiting for their commits.
describe('ChainIndexer with a writer: what waits for the writer', function () {
  this.timeout(60_000);
  let dir: string;
  let index: ChainIndex;
  let indexer: ChainIndexer | undefined;
  let writer: HeldWriter;
  const logger = pino({ level: 'silent' });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-indexer-'));
    index = ChainIndex.open(join(dir, 'index.sqlite'));
    writer = new HeldWriter();
  });

  afterEach(async () => {
    // stopping waits for what was handed over
    const stopped = indexer?.stop();
    for (let i = 0; i < 10; i++) {
      writer.commit();
      await settle();
    }
    await stopped;
    indexer = undefined;
    index.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no block it handed over while the writer commits it (the block it is on aside)', async () => {
    const read: WeakRef<LedgerBlock>[] = [];
    indexer = new ChainIndexer(ledgerOf(8, MiB, read), index, logger, undefined, undefined, writer);
    indexer.start();
    await settle();
    expect(writer.handedOver).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    gc();
    await settle();
    gc();
    // the last block read may stay in the suspended loop's frame while it waits for the next one
    const alive = read.filter((ref) => ref.deref() !== undefined).map((ref) => ref.deref()?.number);
    expect(alive.filter((n) => n !== 7)).to.deep.equal([]);
    expect(indexer.indexedBlock).to.equal(-1);
    writer.commit(8);
    await settle();
    expect(indexer.indexedBlock).to.equal(7);
  });

  it(`waits for a commit once the blocks handed over carry ${MAX_BACKLOG_BYTES / MiB} MiB`, async () => {
    indexer = new ChainIndexer(ledgerOf(20, 4 * MiB, []), index, logger, undefined, undefined, writer);
    indexer.start();
    await settle();
    // each block carries a little over 4 MiB: the 8th passes 32 MiB
    expect(writer.handedOver).to.have.length(8);
    writer.commit(1);
    await settle();
    expect(indexer.indexedBlock).to.equal(0);
    expect(writer.handedOver).to.have.length(9);
    writer.commit(8);
    await settle();
    expect(writer.handedOver).to.have.length(17);
    writer.commit(20);
    await settle();
    writer.commit(20);
    await settle();
    expect(writer.handedOver).to.deep.equal([...Array(20).keys()]);
    expect(indexer.indexedBlock).to.equal(19);
  });

  it('waits for a commit once 64 blocks are handed over, however small', async () => {
    indexer = new ChainIndexer(ledgerOf(100, 10, []), index, logger, undefined, undefined, writer);
    indexer.start();
    await settle();
    expect(writer.handedOver).to.have.length(64);
    writer.commit(10);
    await settle();
    expect(writer.handedOver).to.have.length(74);
    expect(indexer.indexedBlock).to.equal(9);
  });
});
