/**
 * `npm run bench -- tlog`: the transparency log at a million blocks. Builds a one-million-leaf tree on disk
 * (file-tree.ts), then measures checkpoints per second (append a block, fsync, root, sign the C2SP note),
 * inclusion and consistency proof generation at that size, and the milliseconds per witness cosignature
 * over HTTP (the log's consistency proof, the witness's checks, its fsync'd state, the cosignature back).
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatCheckpoint,
  inclusionPath,
  consistencyProof,
  sha256,
  signNote,
} from '@approval-ledger/protocol';
import { generateEd25519Key, registerNativeEd25519 } from './ed25519-key';
import { FileTree } from './file-tree';
import { logIdentityOf, witnessIdentity } from './tlog-identity';
import { requestCosignature } from './witness-client';
import { Witness } from '../witness/witness';
import { listenWitness } from '../witness/witness-server';

const LEAVES = Number(process.env.TLOG_BENCH_LEAVES ?? 1_000_000);
const context = { leaves: LEAVES, cores: availableParallelism() };

function emit(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const rounded = Math.round(value * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ bench: 'tlog', metric, value: rounded, unit, ...context, ...extra })}\n`,
  );
}

function leaf(i: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, i);
  return sha256(bytes);
}

async function main(): Promise<void> {
  registerNativeEd25519();
  const dir = mkdtempSync(join(tmpdir(), 'tlog-bench-'));
  try {
    const tree = FileTree.open(join(dir, 'tree'));
    let started = performance.now();
    for (let i = 0; i < LEAVES; i += 10_000) {
      tree.append(Array.from({ length: Math.min(10_000, LEAVES - i) }, (_, k) => leaf(i + k)));
    }
    tree.sync();
    emit('tlog.append.leaves_per_s', LEAVES / ((performance.now() - started) / 1000), 'leaves/s');

    const log = logIdentityOf(generateEd25519Key(), 'BJ');
    const checkpoints = 200;
    started = performance.now();
    for (let i = 0; i < checkpoints; i++) {
      tree.append([leaf(LEAVES + i)]);
      tree.sync();
      const size = tree.size;
      signNote(formatCheckpoint({ origin: log.name, size, root: tree.rangeHash(0, size) }), [log.signer]);
    }
    emit('tlog.checkpoint.per_s', checkpoints / ((performance.now() - started) / 1000), 'checkpoints/s', {
      note: 'append one block, fsync, root, sign',
    });

    const size = tree.size;
    const proofs = 2000;
    started = performance.now();
    for (let i = 0; i < proofs; i++) inclusionPath(tree, Math.floor((i * 7919 * 104729) % size), size);
    emit('tlog.inclusion_proof.us', ((performance.now() - started) * 1000) / proofs, 'us/proof');
    started = performance.now();
    for (let i = 0; i < proofs; i++)
      consistencyProof(tree, 1 + Math.floor((i * 7919 * 104729) % (size - 1)), size);
    emit('tlog.consistency_proof.us', ((performance.now() - started) * 1000) / proofs, 'us/proof');

    const witnessDir = join(dir, 'witness');
    const witness = witnessIdentity(witnessDir, 'TJ');
    const server = await listenWitness(
      new Witness(witnessDir, witness.signer, [log.verifier]),
      witness.verifier.vkey,
    );
    const endpoint = { region: 'TJ' as const, url: server.url, key: witness.verifier };
    const cosignatures = 200;
    let old = 0;
    started = performance.now();
    for (let i = 0; i < cosignatures; i++) {
      tree.append([leaf(LEAVES + checkpoints + i)]);
      const n = tree.size;
      const text = formatCheckpoint({ origin: log.name, size: n, root: tree.rangeHash(0, n) });
      const note = signNote(text, [log.signer]);
      old = (await requestCosignature(endpoint, note, text, n, tree, old)).size;
    }
    emit('tlog.cosignature.ms', (performance.now() - started) / cosignatures, 'ms/cosignature', {
      note: 'sign, HTTP add-checkpoint with a consistency proof, witness verifies and fsyncs its state',
    });
    await server.close();
    tree.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
