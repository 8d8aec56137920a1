import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkpointPath, FileCheckpointer, InMemoryCheckpointer } from './file-checkpointer';

describe('checkpointers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts empty, and resumes after a checkpointed block at the next block', async () => {
    const c = new InMemoryCheckpointer();
    expect(c.blockNumber).to.equal(undefined);
    await c.checkpointBlock(7);
    expect(c.blockNumber).to.equal(8);
    expect(c.transactionId).to.equal(undefined);
  });

  it('resumes inside the block of a checkpointed transaction (Fabric Gateway semantics)', async () => {
    const c = new InMemoryCheckpointer();
    await c.checkpointChaincodeEvent({
      blockNumber: 5,
      txId: 'tx9',
      chaincodeName: 'cc',
      eventName: 'E',
      payload: new Uint8Array(),
    });
    expect([c.blockNumber, c.transactionId]).to.deep.equal([5, 'tx9']);
  });

  it('keeps the checkpoint in a file that a new process reads back', async () => {
    const path = join(dir, 'deep', 'consumer.json');
    const first = await FileCheckpointer.open(path);
    await first.checkpointTransaction(12, 'abc');
    expect(JSON.parse(readFileSync(path, 'utf8'))).to.deep.equal({ blockNumber: 12, transactionId: 'abc' });
    const second = await FileCheckpointer.open(path);
    expect([second.blockNumber, second.transactionId]).to.deep.equal([12, 'abc']);
  });

  it('names checkpoint files per engine inside the data directory, refusing odd names', () => {
    expect(checkpointPath('/data', 'embedded', 'indexer')).to.equal(
      join('/data', 'ledger', 'checkpoints', 'embedded-indexer.json'),
    );
    expect(() => checkpointPath('/data', 'fabric', '../escape')).to.throw(RangeError);
  });
});
