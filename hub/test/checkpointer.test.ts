/**
 * The hub's checkpointer over the embedded ledger, with two regional witnesses over HTTP: checkpoints that
 * verify with the log key and both cosignatures, inclusion proofs of blocks, the checkpoint recorded by the
 * checkpoints contract, the same tree continued across a restart (the witnesses, which refuse anything
 * inconsistent, cosign the next checkpoint), and a tree that does not match its ledger refused at open.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalize,
  hexToBytes,
  leafHash,
  parseTrustAnchors,
  verifyConsistencyProof,
  verifyCosignedCheckpoint,
  verifyInclusionProof,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { pino } from 'pino';
import { exportTrustAnchors } from '../src/cli/commands/trust';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { type LedgerPort, parseResult } from '../src/ledger';
import { Checkpointer, type CheckpointerOptions, TlogMismatchError } from '../src/tlog/checkpointer';
import { registerNativeEd25519 } from '../src/tlog/ed25519-key';
import { logIdentity } from '../src/tlog/tlog-identity';
import { type WitnessEndpoint } from '../src/tlog/witness-client';
import { listenRegionalWitnesses, type RegionalWitnesses } from './support/regional-witnesses';
import { TempDirs } from './support/temp-dirs';

const logger = pino({ level: 'silent' });
const BJ_ADMIN = { region: 'BJ', role: 'admin' } as const;

async function addBlocks(ledger: LedgerPort, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const checkpoint = {
      id: `test-${tag}-${i}`,
      kind: 'batch',
      region: 'BJ',
      size: 1,
      root: 'ab'.repeat(32),
      createdAt: '2026-12-04T10:00:00Z',
    };
    await ledger.submit(BJ_ADMIN, 'checkpoints:Record', [canonicalize(checkpoint)]);
  }
}

describe('checkpointer: the ledger as a transparency log, cosigned by regional witnesses', function () {
  this.timeout(120_000);
  const dirs = new TempDirs();
  let dataDir: string;
  let ledger: EmbeddedLedger;
  let regional: RegionalWitnesses | undefined;
  let witnesses: WitnessEndpoint[];

  const openLedger = (dir: string): Promise<EmbeddedLedger> =>
    EmbeddedLedger.open({ dataDir: dir, batch: { timeoutMs: 5 }, endorsementWorkers: 0 });
  const options = (): CheckpointerOptions => ({
    region: 'BJ',
    everyBlocks: 10_000,
    everyMs: 3_600_000,
    witnesses,
  });
  const trust = (): Parameters<typeof verifyCosignedCheckpoint>[1] => ({
    logKeys: [logIdentity(dataDir, 'BJ').verifier],
    witnessKeys: witnesses.map((w) => w.key),
    quorum: 2,
  });

  before(async () => {
    registerNativeEd25519();
    dataDir = dirs.make('tlog-');
    ledger = await openLedger(dataDir);
    regional = await listenRegionalWitnesses(dataDir);
    witnesses = regional.endpoints;
  });
  after(async () => {
    await regional?.close();
    await ledger.close();
    dirs.removeAll();
  });

  let first: { size: number; root: string };

  it('publishes a checkpoint signed by the log and cosigned by Tianjin and Hebei, and records it on the ledger', async () => {
    const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
    checkpointer.start();
    try {
      await addBlocks(ledger, 6, 'a');
      const height = await ledger.height();
      await checkpointer.waitForSize(height);
      const published = await checkpointer.publish();
      expect(published?.size).to.equal(height);
      const verified = verifyCosignedCheckpoint(published!.cosigned, trust());
      expect(verified.ok, JSON.stringify(verified)).to.equal(true);
      expect(published!.cosignedBy).to.deep.equal([
        'tj.approval-ledger.example/witness',
        'he.approval-ledger.example/witness',
      ]);
      // on the ledger, through the checkpoints contract
      expect(published!.recordedInTx).to.match(/^[0-9a-f]{64}$/);
      const id = `tlog-${checkpointer.origin.split('/').pop()}-${height}`;
      const recorded = parseResult<{ root: string; size: number; toBlock: number }>(
        await ledger.evaluate(BJ_ADMIN, 'checkpoints:Get', [id]),
      );
      expect(recorded).to.include({ root: published!.root, size: height, toBlock: height - 1 });
      first = { size: published!.size, root: published!.root };

      // every block's inclusion proof verifies against the checkpoint's root, from the ledger's own hash
      for (let n = 0; n < height; n++) {
        const proof = await checkpointer.inclusion(n);
        const block = await ledger.getBlock(n);
        expect(proof.blockHash).to.equal(block.hash);
        const ok = verifyInclusionProof(
          leafHash(hexToBytes(block.hash)),
          n,
          proof.treeSize,
          proof.proof.map(hexToBytes),
          hexToBytes(published!.root),
        );
        expect(ok, `block ${n}`).to.equal(true);
      }
      let beyond: unknown;
      await checkpointer.inclusion(height).catch((error: unknown) => (beyond = error));
      expect(beyond).to.be.instanceOf(RangeError);
    } finally {
      await checkpointer.stop();
    }
  });

  it('continues the same tree after a restart, and both witnesses cosign the consistent extension', async () => {
    await ledger.close();
    ledger = await openLedger(dataDir);
    const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
    expect(checkpointer.latest()?.size).to.equal(first.size);
    checkpointer.start();
    try {
      await addBlocks(ledger, 4, 'b');
      const height = await ledger.height();
      await checkpointer.waitForSize(height);
      const published = await checkpointer.publish();
      expect(published!.size).to.equal(height);
      expect(verifyCosignedCheckpoint(published!.cosigned, trust()).ok).to.equal(true);
      expect(published!.cosignedBy).to.have.length(2);
      const consistency = checkpointer.consistency(first.size);
      expect(consistency.fromRoot).to.equal(first.root);
      const ok = verifyConsistencyProof(
        first.size,
        published!.size,
        consistency.proof.map(hexToBytes),
        hexToBytes(first.root),
        hexToBytes(published!.root),
      );
      expect(ok).to.equal(true);
      // what the witnesses hold is what was published
      const state = JSON.parse(readFileSync(join(dataDir, 'witness', 'TJ', 'state.json'), 'utf8')) as {
        logs: Record<string, { size: number }>;
      };
      expect(state.logs[checkpointer.origin]?.size).to.equal(published!.size);
    } finally {
      await checkpointer.stop();
    }
  });

  it('exports trust anchors that pin the genesis block, the log key and both witnesses, and verify the checkpoint', async () => {
    const anchors = parseTrustAnchors(exportTrustAnchors(dataDir, undefined, {}));
    expect(anchors.genesis).to.deep.equal({ engine: 'embedded', blockHash: (await ledger.getBlock(0)).hash });
    expect(anchors.logs.map((k) => k.vkey)).to.deep.equal([logIdentity(dataDir, 'BJ').verifier.vkey]);
    expect(anchors.witnesses.map((w) => [w.region, w.key.vkey])).to.deep.equal([
      ['HE', witnesses[1]!.key.vkey],
      ['TJ', witnesses[0]!.key.vkey],
    ]);
    expect(anchors.quorum).to.equal(2);
    const latest = JSON.parse(readFileSync(join(dataDir, 'tlog', 'checkpoint.json'), 'utf8')) as {
      cosigned: string;
    };
    const pinned = {
      logKeys: anchors.logs,
      witnessKeys: anchors.witnesses.map((w) => w.key),
      quorum: anchors.quorum,
    };
    expect(verifyCosignedCheckpoint(latest.cosigned, pinned).ok).to.equal(true);
  });

  it('catches up with a witness that cosigned more than the log remembers (409 names its size, then from there)', async () => {
    // as if the log crashed after a witness had persisted its cosignature but before the log stored it
    const path = join(dataDir, 'tlog', 'checkpoint.json');
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, `${JSON.stringify({ ...stored, witnessSizes: {} })}\n`);
    const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
    checkpointer.start();
    try {
      await addBlocks(ledger, 2, 'd');
      await checkpointer.waitForSize(await ledger.height());
      const published = (await checkpointer.publish())!;
      expect(published.cosignedBy).to.have.length(2);
      expect(published.witnessSizes).to.deep.equal({ TJ: published.size, HE: published.size });
    } finally {
      await checkpointer.stop();
    }
  });

  it('publishes every N blocks on its own', async () => {
    const checkpointer = await Checkpointer.open(ledger, dataDir, { ...options(), everyBlocks: 3 }, logger);
    const before = checkpointer.latest()!.size;
    checkpointer.start();
    try {
      await addBlocks(ledger, 3, 'c');
      const deadline = Date.now() + 20_000;
      while ((checkpointer.latest()?.size ?? 0) < before + 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(checkpointer.latest()!.size).to.be.at.least(before + 3);
    } finally {
      await checkpointer.stop();
    }
  });

  it('stays idle on an idle ledger: its own checkpoint records call for no further checkpoint', async () => {
    const checkpointer = await Checkpointer.open(
      ledger,
      dataDir,
      { ...options(), everyBlocks: 1, everyMs: 100 },
      logger,
    );
    checkpointer.start();
    try {
      await addBlocks(ledger, 1, 'idle');
      const before = (await ledger.height()) - 1; // wait for a checkpoint that holds that block
      const deadline = Date.now() + 20_000;
      const recorded = (): boolean => {
        const latest = checkpointer.latest()!;
        return latest.size > before && latest.recordedInTx !== null;
      };
      while (!recorded() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(recorded()).to.equal(true);
      const settled = checkpointer.latest()!.size;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(checkpointer.latest()!.size).to.equal(settled);
      expect(await ledger.height()).to.equal(settled + 1); // the record of that checkpoint, and nothing more
    } finally {
      await checkpointer.stop();
    }
  });

  it('refuses to open a log whose tree is not this ledger (a replaced ledger): no fork is ever signed', async () => {
    const other = dirs.make('tlog-other-');
    const otherLedger = await openLedger(other);
    try {
      await addBlocks(otherLedger, 30, 'x');
      cpSync(join(dataDir, 'tlog'), join(other, 'tlog'), { recursive: true });
      cpSync(join(dataDir, 'keys'), join(other, 'keys'), { recursive: true });
      let refused: unknown;
      try {
        await Checkpointer.open(otherLedger, other, options(), logger);
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(TlogMismatchError);
      expect((refused as Error).message).to.match(/ledger was replaced/);
    } finally {
      await otherLedger.close();
    }
  });
});
