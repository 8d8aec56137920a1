/**
 * `npm run bench -- chain-index` (node dist/verification/chain-index.bench.js): the chain index alone, as the
 * hub's writer thread fills it, in one process: blocks of `--per-block` milestone anchors (500), one commit a
 * block, each anchor with its commitment and one document digest (two entries of the lookups by hash,
 * `anchor-hashes.ts`), to `--anchors` (2,000,000) in windows of `--window` (200,000). A line per window
 * (`chain_index.window`): anchors per second, CPU of the process per anchor (the writer and its WAL checkpointer
 * thread), bytes written per anchor (`wchar`: WAL and checkpoints), and the longest block, which is the pause a
 * merge of the lookups by hash puts on receipts. Then `chain_index.longest_block_ms` over the whole fill,
 * `chain_index.cpu_us_per_anchor_ratio` (last window / first: whether the cost grows with the index), and
 * `chain_index.by_hash_us`, the CPU of one lookup by hash (`byHash`, 50,000 random hashes of the anchors indexed,
 * median of 3 rounds after one to warm up); `chain_index.by_project_us`, the CPU of one project's anchors
 * (`byProject`, 5,000 random projects, the same rounds); `chain_index.by_transaction_us`, the CPU of one
 * transaction's anchors (`byTransaction`, 200 random blocks' transactions of `--per-block` anchors each, the same
 * rounds); `chain_index.stats_us`, the CPU of one `stats()` (20 calls a round, the same rounds);
 * `chain_index.milestone_walk_s`, one pass of the stage statistics over every milestone
 * (`milestoneFacts`, pages of 1,000).
 *
 * Anchors go to `--projects` projects (50,000), each project with its applicant's credit code, in an order that
 * spreads consecutive anchors over all of them, as records of many projects in progress arrive: the indexes on
 * project and credit code get random keys, as in ingest. (Until 2026-12-07 the bench gave anchor n project
 * n mod 999,999 and no credit code, which fills those two indexes in key order.)
 *
 *   node dist/verification/chain-index.bench.js [--anchors 2000000] [--window 200000] [--per-block 500]
 *     [--projects 50000]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spreadProject } from '../bench/bench-records';
import { argValue, bytesWrittenBy, emit, median } from '../bench/bench-support';
import { ChainIndex, type IndexChanges, type IndexedAnchor } from './chain-index';

const ANCHORS = Number(argValue('--anchors') ?? 2_000_000);
const WINDOW = Number(argValue('--window') ?? 200_000);
const PER_BLOCK = Number(argValue('--per-block') ?? 500);
const PROJECTS = Number(argValue('--projects') ?? 50_000);
const LOOKUPS = 50_000;
const PROJECT_LOOKUPS = 5_000;
const TRANSACTION_LOOKUPS = 200;
const STATS_CALLS = 20;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const commitmentOf = (n: number): string => sha256(`bench commitment ${n}`);
const documentOf = (n: number): string => sha256(`bench document ${n}`);

const projectCodeOf = (project: number): string => `2025-110105-47-03-${String(project).padStart(6, '0')}`;

function anchor(n: number, block: number): IndexedAnchor {
  const project = spreadProject(n, PROJECTS);
  return {
    kind: 'milestone',
    key: `BJ-HC-bench-${n}`,
    commitment: commitmentOf(n),
    region: 'BJ',
    dept: 'HC',
    projectCode: projectCodeOf(project),
    uscc: `91110105MA${String(project).padStart(8, '0')}`,
    stage: 'CONSTRUCTION_PERMIT',
    decision: 'APPROVED',
    validFrom: null,
    validUntil: null,
    txId: `tx-${block}`,
    blockNumber: block,
    txIndex: 0,
    decidedAt: '2025-03-06T16:30:00+08:00',
    recordedAt: '2025-03-06T16:30:00+08:00',
    revokedAt: null,
    revocationReason: null,
    revocationTxId: null,
    revocationBlock: null,
    anchorJson: '{}',
    documentDigests: [documentOf(n)],
    endorsers: ['BeijingMSP'],
    creator: 'BeijingMSP',
  };
}

const bytesWritten = (): number => bytesWrittenBy(process.pid);

function cpuUs(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const context = (): Record<string, unknown> => ({
  per_block: PER_BLOCK,
  window: WINDOW,
  projects: PROJECTS,
  anchors: ANCHORS,
  load_average: Number(loadavg()[0]?.toFixed(2)),
});

interface Window {
  readonly onIndex: number;
  readonly anchorsPerS: number;
  readonly cpuUsPerAnchor: number;
  readonly bytesPerAnchor: number;
  readonly longestBlockMs: number;
}

let nextBlock = 1;

/** Applies blocks until `end` anchors are indexed; returns the window's figures. */
function fill(index: ChainIndex, from: number, end: number): Window {
  const cpu0 = cpuUs();
  const bytes0 = bytesWritten();
  const t0 = process.hrtime.bigint();
  let longest = 0;
  const empty: Omit<IndexChanges, 'anchors'> = { revocations: [], recognitions: [], decisions: [] };
  for (let n = from; n < end;) {
    const block = nextBlock++;
    const anchors: IndexedAnchor[] = [];
    for (const last = Math.min(end, n + PER_BLOCK); n < last; n++) anchors.push(anchor(n, block));
    const started = process.hrtime.bigint();
    index.applyBlock(
      {
        number: block,
        hash: `h${block}`,
        previousHash: `h${block - 1}`,
        dataHash: 'd',
        txCount: 1,
        validTxCount: 1,
        records: anchors.length,
        time: null,
        signers: [],
      },
      { ...empty, anchors },
    );
    longest = Math.max(longest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  const anchors = end - from;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    onIndex: end,
    anchorsPerS: Math.round(anchors / seconds),
    cpuUsPerAnchor: round1((cpuUs() - cpu0) / anchors),
    bytesPerAnchor: Math.round((bytesWritten() - bytes0) / anchors),
    longestBlockMs: Math.round(longest),
  };
}

/**
 * CPU µs of one call of a read, over `calls` calls of `call(i)` (each returns what it found); fails when the
 * calls found fewer than one row each, as every call asks for something indexed.
 */
function cpuPerCall(name: string, calls: number, call: (i: number) => number): number {
  const cpu0 = cpuUs();
  let found = 0;
  for (let i = 0; i < calls; i++) found += call(i);
  if (found < calls) throw new Error(`${name} found ${found} in ${calls} calls of what is indexed`);
  return (cpuUs() - cpu0) / calls;
}

const randomAnchor = (): number => Math.floor(Math.random() * ANCHORS);

/** CPU µs of one `byHash` (commitments and document digests alternately, drawn from what is indexed). */
const lookupRound = (index: ChainIndex): number =>
  cpuPerCall('byHash', LOOKUPS, (i) => {
    const n = randomAnchor();
    return index.byHash(i % 2 === 0 ? commitmentOf(n) : documentOf(n)).length;
  });

/** CPU µs of one `byProject` (random projects of the bench). */
const projectRound = (index: ChainIndex): number =>
  cpuPerCall(
    'byProject',
    PROJECT_LOOKUPS,
    () => index.byProject(projectCodeOf(spreadProject(randomAnchor(), PROJECTS))).length,
  );

/** CPU µs of one `byTransaction` (the one transaction of a random block). */
const transactionRound = (index: ChainIndex): number =>
  cpuPerCall('byTransaction', TRANSACTION_LOOKUPS, () => {
    const block = 1 + Math.floor(Math.random() * (nextBlock - 1));
    return index.byTransaction(`tx-${block}`, block).length;
  });

/** CPU µs of one `stats()`. */
function statsRound(index: ChainIndex): number {
  const cpu0 = cpuUs();
  for (let i = 0; i < STATS_CALLS; i++)
    if (index.stats().milestones !== ANCHORS)
      throw new Error(`stats() counted other than ${ANCHORS} milestones`);
  return (cpuUs() - cpu0) / STATS_CALLS;
}

/** Seconds of one pass over every milestone, as the stage statistics page through them. */
function milestoneWalk(index: ChainIndex): number {
  const t0 = process.hrtime.bigint();
  let facts = 0;
  let page = index.milestoneFacts(undefined, 1_000);
  facts += page.facts.length;
  while (page.next) {
    page = index.milestoneFacts(page.next, 1_000);
    facts += page.facts.length;
  }
  if (facts !== ANCHORS) throw new Error(`milestoneFacts walked ${facts} of ${ANCHORS} milestones`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The median of 3 rounds of a read, after one to warm up, as a line of its own. */
function emitRounds(metric: string, lookups: number, round: () => number): void {
  round();
  const rounds = [round(), round(), round()];
  emit({
    bench: 'chain-index',
    metric,
    value: round1(median(rounds)),
    unit: 'µs',
    rounds: rounds.map(round1),
    lookups,
    ...context(),
  });
}

function main(): void {
  if (!(ANCHORS >= WINDOW && WINDOW >= PER_BLOCK && PER_BLOCK > 0))
    throw new Error('--anchors, --window, --per-block: expected anchors >= window >= per-block > 0');
  if (!(Number.isSafeInteger(PROJECTS) && PROJECTS > 0 && PROJECTS <= 999_999))
    throw new Error('--projects: expected a whole number from 1 to 999,999');
  const dir = mkdtempSync(join(tmpdir(), 'chain-index-bench-'));
  const index = ChainIndex.open(join(dir, 'chain-index.sqlite'));
  try {
    const windows: Window[] = [];
    for (let from = 0; from < ANCHORS; from += WINDOW) {
      const window = fill(index, from, Math.min(ANCHORS, from + WINDOW));
      windows.push(window);
      emit({
        bench: 'chain-index',
        metric: 'chain_index.window',
        value: window.anchorsPerS,
        unit: 'anchors/s',
        on_index: window.onIndex,
        cpu_us_per_anchor: window.cpuUsPerAnchor,
        bytes_written_per_anchor: window.bytesPerAnchor,
        longest_block_ms: window.longestBlockMs,
        ...context(),
      });
    }
    const first = windows[0] as Window;
    const last = windows[windows.length - 1] as Window;
    emit({
      bench: 'chain-index',
      metric: 'chain_index.longest_block_ms',
      value: Math.max(...windows.map((w) => w.longestBlockMs)),
      unit: 'ms',
      ...context(),
    });
    emit({
      bench: 'chain-index',
      metric: 'chain_index.cpu_us_per_anchor_ratio',
      value: Math.round((last.cpuUsPerAnchor / first.cpuUsPerAnchor) * 100) / 100,
      unit: 'ratio',
      first: first.cpuUsPerAnchor,
      last: last.cpuUsPerAnchor,
      mean: round1(windows.reduce((sum, w) => sum + w.cpuUsPerAnchor, 0) / windows.length),
      mean_bytes_written_per_anchor: Math.round(
        windows.reduce((sum, w) => sum + w.bytesPerAnchor, 0) / windows.length,
      ),
      ...context(),
    });
    emitRounds('chain_index.by_hash_us', LOOKUPS, () => lookupRound(index));
    emitRounds('chain_index.by_project_us', PROJECT_LOOKUPS, () => projectRound(index));
    emitRounds('chain_index.by_transaction_us', TRANSACTION_LOOKUPS, () => transactionRound(index));
    emitRounds('chain_index.stats_us', STATS_CALLS, () => statsRound(index));
    const walk = milestoneWalk(index);
    emit({
      bench: 'chain-index',
      metric: 'chain_index.milestone_walk_s',
      value: Math.round(walk * 100) / 100,
      unit: 's',
      per_milestone_us: round1((walk * 1e6) / ANCHORS),
      ...context(),
    });
  } finally {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
