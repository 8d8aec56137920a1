#!/usr/bin/env node
// Bench: how long the explorer's browser takes to verify a proof bundle v2, against the same work in Node (what
// `ledger verify --bundle` runs). One JSON line on stdout.
//
//   node e2e/bench-verify-v2.mjs [--runs 30]
//
// The bundle is built here as protocol/src/tlog/status.bench.ts builds its own: protocol's real milestone v1
// bundle as evidence, its block a leaf of a checkpoint of 1 000 000 blocks (Ed25519 log signature and two
// witness cosignatures), a status proof in a status tree of 100 000 revocations, and a public anchor of an older
// checkpoint (999 000 blocks: the note, the record's block's inclusion and the consistency proof). The browser
// (Debian's Chromium, headless, playwright-core) loads protocol's verifier bundled by esbuild for the browser
// (what the explorer runs), parses the trust anchors text and verifies the bundle `runs` times; medians are
// reported, not asserted.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519';
import {
  bytesToBase64,
  bytesToHex,
  consistencyProof,
  cosignatureSigner,
  ed25519NoteSigner,
  formatCheckpoint,
  formatStatusExtension,
  formatTrustAnchors,
  formatVerifierKey,
  hexToBytes,
  inclusionPath,
  leafHash,
  MemoryTree,
  parseTrustAnchors,
  parseVerifierKey,
  pinnedTrustOf,
  PROOF_BUNDLE_V2_FORMAT,
  sha256,
  SIGNATURE_TYPE,
  signNote,
  StatusTree,
  useSha256,
  verifyProofBundle,
} from '@approval-ledger/protocol';

const CHROMIUM = '/usr/bin/chromium';
const explorer = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(explorer, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const SIZE = 1_000_000;
const ANCHORED = 999_000;
const REVOKED = 100_000;

// building the million-leaf tree here uses node:crypto's SHA-256; the verifications below use protocol's own
useSha256((parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function buildBundle() {
  const evidence = JSON.parse(
    readFileSync(join(root, 'protocol', 'src', 'proof', 'fixtures', 'proof-bundle.milestone.json'), 'utf8'),
  );
  const verdict = verifyProofBundle(evidence);
  const head = verdict.head;
  const record = verdict.anchoredAt;
  const blocks = new MemoryTree();
  for (let i = 0; i < SIZE; i++) {
    const hash = i === head.number ? head.hash : i === record.blockNumber ? record.blockHash : undefined;
    blocks.append(leafHash(hash ? hexToBytes(hash) : sha256(`b${i}`)));
  }
  const status = new StatusTree(
    Array.from({ length: REVOKED }, (_, i) => ({
      kind: 'certificate',
      id: `BJ-2026-${String(i * 7).padStart(8, '0')}`,
      status: 'REVOKED',
      txId: bytesToHex(sha256(`tx ${i}`)),
      block: i,
    })),
  );
  const key = (seed) => {
    const secret = new Uint8Array(32).fill(seed);
    return { secret, publicKey: ed25519.getPublicKey(secret) };
  };
  const [log, tj, he] = [key(1), key(2), key(3)];
  const LOG = 'bj.approval-ledger.example/log';
  const names = ['tj.approval-ledger.example/witness', 'he.approval-ledger.example/witness'];
  const signers = [
    ed25519NoteSigner(LOG, log.publicKey, (m) => ed25519.sign(m, log.secret)),
    ...[tj, he].map((w, i) => cosignatureSigner(names[i], w.publicKey, (m) => ed25519.sign(m, w.secret))),
  ];
  const note = signNote(
    formatCheckpoint({
      origin: LOG,
      size: SIZE,
      root: blocks.root(),
      extensions: [formatStatusExtension(status.size, status.root())],
    }),
    signers,
  );
  const anchoredRoot = blocks.rangeHash(0, ANCHORED);
  const anchoredNote = signNote(
    formatCheckpoint({ origin: LOG, size: ANCHORED, root: anchoredRoot }),
    signers,
  );
  const bundle = {
    format: PROOF_BUNDLE_V2_FORMAT,
    createdAt: new Date().toISOString(),
    evidence,
    checkpoint: {
      note,
      inclusion: { block: head.number, path: inclusionPath(blocks, head.number, SIZE).map(bytesToHex) },
    },
    status: status.prove('milestone', evidence.record.id),
    anchor: {
      reference: {
        chainId: 31337,
        contract: `0x${'12'.repeat(20)}`,
        txHash: `0x${'34'.repeat(32)}`,
        blockNumber: 42,
        blockHash: `0x${'56'.repeat(32)}`,
        logIndex: 0,
        checkpoint: { origin: LOG, size: ANCHORED, rootHash: bytesToBase64(anchoredRoot) },
      },
      note: anchoredNote,
      inclusion: {
        block: record.blockNumber,
        path: inclusionPath(blocks, record.blockNumber, ANCHORED).map(bytesToHex),
      },
      consistency: consistencyProof(blocks, ANCHORED, SIZE).map(bytesToHex),
    },
  };
  const trust = formatTrustAnchors({
    crypto: 'intl',
    genesis: { engine: 'embedded', blockHash: verdict.genesisHash },
    logs: [parseVerifierKey(formatVerifierKey(LOG, SIGNATURE_TYPE.ed25519, log.publicKey))],
    witnesses: [tj, he].map((w, i) => ({
      region: i === 0 ? 'TJ' : 'HE',
      key: parseVerifierKey(formatVerifierKey(names[i], SIGNATURE_TYPE.cosignatureV1, w.publicKey)),
    })),
    quorum: 2,
  });
  return { text: JSON.stringify(bundle), trust };
}

/** The page's work: parse the pinned anchors, verify the bundle `runs` times (a fresh parse each run). */
const PAGE_ENTRY = `
import { parseTrustAnchors, pinnedTrustOf, verifyProofBundle } from '@approval-ledger/protocol';
globalThis.benchVerify = (bundleText, trustText, runs) => {
  const options = pinnedTrustOf(parseTrustAnchors(trustText));
  const times = [];
  let verdict;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    verdict = verifyProofBundle(JSON.parse(bundleText), options);
    times.push(performance.now() - start);
  }
  return { times, status: verdict.status, ok: verdict.ok, anchor: verdict.assurance?.anchor?.state };
};
`;

async function browserScript() {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(explorer, '.bench-'));
  try {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, PAGE_ENTRY);
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'warning',
      nodePaths: [join(explorer, 'node_modules'), join(root, 'node_modules')],
    });
    return out.outputFiles[0].text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run() {
  const built = performance.now();
  const { text, trust } = buildBundle();
  const buildMs = performance.now() - built;
  useSha256(undefined); // back to protocol's own SHA-256, as in the browser
  const nodeTimes = [];
  let nodeVerdict;
  const options = pinnedTrustOf(parseTrustAnchors(trust));
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    nodeVerdict = verifyProofBundle(JSON.parse(text), options);
    nodeTimes.push(performance.now() - start);
  }
  const script = await browserScript();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  let result;
  let engine;
  try {
    engine = `chromium ${browser.version()}`;
    const page = await browser.newPage();
    await page.addScriptTag({ content: script });
    result = await page.evaluate(([b, t, n]) => globalThis.benchVerify(b, t, n), [text, trust, RUNS]);
  } finally {
    await browser.close();
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'proof-bundle-v2-verify',
      checkpointBlocks: SIZE,
      anchoredBlocks: ANCHORED,
      statusTreeItems: REVOKED,
      bundleBytes: Buffer.byteLength(text),
      scriptBytes: Buffer.byteLength(script),
      runs: RUNS,
      browser: {
        engine,
        medianMs: Number(median(result.times).toFixed(2)),
        firstMs: Number(result.times[0].toFixed(2)),
        verdict: result.status,
        ok: result.ok,
        anchor: result.anchor,
      },
      node: {
        medianMs: Number(median(nodeTimes).toFixed(2)),
        firstMs: Number(nodeTimes[0].toFixed(2)),
        verdict: nodeVerdict.status,
        ok: nodeVerdict.ok,
      },
      buildMs: Math.round(buildMs),
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    })}\n`,
  );
}

run().catch((error) => {
  console.error(`bench failed: ${error?.stack ?? error}`);
  process.exit(1);
});
