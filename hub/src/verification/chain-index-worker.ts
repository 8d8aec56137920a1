/**
 * The chain index's writer thread (started by `chain-index-writer.ts`): one connection to the index and a
 * queue; it reads each block's transactions (`block-changes.ts`) and writes what they change. Requests that
 * arrive while a commit runs are committed next, all in one transaction, in the order they came; the answer
 * names the blocks committed and how many records each indexed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '@approval-ledger/fabric-engine/thread-name';
import { extractTransactions } from './block-changes';
import { ChainIndex } from './chain-index';
import { type ChainIndexWriterData, type WriterRequest, type WriterResponse } from './chain-index-writer';

const port = parentPort;
if (!port) throw new Error('chain-index-worker runs in a worker thread');
nameThisThread('chain-index');

const reply = (response: WriterResponse): void => port.postMessage(response);

let index: ChainIndex | undefined;
try {
  // the main thread's connection opened the file first (creating or converting it) and runs its checkpointer
  index = ChainIndex.open((workerData as ChainIndexWriterData).file, { checkpoints: false });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'startFailed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}

let queue: WriterRequest[] = [];
let scheduled = false;
/**
 * Why a commit failed: every later block fails too, as committing it would move the cursor past the block that
 * failed (the indexer stops, and on its next start goes on from the cursor).
 */
let broken: string | undefined;

function commit(): void {
  scheduled = false;
  const requests = queue;
  queue = [];
  if (!index || requests.length === 0) return;
  const target = index;
  const seqs: number[] = [];
  const records: number[] = [];
  for (const request of requests) if (request.type === 'block') seqs.push(request.seq);
  if (broken !== undefined) {
    if (seqs.length > 0) reply({ type: 'failed', seqs, message: broken });
    return;
  }
  try {
    target.inOneTransaction(() => {
      for (const request of requests) {
        if (request.type === 'block') {
          const changes = extractTransactions(request.transactions);
          target.applyBlock(request.block, changes);
          records.push(changes.anchors.length);
        } else if (request.type === 'names') target.addNames(request.entries);
      }
    });
  } catch (error) {
    // the whole transaction is rolled back: none of its blocks is committed
    broken = error instanceof Error ? error.message : String(error);
    reply({ type: 'failed', seqs, message: broken });
    return;
  }
  if (seqs.length > 0) reply({ type: 'committed', seqs, records });
}

port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    commit();
    index?.close();
    index = undefined;
    port.close();
    return;
  }
  queue.push(request);
  if (!scheduled) {
    scheduled = true;
    setImmediate(commit);
  }
});
