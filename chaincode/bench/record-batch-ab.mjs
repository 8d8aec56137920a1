#!/usr/bin/env node
// `node --expose-gc bench/record-batch-ab.mjs`: the chaincode's own CPU per milestone in `milestones:RecordBatch`, simulated
// in-process as the endorsement worker simulates it (fabric-shim's stub over the engine's in-memory state),
// without signing, ordering or commit. JSON lines: `chaincode.record_batch.<n>.cpu_us_per_record` (process CPU
// of the simulations divided by the milestones), and, with CHAINCODE_BENCH_BASELINE=<dir of another build's
// dist>, the same for that build in alternating rounds of one process, with the ratio of the medians.
// The chaincode runs as Beijing's namespace of the plan, as the hub runs it (CHAINCODE_BENCH_LEGACY=1: under a name
// outside the plan, where every first write also sets a key-level endorsement policy).
// CHAINCODE_BENCH_ROUNDS (default 7), CHAINCODE_BENCH_TX (transactions per round, default 20), CHAINCODE_BENCH_BATCH (500).
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { CertificateAuthority, InMemoryNetwork } = require('@approval-ledger/fabric-engine');
const { namespaceOfRecord, sha256Hex } = require('@approval-ledger/protocol');

const ROUNDS = Number(process.env.CHAINCODE_BENCH_ROUNDS ?? 7);
const TX = Number(process.env.CHAINCODE_BENCH_TX ?? 20);
const BATCH = Number(process.env.CHAINCODE_BENCH_BATCH ?? 500);
const CLOCK = Date.parse('2025-03-10T02:00:00.000Z');

const builds = [{ name: 'current', dist: join(here, '..', 'dist') }];
if (process.env.CHAINCODE_BENCH_BASELINE)
  builds.unshift({ name: 'baseline', dist: resolve(process.env.CHAINCODE_BENCH_BASELINE) });

const ca = await CertificateAuthority.create({ mspId: 'BeijingMSP', domain: 'beijing.approval-ledger' });
const approver = await ca.issue({
  enrollmentId: 'bj-approver-hc',
  role: 'client',
  attributes: { 'ledger.role': 'approver', 'ledger.dept': 'HC' },
});
const admin = await ca.issue({
  enrollmentId: 'bj-admin',
  role: 'client',
  attributes: { 'ledger.role': 'admin' },
});
const grant = {
  region: 'BJ',
  dept: 'HC',
  stages: ['CONSTRUCTION_PERMIT', 'COMPLETION_ACCEPTANCE'],
  certificateTypes: [],
  validFrom: '2020-01-01T00:00:00+08:00',
};

let minute = 0;
const at = () => ({ timestamp: new Date(CLOCK + ++minute * 60_000) });

async function networkOf(build) {
  const { createChaincode } = require(join(build.dist, 'index.js'));
  const network = new InMemoryNetwork(
    createChaincode(),
    process.env.CHAINCODE_BENCH_LEGACY === '1' ? {} : { chaincodeName: namespaceOfRecord('BJ') },
  );
  const res = await network.submit(admin, 'issuers:Grant', [JSON.stringify(grant)], at());
  if (res.validationCode !== 'VALID') throw new Error(`grant: ${res.status} ${res.message}`);
  return network;
}

let serial = 0;
function batchArg() {
  const anchors = [];
  for (let i = 0; i < BATCH; i++) {
    const n = ++serial;
    anchors.push({
      id: `bj-hc-${String(n).padStart(8, '0')}`,
      projectCode: '2025-110105-47-03-000318',
      region: 'BJ',
      dept: 'HC',
      stage: n % 2 ? 'CONSTRUCTION_PERMIT' : 'COMPLETION_ACCEPTANCE',
      decision: 'APPROVED',
      decidedAt: `2025-03-06T16:${String(n % 60).padStart(2, '0')}:00+08:00`,
      applicantUscc: '91110105MA01WJ3K7N',
      documentDigests: [sha256Hex(`doc-${n}`)],
      commitment: sha256Hex(`commitment-${n}`),
    });
  }
  return JSON.stringify(anchors);
}

async function round(network) {
  const args = [];
  for (let i = 0; i < TX; i++) args.push(batchArg());
  globalThis.gc?.(); // each round starts with the other build's garbage collected (run with --expose-gc)
  const before = process.cpuUsage();
  for (const arg of args) {
    const res = await network.evaluate(approver, 'milestones:RecordBatch', [arg], at());
    if (res.status !== 200) throw new Error(`RecordBatch: ${res.status} ${res.message}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (TX * BATCH);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const networks = [];
for (const build of builds) networks.push(await networkOf(build));
for (const network of networks) await round(network); // warm-up
const samples = builds.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  // alternate which build goes first
  const order = builds.map((_, b) => b);
  if (r % 2) order.reverse();
  for (const b of order) samples[b].push(await round(networks[b]));
}
const load = loadavg().map((x) => Number(x.toFixed(2)));
const medians = samples.map(median);
builds.forEach((build, b) =>
  console.log(
    JSON.stringify({
      name: `chaincode.record_batch.${BATCH}.cpu_us_per_record`,
      build: build.name,
      value: Number(medians[b].toFixed(2)),
      runs: samples[b].map((x) => Number(x.toFixed(2))),
      tx_per_run: TX,
      namespace: process.env.CHAINCODE_BENCH_LEGACY === '1' ? 'legacy' : namespaceOfRecord('BJ'),
      loadavg: load,
    }),
  ),
);
if (builds.length === 2)
  console.log(
    JSON.stringify({
      name: `chaincode.record_batch.${BATCH}.cpu_us_per_record_ratio`,
      value: Number((medians[1] / medians[0]).toFixed(3)),
      loadavg: load,
    }),
  );
