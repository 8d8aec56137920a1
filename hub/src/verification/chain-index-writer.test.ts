import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import {
  indexedBlock,
  indexedMilestone,
  milestoneArg,
  milestonesTx,
} from '../../test/support/chain-index-fixtures';
import { type IndexableTransaction } from './block-changes';
import { ChainIndex, type IndexChanges, type IndexedAnchor } from './chain-index';
import { ChainIndexWriter, type WriterRequest } from './chain-index-writer';

const empty: IndexChanges = { anchors: [], revocations: [], recognitions: [], decisions: [] };
const PROJECT = '2025-110105-47-03-000318';

const milestone = (n: number, fields: Partial<IndexedAnchor> = {}): IndexedAnchor =>
  indexedMilestone({
    blockNumber: n,
    ...fields,
    key: fields.key ?? `M-${n}`,
    decidedAt: '2025-03-06T16:30:00+08:00',
  });

/** Block n's one transaction, recording milestone M-n (as the chaincode's MilestonesRecorded event says). */
const recordingTx = (n: number): IndexableTransaction =>
  milestonesTx(
    [
      milestoneArg(`M-${n}`, {
        commitment: String(n).padStart(64, '0'),
        documentDigests: [String(n).padStart(64, 'd')],
      }),
    ],
    n,
  );

// The chain index's writes on their own thread: the main thread's connection must see each block once its
// apply resolves, blocks must be committed in order and whole, and a failed commit must not let a later block
// move the cursor past it.
describe('ChainIndexWriter: the chain index written on its own thread', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  let reader: ChainIndex;
  let writer: ChainIndexWriter | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-writer-'));
    file = join(dir, 'index.sqlite');
    reader = ChainIndex.open(file);
    writer = await ChainIndexWriter.start(file);
  });

  afterEach(async () => {
    await writer?.close();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows each block on the reading connection once its apply resolves, as its transactions record it', async () => {
    const w = writer as ChainIndexWriter;
    for (let n = 0; n < 5; n++) {
      expect(await w.apply(indexedBlock(n, 1, 1), [recordingTx(n)])).to.equal(1);
      expect(reader.nextBlock).to.equal(n + 1);
      const anchor = reader.get('milestone', `M-${n}`);
      expect(anchor?.blockNumber).to.equal(n);
      expect(anchor?.endorsers).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
      expect(reader.byDocument(String(n).padStart(64, 'd')).map((a) => a.key)).to.deep.equal([`M-${n}`]);
      expect(reader.blocks(undefined, 10).map((b) => b.number)[0]).to.equal(n);
    }
    // a block without records moves the cursor too
    expect(await w.apply(indexedBlock(5, 0, 0), [])).to.equal(0);
    expect(reader.nextBlock).to.equal(6);
  });

  it('commits blocks handed over without waiting, in order, each visible when its own apply resolves', async () => {
    const w = writer as ChainIndexWriter;
    const seen: number[] = [];
    const applied = Array.from({ length: 200 }, (_, n) =>
      w.apply(indexedBlock(n, 1, 1), [recordingTx(n)]).then(() => {
        seen.push(n);
        // the cursor is at least past this block: an earlier block is never answered after a later one
        expect(reader.nextBlock).to.be.at.least(n + 1);
        expect(reader.get('milestone', `M-${n}`)).to.not.equal(undefined);
      }),
    );
    await Promise.all(applied);
    expect(seen).to.deep.equal(Array.from({ length: 200 }, (_, n) => n));
    expect(reader.stats().milestones).to.equal(200);
    expect(w.backlog).to.equal(0);
  });

  it('commits names with the blocks, so that a project is found by its name once its block is indexed', async () => {
    const w = writer as ChainIndexWriter;
    w.addNames([{ projectCode: PROJECT, name: '朝阳区某综合楼项目' }]);
    await w.apply(indexedBlock(0, 1, 1), [recordingTx(0)]);
    expect(reader.searchProjects('综合楼', 10)).to.deep.equal([PROJECT]);
  });

  it('sends a (project, name) pair once while it is remembered, and every pair still reaches the index', async () => {
    const w = writer as ChainIndexWriter;
    const sentNames: string[][] = [];
    // every message to a worker thread passes here: the names this writer sends its thread are counted
    const post = Reflect.get(Worker.prototype, 'postMessage') as (this: Worker, ...args: unknown[]) => void;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const request = message as WriterRequest;
      if (request.type === 'names') sentNames.push(request.entries.map((e) => e.name));
      post.call(this, message, ...rest);
    };
    try {
      const other = '2025-110105-47-03-000319';
      w.addNames([
        { projectCode: PROJECT, name: '朝阳区某综合楼项目' },
        { projectCode: PROJECT, name: '北京某置业有限公司' },
      ]);
      // the next record of the project: nothing new to send
      w.addNames([
        { projectCode: PROJECT, name: '朝阳区某综合楼项目' },
        { projectCode: PROJECT, name: '北京某置业有限公司' },
      ]);
      // the same applicant on another project is another pair
      w.addNames([
        { projectCode: other, name: '北京某置业有限公司' },
        { projectCode: PROJECT, name: '朝阳区某综合楼项目' },
      ]);
      await w.apply(indexedBlock(0, 1, 1), [recordingTx(0)]);
      expect(sentNames).to.deep.equal([['朝阳区某综合楼项目', '北京某置业有限公司'], ['北京某置业有限公司']]);
      expect(reader.searchProjects('综合楼', 10)).to.deep.equal([PROJECT]);
      expect(reader.searchProjects('置业', 10)).to.have.members([PROJECT, other]);
    } finally {
      Worker.prototype.postMessage = post;
    }
  });

  it('fails a block whose commit fails, and every later one, leaving the cursor before it', async () => {
    const w = writer as ChainIndexWriter;
    await w.apply(indexedBlock(0, 1, 1), [recordingTx(0)]);
    // another connection holds the write lock past the writer's busy timeout: its commit fails, rolled back whole
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const failed = w.apply(indexedBlock(1, 1, 1), [recordingTx(1)]);
      const [first] = await Promise.allSettled([failed]);
      expect(first?.status).to.equal('rejected');
      expect(String((first as PromiseRejectedResult).reason)).to.match(
        /could not commit: database is locked/,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // the lock is gone, but a later block must not move the cursor past the one that failed
    await w.apply(indexedBlock(2, 1, 1), [recordingTx(2)]).then(
      () => expect.fail('a block after a failed commit was committed'),
      (error: unknown) => expect(String(error)).to.match(/database is locked/),
    );
    expect(reader.nextBlock).to.equal(1);
    expect(reader.get('milestone', 'M-1')).to.equal(undefined);
    expect(reader.get('milestone', 'M-2')).to.equal(undefined);
  });

  it('commits what was handed over before it closes', async () => {
    const w = writer as ChainIndexWriter;
    const applied = Array.from({ length: 20 }, (_, n) => w.apply(indexedBlock(n, 1, 1), [recordingTx(n)]));
    const closed = w.close();
    await Promise.all(applied);
    await closed;
    writer = undefined;
    expect(reader.nextBlock).to.equal(20);
    const reopened = ChainIndex.open(file);
    try {
      expect(reopened.stats().milestones).to.equal(20);
    } finally {
      reopened.close();
    }
  });

  it('refuses blocks once its thread has stopped', async () => {
    const w = writer as ChainIndexWriter;
    await w.close();
    writer = undefined;
    await w.apply(indexedBlock(0, 1, 1), []).then(
      () => expect.fail('a block was accepted by a stopped writer'),
      (error: unknown) => expect(String(error)).to.match(/exited/),
    );
  });
});

// The reading connection's in-memory sets (REVOKED projects, superseded versions) answer "none" without a query:
// they must know of a block the writer is about to commit before any reader can see it.
describe('ChainIndex.expect: what another connection writes', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chain-index-expect-'));
    file = join(dir, 'index.sqlite');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a REVOKED milestone and a superseded version written by another connection', () => {
    const reader = ChainIndex.open(file);
    const other = ChainIndex.open(file, { checkpoints: false });
    try {
      // the reader's sets are filled at open: empty here
      const revoking = milestone(1, { decision: 'REVOKED' });
      const first = milestone(2, { key: 'M-C', commitment: 'a'.repeat(64) });
      const corrected = milestone(3, {
        key: 'M-C',
        commitment: 'b'.repeat(64),
        anchorJson: '{"id":"M-C","version":2}',
      });
      for (const [n, anchors] of [
        [1, [revoking]],
        [2, [first]],
        [3, [corrected]],
      ] as const) {
        const changes = { ...empty, anchors: [...anchors] };
        reader.expect(changes);
        other.applyBlock(indexedBlock(n, 1, 1), changes);
      }
      expect(reader.revokingMilestones(PROJECT).map((a) => a.key)).to.deep.equal(['M-1']);
      expect(reader.supersededByCommitment('a'.repeat(64)).map((v) => [v.key, v.version])).to.deep.equal([
        ['M-C', 1],
      ]);
    } finally {
      other.close();
      reader.close();
    }
  });

  it('without expect, the sets filled at open would answer none: the test above depends on it', () => {
    const reader = ChainIndex.open(file);
    const other = ChainIndex.open(file, { checkpoints: false });
    try {
      other.applyBlock(indexedBlock(1, 1, 1), { ...empty, anchors: [milestone(1, { decision: 'REVOKED' })] });
      expect(reader.revokingMilestones(PROJECT)).to.deep.equal([]);
    } finally {
      other.close();
      reader.close();
    }
  });
});
