/**
 * Bench of the status commitment and the proof bundle v2 (`npx ts-node src/tlog/status.bench.ts` in protocol):
 * status tree build, proof generation and verification at 100 000 revoked items, and a v2 bundle's size and
 * verification time (the function `ledger verify --bundle` runs), medians of repeated runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex, hexToBytes } from '../bytes.js';
import { leafHash } from '../merkle.js';
import { sha256, type Sha256Part, useSha256 } from '../sha256.js';
import { PROOF_BUNDLE_V2_FORMAT, type ProofBundle } from '../proof/proof-bundle.js';
import { verifyProofBundle } from '../verify/verify-proof-bundle.js';
import { formatCheckpoint } from './checkpoint.js';
import { cosignatureSigner, ed25519NoteSigner } from './cosignature.js';
import { inclusionPath, MemoryTree } from './merkle-proofs.js';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE, signNote } from './signed-note.js';
import { formatStatusExtension, type StatusEntry, StatusTree, verifyStatusProof } from './status-tree.js';

const N = 100_000;

// node:crypto's SHA-256, as the hub registers it (hub/src/native-hash.ts); `--js` keeps the pure-JS default
if (!process.argv.includes('--js')) {
  useSha256((parts: readonly Sha256Part[]) => {
    const hash = createHash('sha256');
    for (const part of parts) {
      if (typeof part === 'string') hash.update(part, 'utf8');
      else hash.update(part);
    }
    return new Uint8Array(hash.digest());
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

const entries: StatusEntry[] = Array.from({ length: N }, (_, i) => ({
  kind: i % 3 === 0 ? 'milestone' : 'certificate',
  id: `BJ-2026-${String(i * 7).padStart(8, '0')}`,
  status: 'REVOKED',
  txId: bytesToHex(sha256(`tx ${i}`)),
  block: i,
}));

const builds: number[] = [];
let tree = new StatusTree([]);
for (let run = 0; run < 3; run++) {
  const [built, ms] = time(() => new StatusTree(entries));
  tree = built;
  builds.push(ms);
}
const prove: number[] = [];
const verify: number[] = [];
const root = tree.root();
for (let i = 0; i < 2000; i++) {
  const id = `BJ-2026-${String(i * 7 + (i % 2)).padStart(8, '0')}`; // half members, half not
  const [proof, p] = time(() => tree.prove('certificate', id));
  const [, v] = time(() => verifyStatusProof(proof, { kind: 'certificate', id, size: tree.size, root }));
  prove.push(p);
  verify.push(v);
}

// a v2 bundle of the real milestone fixture, in a checkpoint of 1 000 000 blocks, with this status tree
let dir = process.cwd();
while (!existsSync(join(dir, 'lerna.json')) && dirname(dir) !== dir) dir = dirname(dir);
const evidence = JSON.parse(
  readFileSync(join(dir, 'protocol', 'src', 'proof', 'fixtures', 'proof-bundle.milestone.json'), 'utf8'),
) as ProofBundle;
const head = verifyProofBundle(evidence).head!;
const size = 1_000_000;
const blocks = new MemoryTree();
for (let i = 0; i < size; i++)
  blocks.append(leafHash(i === head.number ? hexToBytes(head.hash) : sha256(`b${i}`)));
const key = (seed: number) => {
  const secret = new Uint8Array(32).fill(seed);
  return { secret, publicKey: ed25519.getPublicKey(secret) };
};
const [log, tj, he] = [key(1), key(2), key(3)];
const LOG = 'bj.approval-ledger.example/log';
const names = ['tj.approval-ledger.example/witness', 'he.approval-ledger.example/witness'];
const text = formatCheckpoint({
  origin: LOG,
  size,
  root: blocks.root(),
  extensions: [formatStatusExtension(tree.size, root)],
});
const note = signNote(text, [
  ed25519NoteSigner(LOG, log.publicKey, (m) => ed25519.sign(m, log.secret)),
  ...[tj, he].map((w, i) => cosignatureSigner(names[i]!, w.publicKey, (m) => ed25519.sign(m, w.secret))),
]);
const bundle = {
  format: PROOF_BUNDLE_V2_FORMAT,
  createdAt: new Date().toISOString(),
  evidence,
  checkpoint: {
    note,
    inclusion: { block: head.number, path: inclusionPath(blocks, head.number, size).map(bytesToHex) },
  },
  status: tree.prove('milestone', evidence.record.id),
  // the evidence is version 1 of its milestone, never superseded: non-membership of its supersession
  supersession: tree.prove('milestone', evidence.record.id, 1),
};
const trust = {
  tlog: {
    logKeys: [parseVerifierKey(formatVerifierKey(LOG, SIGNATURE_TYPE.ed25519, log.publicKey))],
    witnessKeys: [tj, he].map((w, i) =>
      parseVerifierKey(formatVerifierKey(names[i]!, SIGNATURE_TYPE.cosignatureV1, w.publicKey)),
    ),
    quorum: 2,
  },
};
const bundleVerify: number[] = [];
const v1Verify: number[] = [];
let status = '';
for (let run = 0; run < 30; run++) {
  const [verdict, ms] = time(() => verifyProofBundle(JSON.parse(JSON.stringify(bundle)), trust));
  status = verdict.status;
  bundleVerify.push(ms);
  v1Verify.push(time(() => verifyProofBundle(JSON.parse(JSON.stringify(evidence))))[1]);
}
const v2Bytes = Buffer.byteLength(JSON.stringify(bundle, null, 2));
const v1Bytes = Buffer.byteLength(JSON.stringify(evidence, null, 2));
const lines = [
  `status tree build, ${N} revoked items: median ${median(builds).toFixed(0)} ms (3 runs)`,
  `status proof generation at ${N}: median ${(median(prove) * 1000).toFixed(0)} µs; verification median ${(median(verify) * 1000).toFixed(0)} µs (2000 keys, half members)`,
  `bundle v2 (checkpoint of ${size} blocks, status tree of ${N}): ${v2Bytes} bytes pretty JSON (its v1 evidence ${v1Bytes}); status proof ${JSON.stringify(bundle.status).length} bytes, block inclusion ${bundle.checkpoint.inclusion.path.length}`,
  `verifyProofBundle v2 (ledger verify --bundle's work, pinned tlog): median ${median(bundleVerify).toFixed(1)} ms; v1 alone ${median(v1Verify).toFixed(1)} ms (30 runs; verdict ${status})`,
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
