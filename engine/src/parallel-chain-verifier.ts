/**
 * `verify-chain` on several cores: the chain is cut into contiguous ranges, each verified by a worker thread
 * on its own read-only connection (`chain-verify-worker.ts`); the verdicts are joined in block order. Worth it
 * from a few thousand blocks (a worker takes a few hundred milliseconds to start).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type ChainVerification,
  type ChainVerifyOptions,
  chainResult,
  type Progress,
  type RangeVerification,
  verifyChain,
} from './chain-verifier';
import { LedgerDatabase } from './ledger-database';

export interface ParallelOptions extends ChainVerifyOptions {
  /** Worker threads; 0 or 1 verifies on the calling thread. */
  readonly workers: number;
  /** Below this many blocks, verify on the calling thread. Default 2,000. */
  readonly minBlocks?: number;
}

type WorkerMessage = { readonly progress: number } | { readonly result: RangeVerification };

function verifyRangeInWorker(
  databaseFile: string,
  from: number,
  to: number,
  options: ChainVerifyOptions,
  onProgress: (done: number) => void,
): Promise<RangeVerification> {
  const typescript = __filename.endsWith('.ts');
  const worker = new Worker(
    join(__dirname, typescript ? 'chain-verify-worker.ts' : 'chain-verify-worker.js'),
    {
      workerData: { databaseFile, from, to, accepted: options.accepted },
      ...(typescript
        ? {
            execArgv: ['--require', 'ts-node/register'],
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
          }
        : {}),
    },
  );
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if ('progress' in message) onProgress(message.progress);
      else resolve(message.result);
    });
    worker.once('error', reject);
    // a worker that posted its result has exited with 0 and the promise is settled; otherwise this reports it
    worker.once('exit', (code) =>
      reject(new Error(`a verify-chain worker exited (code ${code}) without a result`)),
    );
  });
}

export async function verifyChainInParallel(
  databaseFile: string,
  options: ParallelOptions,
  onProgress?: Progress,
): Promise<ChainVerification> {
  const started = performance.now();
  const db = LedgerDatabase.open(databaseFile, { readonly: true });
  const height = db.height();
  db.close();
  const workers = Math.min(options.workers, Math.ceil(height / 1000));
  if (workers <= 1 || height < (options.minBlocks ?? 2000))
    return verifyChain(databaseFile, onProgress, options);
  const size = Math.ceil(height / workers);
  const done = new Array<number>(workers).fill(0);
  const ranges = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const from = i * size;
      const to = Math.min(height, from + size) - 1;
      return verifyRangeInWorker(databaseFile, from, to, options, (next) => {
        done[i] = next - from;
        onProgress?.(
          done.reduce((a, b) => a + b, 0),
          height,
        );
      });
    }),
  );
  return chainResult(height, ranges, started);
}
