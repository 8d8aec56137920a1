/// <reference types="node" />
// `npm run bench` (after `npm run build`): canonical JSON + SHA-256 throughput over 1 KiB records, `validate` of an
// envelope against zod's own `safeParse` (the ratio of alternating passes), the time to
// build a 10 000-leaf Merkle root, and the two crypto suites side by side in one process (intl: SHA-256 and
// ECDSA P-256; gm: SM3 and SM2), digests in JavaScript and in node:crypto, signatures in JavaScript (the code both
// the hub and the browser run for SM2). Prints one JSON object per line and writes
// <repo>/bench/results/protocol.json.
import { createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { p256 } from '@noble/curves/p256';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  EnvelopeSchema,
  canonicalize,
  jsSha256,
  jsSm3,
  merkleRoot,
  sha256,
  sha256Hex,
  sm2PublicKey,
  sm2RandomPrivateKey,
  sm2Sign,
  sm2Signer,
  sm2Verify,
  utf8Encode,
  validate,
  type Milestone,
} from './index.js';
import { numberedMilestone, sampleEnvelope } from './testing/index.js';

const RUNS = 5;
const RECORDS = 20_000;
const RECORD_BYTES = 1024;
const LEAVES = 10_000;

interface BenchResult {
  bench: 'protocol';
  metric: string;
  value: number;
  unit: string;
  [context: string]: unknown;
}

/** A realistic milestone padded so that its canonical form is exactly `RECORD_BYTES` UTF-8 bytes. */
function record(i: number): Milestone {
  const base = numberedMilestone(i, { details: { category: '报告书', note: '' } });
  const padding = RECORD_BYTES - utf8Encode(canonicalize(base)).length;
  return { ...base, details: { category: '报告书', note: 'x'.repeat(padding) } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timeMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function benchCanonicalSha256(cores: number): BenchResult {
  const records = Array.from({ length: RECORDS }, (_, i) => record(i));
  const bytes = utf8Encode(canonicalize(records[0])).length;
  if (bytes !== RECORD_BYTES) throw new Error(`bench record is ${bytes} bytes, expected ${RECORD_BYTES}`);
  const pass = (): void => records.forEach((r) => sha256Hex(canonicalize(r)));
  pass(); // warm-up
  const rates = Array.from({ length: RUNS }, () => RECORDS / (timeMs(pass) / 1000));
  return {
    bench: 'protocol',
    metric: 'canonical_sha256.records_per_s',
    value: Math.round(median(rates)),
    unit: 'records/s',
    record_bytes: RECORD_BYTES,
    records: RECORDS,
    runs: RUNS,
    cores,
  };
}

function benchMerkleRoot(cores: number): BenchResult {
  const leaves = Array.from({ length: LEAVES }, (_, i) => sha256(`record-${i}`));
  merkleRoot(leaves); // warm-up
  const times = Array.from({ length: RUNS }, () => timeMs(() => merkleRoot(leaves)));
  return {
    bench: 'protocol',
    metric: 'merkle.root_10k_ms',
    value: Number(median(times).toFixed(2)),
    unit: 'ms',
    leaves: LEAVES,
    leaf_bytes: 32,
    runs: RUNS,
    cores,
  };
}

/**
 * `validate` (quickParse first) against zod's `safeParse` on the same envelopes as adapters publish them (parsed
 * from their JSON text), passes alternating in one process: the ratio is what to read on a busy machine.
 */
function benchValidate(cores: number): BenchResult {
  const envelopes = Array.from({ length: RECORDS }, (_, i) => {
    const milestone = numberedMilestone(i, {
      projectName: `望京科创园${i}号研发楼`,
      documentNo: `京环审〔2025〕${i}号`,
      documents: [{ name: '批复文件.pdf', sha256: sha256Hex(`doc-${i}`), bytes: 480_000 + i }],
      details: { category: '报告书', floors: 8 },
    });
    return JSON.parse(JSON.stringify(sampleEnvelope(milestone, 'milestone'))) as unknown;
  });
  const zodPass = (): void => envelopes.forEach((e) => EnvelopeSchema.safeParse(e));
  const quickPass = (): void =>
    envelopes.forEach((e) => {
      if (!validate(EnvelopeSchema, e).ok) throw new Error('bench envelope refused');
    });
  zodPass();
  quickPass();
  const zod: number[] = [];
  const quick: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    zod.push((timeMs(zodPass) * 1000) / RECORDS);
    quick.push((timeMs(quickPass) * 1000) / RECORDS);
  }
  return {
    bench: 'protocol',
    metric: 'validate.envelope_us',
    value: Number(median(quick).toFixed(2)),
    unit: 'µs',
    zod_safe_parse_us: Number(median(zod).toFixed(2)),
    ratio: Number((median(quick) / median(zod)).toFixed(3)),
    envelopes: RECORDS,
    runs: RUNS,
    cores,
  };
}

/** Operations per second of `op`, the median of RUNS passes of `count` calls. */
function rate(count: number, op: (i: number) => unknown): number {
  const pass = (): void => {
    for (let i = 0; i < count; i++) op(i);
  };
  pass();
  return Math.round(median(Array.from({ length: RUNS }, () => count / (timeMs(pass) / 1000))));
}

function benchSuites(cores: number): BenchResult[] {
  const data = utf8Encode(canonicalize(record(1)));
  const native = (name: string) => (d: Uint8Array) => createHash(name).update(d).digest();
  const digests = {
    'intl.sha256_js': rate(20_000, () => jsSha256([data])),
    'gm.sm3_js': rate(20_000, () => jsSm3([data])),
    'intl.sha256_node': rate(50_000, () => native('sha256')(data)),
    'gm.sm3_node': rate(50_000, () => native('sm3')(data)),
  };
  const message = sha256(data);
  const p256Key = p256.utils.randomPrivateKey();
  const p256Public = p256.getPublicKey(p256Key, false);
  const p256Signatures = Array.from({ length: 200 }, (_, i) =>
    p256.sign(sha256(`${i}`), p256Key).toDERRawBytes(),
  );
  const sm2Key = sm2RandomPrivateKey();
  const sm2Public = sm2PublicKey(sm2Key);
  const sm2Signatures = Array.from({ length: 200 }, (_, i) => sm2Sign(sm2Key, utf8Encode(`${i}`)));
  // 50 keys used once each: what a verifier pays for a key before it remembers it
  const freshKeys = Array.from({ length: 50 }, () => sm2RandomPrivateKey());
  const freshSigned = freshKeys.map((key, i) => ({
    publicKey: sm2PublicKey(key),
    signature: sm2Sign(key, utf8Encode(`${i}`)),
  }));
  const prepared = sm2Signer(sm2Key);
  const node = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const nodeSignatures = Array.from({ length: 200 }, (_, i) =>
    nodeSign('sha256', utf8Encode(`${i}`), node.privateKey),
  );
  const signatures = {
    'intl.p256_verify_js': rate(200, (i) =>
      p256.verify(p256Signatures[i] as Uint8Array, sha256(`${i}`), p256Public, {
        prehash: false,
        lowS: false,
      }),
    ),
    'intl.p256_verify_node': rate(200, (i) =>
      nodeVerify('sha256', utf8Encode(`${i}`), node.publicKey, nodeSignatures[i] as Uint8Array),
    ),
    // one key over and over, as a ledger's peers and orderer: remembered, with wNAF tables
    'gm.sm2_verify_js': rate(200, (i) =>
      sm2Verify(sm2Public, utf8Encode(`${i}`), sm2Signatures[i] as Uint8Array),
    ),
    // each of 50 keys verified once, timed once: what a verifier pays before it remembers a key
    'gm.sm2_verify_first_use_js': Math.round(
      freshSigned.length /
        (timeMs(() =>
          freshSigned.forEach((f, i) => sm2Verify(f.publicKey, utf8Encode(`${i}`), f.signature)),
        ) /
          1000),
    ),
    'intl.p256_sign_js': rate(200, () => p256.sign(message, p256Key)),
    'gm.sm2_sign_js': rate(200, () => sm2Sign(sm2Key, message)),
    'gm.sm2_sign_prepared_js': rate(200, () => prepared(message)),
    'intl.p256_sign_node': rate(200, () => nodeSign('sha256', message, node.privateKey)),
  };
  const lines: BenchResult[] = [];
  for (const [metric, value] of Object.entries(digests)) {
    lines.push({
      bench: 'protocol',
      metric: `suite.${metric}.digests_1k_per_s`,
      value,
      unit: 'digests/s',
      cores,
    });
  }
  for (const [metric, value] of Object.entries(signatures)) {
    lines.push({ bench: 'protocol', metric: `suite.${metric}.per_s`, value, unit: 'signatures/s', cores });
  }
  lines.push({
    bench: 'protocol',
    metric: 'suite.gm_over_intl',
    // like for like: both in JavaScript, a key not seen before (a remembered SM2 key is faster: gm.sm2_verify_js)
    value: Number((signatures['gm.sm2_verify_first_use_js'] / signatures['intl.p256_verify_js']).toFixed(3)),
    unit: 'ratio',
    sm3_over_sha256_node: Number((digests['gm.sm3_node'] / digests['intl.sha256_node']).toFixed(3)),
    sm3_over_sha256_js: Number((digests['gm.sm3_js'] / digests['intl.sha256_js']).toFixed(3)),
    cores,
  });
  return lines;
}

function repositoryRoot(from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'lerna.json'))) return dir;
  }
  throw new Error(`no repository root (lerna.json) above ${from}`);
}

function main(): void {
  const cores = availableParallelism();
  const results = [
    benchCanonicalSha256(cores),
    benchValidate(cores),
    benchMerkleRoot(cores),
    ...benchSuites(cores),
  ];
  results.forEach((r) => console.log(JSON.stringify(r)));
  const out = join(repositoryRoot(__dirname), 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'protocol.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main();
