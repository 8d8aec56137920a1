import {
  ANCHORED_EVENT,
  bytesToBase64,
  checkAnchorOffline,
  CHECKPOINT_ANCHOR_ABI,
  hexToBytes,
  OFFLINE_ANCHOR_LIMITS,
  verifyAnchorOnline,
} from '@approval-ledger/protocol';
import { type AnvilNode, startAnvil, useAnvil } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { Contract, Interface, Wallet } from 'ethers';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnchorStore } from '../src/anchor/anchor-store';
import { EvmAnchorChain, loadAnchorArtifact, originHashOf } from '../src/anchor/evm-anchor-chain';
import { checkpointOf, openAnchorer, ORIGIN, TestSource } from './support/anchor-fixtures';
import { runCli } from './support/cli';
import { TempDirs } from './support/temp-dirs';

const dirs = new TempDirs();
after(() => dirs.removeAll());

describe('CheckpointAnchor contract (real anvil)', function () {
  this.timeout(60_000);
  const anvil = useAnvil();

  it('is compiled at build time, and its ABI is the one protocol declares', () => {
    const artifact = loadAnchorArtifact();
    expect(artifact.bytecode).to.match(/^0x[0-9a-f]{200,}$/);
    const compiled = new Interface(artifact.abi as never);
    const declared = new Interface(CHECKPOINT_ANCHOR_ABI);
    expect(compiled.getEvent('Anchored')!.format('full')).to.equal(ANCHORED_EVENT);
    for (const fn of ['anchor', 'latestSize', 'latestRoot', 'owner']) {
      expect(compiled.getFunction(fn)!.selector, fn).to.equal(declared.getFunction(fn)!.selector);
    }
  });

  it('records an anchor, emits Anchored, and refuses a size that is not larger', async () => {
    const chain = await EvmAnchorChain.connect(anvil().url, new Wallet(Wallet.createRandom().privateKey));
    try {
      expect(await chain.fundOnDevNode()).to.be.true;
      const { address } = await chain.deploy();
      const c = new Contract(address, CHECKPOINT_ANCHOR_ABI, chain.wallet);
      const root = `0x${'11'.repeat(32)}`;
      const receipt = await (
        await c.getFunction('anchor')(ORIGIN, 10, root, `0x${'22'.repeat(32)}`, 2)
      ).wait();
      const mined = chain.minedAnchor(address, receipt);
      expect(mined?.anchor.checkpoint).to.deep.equal({
        origin: ORIGIN,
        size: 10,
        rootHash: bytesToBase64(hexToBytes('11'.repeat(32))),
      });
      expect(mined?.cosigners).to.equal(2);
      expect(await chain.latestSize(address, ORIGIN)).to.equal(10);
      for (const size of [10, 9]) {
        let reason = '';
        try {
          await c.getFunction('anchor').staticCall(ORIGIN, size, root, root, 2);
        } catch (error) {
          reason = String((error as { revert?: { name: string } }).revert?.name);
        }
        expect(reason, `size ${size}`).to.equal('SizeNotIncreasing');
      }
      // another origin starts from 0
      await c.getFunction('anchor').staticCall(`${ORIGIN}x`, 1, root, root, 0);
      // nobody but the deployer writes
      const other = await EvmAnchorChain.connect(anvil().url, new Wallet(Wallet.createRandom().privateKey));
      await other.fundOnDevNode();
      let refused = '';
      try {
        await new Contract(address, CHECKPOINT_ANCHOR_ABI, other.wallet)
          .getFunction('anchor')
          .staticCall(ORIGIN, 11, root, root, 2);
      } catch (error) {
        refused = String((error as { revert?: { name: string } }).revert?.name);
      }
      other.close();
      expect(refused).to.equal('NotOwner');
      expect(originHashOf(ORIGIN)).to.match(/^0x[0-9a-f]{64}$/);
    } finally {
      chain.close();
    }
  });
});

describe('CheckpointAnchorer (real anvil)', function () {
  this.timeout(120_000);
  const anvil = useAnvil();

  it('deploys on first start, anchors each cosigned checkpoint once, skips an uncosigned one', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    const { anchorer, store } = await openAnchorer(dataDir, anvil().url, source);
    try {
      expect(store.contract()?.chainId).to.equal(anvil().chainId);
      expect(await anchorer.anchorNow()).to.be.undefined; // nothing published yet
      source.current = checkpointOf(5, []);
      expect(await anchorer.anchorNow()).to.be.undefined; // not cosigned by any witness
      source.current = checkpointOf(5);
      const first = await anchorer.anchorNow();
      expect(first?.anchor.checkpoint.size).to.equal(5);
      expect(await anchorer.anchorNow()).to.be.undefined; // the same checkpoint: not again
      source.current = checkpointOf(9);
      expect((await anchorer.anchorNow())?.anchor.checkpoint.size).to.equal(9);
      expect(anchorer.page(10).anchors.map((a) => a.anchor.checkpoint.size)).to.deep.equal([9, 5]);
      expect(anchorer.page(10, 9).anchors.map((a) => a.anchor.checkpoint.size)).to.deep.equal([5]);
      const online = await verifyAnchorOnline(first!.anchor, anvil().url, {
        proven: { origin: ORIGIN, size: 5, rootHash: hexToBytes(checkpointOf(5).root) },
      });
      expect(online.checks.filter((c) => c.status !== 'verified')).to.deep.equal([]);
      expect(online.onChain).to.be.true;
      expect(online.confirmations).to.equal(2); // the anchor of 9 came after it
    } finally {
      await anchorer.stop();
    }
    // a restart remembers the contract and the anchors
    const again = await openAnchorer(dataDir, anvil().url, source);
    expect(again.anchorer.contract).to.equal(anchorer.contract);
    expect(await again.anchorer.anchorNow()).to.be.undefined;
    await again.anchorer.stop();
  });

  it('survives kill -9 of itself between send and record without anchoring twice', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    const first = await openAnchorer(dataDir, anvil().url, source); // deploys, then stops
    await first.anchorer.stop();
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'support', 'anchor-then-die.ts'),
        dataDir,
        anvil().url,
        '7',
      ],
      { encoding: 'utf8', cwd: join(__dirname, '..'), timeout: 60_000 },
    );
    expect(child.signal, child.stderr).to.equal('SIGKILL');
    const pendingFile = join(dataDir, 'anchor', 'pending.json');
    expect(existsSync(pendingFile)).to.be.true; // sent, not recorded
    const { txHash } = JSON.parse(readFileSync(pendingFile, 'utf8')) as { txHash: string };
    expect(new AnchorStore(dataDir).all()).to.deep.equal([]);

    source.current = checkpointOf(7);
    const { anchorer, store, chain } = await openAnchorer(dataDir, anvil().url, source);
    try {
      expect(existsSync(pendingFile)).to.be.false;
      expect(store.all().map((a) => a.anchor.txHash)).to.deep.equal([txHash]);
      expect(store.all()[0]!.cosignedBy).to.deep.equal(checkpointOf(7).cosignedBy);
      expect(await anchorer.anchorNow()).to.be.undefined;
      const logs = await chain.anchoredLogs(anchorer.contract, ORIGIN, 0);
      expect(logs.map((l) => l.anchor.checkpoint.size)).to.deep.equal([7]);
    } finally {
      await anchorer.stop();
    }
  });

  it('finds on the chain an anchor whose record and pending file were both lost', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    source.current = checkpointOf(3);
    const first = await openAnchorer(dataDir, anvil().url, source);
    const sent = await first.anchorer.anchorNow();
    await first.anchorer.stop();
    const { rmSync } = await import('node:fs');
    rmSync(join(dataDir, 'anchor', 'anchors.jsonl'));
    const { anchorer, store } = await openAnchorer(dataDir, anvil().url, source);
    expect(store.all().map((a) => a.anchor.txHash)).to.deep.equal([sent!.anchor.txHash]);
    expect(await anchorer.anchorNow()).to.be.undefined;
    await anchorer.stop();
  });

  it('online verification refuses an anchor pointing at a different root; offline states its limits', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    source.current = checkpointOf(4);
    const { anchorer } = await openAnchorer(dataDir, anvil().url, source);
    const record = (await anchorer.anchorNow())!;
    await anchorer.stop();
    const otherRoot = bytesToBase64(new Uint8Array(32).fill(9));
    const forged = { ...record.anchor, checkpoint: { ...record.anchor.checkpoint, rootHash: otherRoot } };
    const proven = { origin: ORIGIN, size: 4, rootHash: otherRoot };
    // offline, the forged reference agrees with a bundle proving that other root: offline cannot tell
    const offline = checkAnchorOffline(forged, proven);
    expect(offline.valid).to.be.true;
    expect(offline.checks.find((c) => c.name === 'anchor.onchain')).to.deep.equal({
      name: 'anchor.onchain',
      status: 'unchecked',
      detail: OFFLINE_ANCHOR_LIMITS,
    });
    const online = await verifyAnchorOnline(forged, anvil().url, { proven });
    expect(online.valid).to.be.false;
    const event = online.checks.find((c) => c.name === 'anchor.event')!;
    expect(event.status).to.equal('failed');
    expect(event.detail)
      .to.contain(`root ${record.anchor.checkpoint.rootHash}`)
      .and.contain(`root ${otherRoot}`);
    // a wrong block hash and a missing transaction are refused too
    const wrongBlock = await verifyAnchorOnline(
      { ...record.anchor, blockHash: `0x${'00'.repeat(32)}` },
      anvil().url,
    );
    expect(wrongBlock.checks.find((c) => c.name === 'anchor.block')?.status).to.equal('failed');
    const noTx = await verifyAnchorOnline({ ...record.anchor, txHash: `0x${'00'.repeat(32)}` }, anvil().url);
    expect(noTx.checks.find((c) => c.name === 'anchor.transaction')?.status).to.equal('failed');
  });
});

describe('anchors across an anvil restart with --state (real anvil)', function () {
  this.timeout(120_000);
  let node: AnvilNode;
  before(async () => {
    node = await startAnvil({ stateFile: join(dirs.make(), 'anvil', 'state.json') });
  });
  after(() => node.stop());

  it('keeps the contract, the anchor and its receipt, and anchors on after the restart', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    source.current = checkpointOf(6);
    let opened = await openAnchorer(dataDir, node.url, source);
    const record = (await opened.anchorer.anchorNow())!;
    const contract = opened.anchorer.contract;
    await opened.anchorer.stop();

    await node.restart(); // SIGTERM: anvil dumps its state, then loads it

    const online = await verifyAnchorOnline(record.anchor, node.url, {
      proven: { origin: ORIGIN, size: 6, rootHash: hexToBytes(checkpointOf(6).root) },
    });
    expect(online.checks.filter((c) => c.status !== 'verified')).to.deep.equal([]);
    source.current = checkpointOf(8);
    opened = await openAnchorer(dataDir, node.url, source);
    try {
      expect(opened.anchorer.contract).to.equal(contract); // not redeployed
      expect((await opened.anchorer.anchorNow())?.anchor.checkpoint.size).to.equal(8);
    } finally {
      await opened.anchorer.stop();
    }
  });
});

describe('ledger anchors verify (real anvil)', function () {
  this.timeout(120_000);
  const anvil = useAnvil();

  it('exits 0 with every anchor on chain, 4 when checked offline only, 2 when a record names another root', async () => {
    const dataDir = dirs.make();
    const source = new TestSource();
    const { anchorer } = await openAnchorer(dataDir, anvil().url, source);
    for (const size of [2, 4]) {
      source.current = checkpointOf(size);
      await anchorer.anchorNow();
    }
    await anchorer.stop();
    const env = { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_ANCHOR_RPC: '' };

    const online = await runCli(['anchors', 'verify', '--rpc', anvil().url], env);
    expect(online.status, online.stderr).to.equal(0);
    expect(online.stdout).to.contain(`2 anchor(s), checked against ${anvil().url}`);
    expect(online.stdout.match(/^ON CHAIN +size \d+/gm)).to.have.length(2);

    // the RPC the hub last used is the default; without it, offline only
    const contractFile = join(dataDir, 'anchor', 'contract.json');
    const { rpcUrl: _rpc, ...contract } = JSON.parse(readFileSync(contractFile, 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(contractFile, JSON.stringify(contract));
    const offline = await runCli(['anchors', 'verify'], env);
    expect(offline.status, offline.stderr).to.equal(4);
    expect(offline.stdout).to.contain('checked offline only (no RPC)');
    expect(offline.stdout).to.contain(`anchor.onchain: unchecked - ${OFFLINE_ANCHOR_LIMITS}`);

    const file = join(dataDir, 'anchor', 'anchors.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as { anchor: { checkpoint: { rootHash: string } } };
    first.anchor.checkpoint.rootHash = bytesToBase64(new Uint8Array(32).fill(1));
    writeFileSync(file, `${[JSON.stringify(first), ...lines.slice(1)].join('\n')}\n`);
    const tampered = await runCli(['anchors', 'verify', '--rpc', anvil().url, '--json'], env);
    expect(tampered.status, tampered.stderr).to.equal(2);
    const report = JSON.parse(tampered.stdout) as {
      results: { size: number; verdict: { valid: boolean; checks: { name: string; status: string }[] } }[];
    };
    expect(report.results.map((r) => r.verdict.valid)).to.deep.equal([false, true]);
    expect(report.results[0]!.verdict.checks.find((c) => c.name === 'anchor.event')?.status).to.equal(
      'failed',
    );
  });
});
