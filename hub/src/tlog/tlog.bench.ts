/**
 * `npm run bench -- tlog`: the transparency log at a million blocks, in each crypto suite side by side. For each
 * suite of TLOG_BENCH_SUITES (default `intl,gm`: SHA-256 trees and Ed25519 keys, SM3 trees and SM2 keys) it builds
 * a TLOG_BENCH_LEAVES-leaf tree on disk (file-tree.ts), then measures checkpoints (append a block, fsync, root,
 * sign the C2SP note), inclusion and consistency proof generation at that size, proof verification (an inclusion
 * and a consistency proof checked, as a verifier does), checking a cosigned checkpoint (log signature and one
 * witness cosignature), and the milliseconds per witness cosignature over HTTP (the log's consistency proof, the
 * witness's checks, its fsync'd state, the cosignature back). Each metric is `tlog.<suite>.…` with a `suite` field
 * and, besides its rate, the CPU µs per operation of this process (steadier than rates on a shared machine).
 * TLOG_BENCH_ROUNDS=n alternates the suites n times; `tlog.gm_over_intl.*` lines give the ratios of the medians.
 */
import '@approval-ledger/fabric-engine/native-hash';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  consistencyProof,
  formatCheckpoint,
  formatSignatureLine,
  inclusionPath,
  signNote,
  suiteExtensions,
  SUITES,
  utf8Encode,
  verifyConsistencyProof,
  verifyCosignedCheckpoint,
  verifyInclusionProof,
} from '@approval-ledger/protocol';
import { generateEd25519Key, type NoteKey, registerNativeEd25519, sm2KeyOf } from './ed25519-key';
import { FileTree } from './file-tree';
import { logIdentityOf, witnessIdentity, witnessIdentityOf } from './tlog-identity';
import { requestCosignature } from './witness-client';
import { Witness } from '../witness/witness';
import { listenWitness } from '../witness/witness-server';

type Suite = 'intl' | 'gm';

const LEAVES = Number(process.env.TLOG_BENCH_LEAVES ?? 1_000_000);
const ROUNDS = Number(process.env.TLOG_BENCH_ROUNDS ?? 1);
const SUITES_MEASURED: readonly Suite[] = (process.env.TLOG_BENCH_SUITES ?? 'intl,gm')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Suite => s === 'intl' || s === 'gm');
const context = { leaves: LEAVES, cores: availableParallelism() };

/** One measured operation: its rate and this process's CPU µs per operation. */
interface Measure {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly cpuUsPerOp: number;
  readonly note?: string;
}

function emit(suite: Suite | 'gm_over_intl', m: Omit<Measure, 'cpuUsPerOp'> & { cpuUsPerOp?: number }): void {
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'tlog',
      metric: `tlog.${suite}.${m.metric}`,
      value: round(m.value),
      unit: m.unit,
      ...(m.cpuUsPerOp === undefined ? {} : { cpu_us_per_op: round(m.cpuUsPerOp) }),
      suite,
      ...context,
      loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
      ...(m.note ? { note: m.note } : {}),
    })}\n`,
  );
}

/** Runs `work` `count` times, giving its rate per second and CPU µs per operation. */
async function timed(
  count: number,
  work: (i: number) => unknown,
): Promise<{ perSecond: number; msPerOp: number; cpuUsPerOp: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await work(i);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: count / (ms / 1000),
    msPerOp: ms / count,
    cpuUsPerOp: (used.user + used.system) / count,
  };
}

function keyOf(suite: Suite): NoteKey {
  return suite === 'gm' ? sm2KeyOf() : generateEd25519Key();
}

async function measureSuite(suite: Suite): Promise<Measure[]> {
  const digest = SUITES[suite].digest;
  const leaf = (i: number): Uint8Array => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, i);
    return digest([bytes]);
  };
  const out: Measure[] = [];
  const dir = mkdtempSync(join(tmpdir(), `tlog-bench-${suite}-`));
  try {
    const tree = FileTree.open(join(dir, 'tree'), digest);
    const append = await timed(Math.ceil(LEAVES / 10_000), (b) => {
      const start = b * 10_000;
      tree.append(Array.from({ length: Math.min(10_000, LEAVES - start) }, (_, k) => leaf(start + k)));
    });
    tree.sync();
    out.push({
      metric: 'append.leaves_per_s',
      value: append.perSecond * 10_000,
      unit: 'leaves/s',
      cpuUsPerOp: append.cpuUsPerOp / 10_000,
    });

    const log = logIdentityOf(keyOf(suite), 'BJ');
    const head = (size: number) => ({
      origin: log.name,
      size,
      root: tree.rangeHash(0, size),
      extensions: suiteExtensions(suite),
    });
    const checkpoints = await timed(200, (i) => {
      tree.append([leaf(LEAVES + i)]);
      tree.sync();
      signNote(formatCheckpoint(head(tree.size)), [log.signer]);
    });
    out.push({
      metric: 'checkpoint.per_s',
      value: checkpoints.perSecond,
      unit: 'checkpoints/s',
      cpuUsPerOp: checkpoints.cpuUsPerOp,
      note: 'append one block, fsync, root, sign',
    });

    const size = tree.size;
    const spot = (i: number): number => Math.floor((i * 7919 * 104729) % size);
    const inclusion = await timed(2000, (i) => inclusionPath(tree, spot(i), size));
    out.push({
      metric: 'inclusion_proof.us',
      value: inclusion.msPerOp * 1000,
      unit: 'us/proof',
      cpuUsPerOp: inclusion.cpuUsPerOp,
    });
    const consistency = await timed(2000, (i) => consistencyProof(tree, 1 + (spot(i) % (size - 1)), size));
    out.push({
      metric: 'consistency_proof.us',
      value: consistency.msPerOp * 1000,
      unit: 'us/proof',
      cpuUsPerOp: consistency.cpuUsPerOp,
    });

    // what a verifier does with a v2 bundle's proofs: an inclusion and a consistency proof, in the log's hash
    const root = tree.rangeHash(0, size);
    const cases = Array.from({ length: 200 }, (_, i) => {
      const index = spot(i);
      const old = 1 + (spot(i + 1) % (size - 1));
      return {
        index,
        leafHash: tree.leaf(index),
        path: inclusionPath(tree, index, size),
        old,
        oldRoot: tree.rangeHash(0, old),
        proof: consistencyProof(tree, old, size),
      };
    });
    const verify = await timed(2000, (i) => {
      const c = cases[i % cases.length]!;
      if (!verifyInclusionProof(c.leafHash, c.index, size, c.path, root, digest))
        throw new Error('inclusion');
      if (!verifyConsistencyProof(c.old, size, c.proof, c.oldRoot, root, digest))
        throw new Error('consistency');
    });
    out.push({
      metric: 'proof_verify.us',
      value: verify.msPerOp * 1000,
      unit: 'us/verification',
      cpuUsPerOp: verify.cpuUsPerOp,
      note: 'one inclusion and one consistency proof at this size',
    });

    const cosigner = witnessIdentityOf(keyOf(suite), 'TJ', () => 1767225600);
    const text = formatCheckpoint(head(size));
    const note = signNote(text, [log.signer]);
    const cosigned =
      note +
      formatSignatureLine({
        name: cosigner.name,
        keyId: cosigner.signer.keyId,
        signature: cosigner.signer.sign(utf8Encode(text)),
      });
    const trust = { logKeys: [log.verifier], witnessKeys: [cosigner.verifier], quorum: 1, accepted: [suite] };
    const checkCosigned = await timed(300, () => {
      if (!verifyCosignedCheckpoint(cosigned, trust).ok) throw new Error('cosigned checkpoint');
    });
    out.push({
      metric: 'cosigned_checkpoint_verify.us',
      value: checkCosigned.msPerOp * 1000,
      unit: 'us/verification',
      cpuUsPerOp: checkCosigned.cpuUsPerOp,
      note: 'the log signature and one witness cosignature of one checkpoint',
    });
    const cosign = await timed(300, () => cosigner.signer.sign(utf8Encode(text)));
    out.push({
      metric: 'cosign.us',
      value: cosign.msPerOp * 1000,
      unit: 'us/cosignature',
      cpuUsPerOp: cosign.cpuUsPerOp,
      note: 'the witness signature alone',
    });

    const witnessDir = join(dir, 'witness');
    const witness = witnessIdentity(witnessDir, 'TJ', undefined, suite);
    const server = await listenWitness(
      new Witness(witnessDir, witness.signer, [log.verifier], suite),
      witness.verifier.vkey,
    );
    const endpoint = { region: 'TJ' as const, url: server.url, key: witness.verifier };
    let old = 0;
    const http = await timed(200, async (i) => {
      tree.append([leaf(LEAVES + 200 + i)]);
      const n = tree.size;
      const t = formatCheckpoint(head(n));
      old = (await requestCosignature(endpoint, signNote(t, [log.signer]), t, n, tree, old)).size;
    });
    out.push({
      metric: 'cosignature.ms',
      value: http.msPerOp,
      unit: 'ms/cosignature',
      cpuUsPerOp: http.cpuUsPerOp,
      note: 'sign, HTTP add-checkpoint with a consistency proof, witness verifies and fsyncs its state (both in this process)',
    });
    await server.close();
    tree.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  if (SUITES_MEASURED.length === 0) throw new Error('TLOG_BENCH_SUITES: expected intl, gm or both');
  registerNativeEd25519();
  const runs: Record<Suite, Measure[][]> = { intl: [], gm: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const suite of SUITES_MEASURED) {
      const measured = await measureSuite(suite);
      runs[suite].push(measured);
      for (const m of measured) emit(suite, m);
    }
  }
  if (runs.intl.length === 0 || runs.gm.length === 0) return;
  for (const m of runs.intl[0]!) {
    const cpu = (suite: Suite) =>
      median(runs[suite].map((r) => r.find((x) => x.metric === m.metric)!.cpuUsPerOp));
    emit('gm_over_intl', {
      metric: `${m.metric.replace(/\.[a-z_]+$/, '')}.cpu_us_per_op`,
      value: cpu('gm') / cpu('intl'),
      unit: `ratio of medians over ${ROUNDS} alternating round(s)`,
    });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
