/** One range of a parallel `verify-chain` (see parallel-chain-verifier.ts). */
import './native-hash';
import { parentPort, workerData } from 'node:worker_threads';
import { type CryptoSuiteName } from '@approval-ledger/protocol';
import { verifyBlockRange } from './chain-verifier';
import { nameThisThread } from './thread-name';

nameThisThread('verify-chain');

const { databaseFile, from, to, accepted } = workerData as {
  databaseFile: string;
  from: number;
  to: number;
  accepted?: readonly CryptoSuiteName[];
};
const port = parentPort;
if (port) {
  const result = verifyBlockRange(
    databaseFile,
    from,
    to,
    (progress) => port.postMessage({ progress }),
    accepted ? { accepted } : {},
  );
  port.postMessage({ result });
}
