/** One range of a parallel `verify-chain` (see parallel-chain-verifier.ts). */
import './native-hash';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyBlockRange } from './chain-verifier';

const { databaseFile, from, to } = workerData as { databaseFile: string; from: number; to: number };
const port = parentPort;
if (port) {
  const result = verifyBlockRange(databaseFile, from, to, (progress) => port.postMessage({ progress }));
  port.postMessage({ result });
}
