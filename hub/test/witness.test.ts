/**
 * The C2SP tlog-witness of each region, driven over HTTP as a log drives it: a split view, a consistency
 * proof off by one, a checkpoint signed by the wrong key, a replayed cosignature, and kill -9 of a real
 * witness process (its state must survive, so a rolled-back tree is still refused).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  consistencyProof,
  formatAddCheckpoint,
  formatCheckpoint,
  leafHash,
  MemoryTree,
  signNote,
  TLOG_SIZE_CONTENT_TYPE,
  utf8Encode,
  verifyCosignedCheckpoint,
  type NoteSigner,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { generateEd25519Key, registerNativeEd25519 } from '../src/tlog/ed25519-key';
import { logIdentityOf, witnessIdentity } from '../src/tlog/tlog-identity';
import { Witness } from '../src/witness/witness';
import { listenWitness, type RunningWitnessServer } from '../src/witness/witness-server';
import { TempDirs } from './support/temp-dirs';

const HUB = join(__dirname, '..');

/** A log that can sign any tree it likes: an honest one, or a fork. */
function treeOf(prefix: string, size: number, base: readonly string[] = []): MemoryTree {
  const leaves = [...base];
  while (leaves.length < size) leaves.push(`${prefix}-${leaves.length}`);
  return new MemoryTree(leaves.map((l) => leafHash(utf8Encode(l))));
}
const leavesOf = (prefix: string, size: number): string[] =>
  Array.from({ length: size }, (_, i) => `${prefix}-${i}`);

function checkpointOf(signer: NoteSigner, tree: MemoryTree, size: number): string {
  return signNote(formatCheckpoint({ origin: signer.name, size, root: tree.root(size) }), [signer]);
}

async function submit(url: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

function addRequest(signer: NoteSigner, tree: MemoryTree, oldSize: number, size: number): string {
  const proof = oldSize > 0 ? consistencyProof(tree, oldSize, size) : [];
  return formatAddCheckpoint({ oldSize, proof, checkpoint: checkpointOf(signer, tree, size) });
}

describe('regional witnesses (C2SP tlog-witness)', function () {
  this.timeout(120_000);
  const dirs = new TempDirs();
  const log = logIdentityOf(generateEd25519Key(), 'BJ');
  let server: RunningWitnessServer;
  let witnessDir: string;

  before(async () => {
    registerNativeEd25519();
    witnessDir = dirs.make('witness-');
    const identity = witnessIdentity(witnessDir, 'TJ');
    server = await listenWitness(
      new Witness(witnessDir, identity.signer, [log.verifier]),
      identity.verifier.vkey,
    );
  });
  after(async () => {
    await server.close();
    dirs.removeAll();
  });

  it('cosigns a first checkpoint and then a consistent extension, and the cosignatures verify', async () => {
    const tree = treeOf('a', 12);
    const first = await submit(server.url, addRequest(log.signer, tree, 0, 5));
    expect(first.status, first.text).to.equal(200);
    expect(first.text).to.match(/^\u2014 tj\.approval-ledger\.example\/witness \S+\n$/u);
    const second = await submit(server.url, addRequest(log.signer, tree, 5, 8));
    expect(second.status, second.text).to.equal(200);
    const witnessKey = witnessIdentity(witnessDir, 'TJ').verifier;
    const cosigned = checkpointOf(log.signer, tree, 8) + second.text;
    const verified = verifyCosignedCheckpoint(cosigned, {
      logKeys: [log.verifier],
      witnessKeys: [witnessKey],
      quorum: 1,
    });
    expect(verified.ok, JSON.stringify(verified)).to.equal(true);
  });

  it('refuses a split view: another tree of the same size (409), and a fork grown from it (422)', async () => {
    const fork = treeOf('fork', 10);
    const sameSize = await submit(server.url, addRequest(log.signer, fork, 8, 8));
    expect(sameSize.status).to.equal(409);
    expect(sameSize.type).to.equal(TLOG_SIZE_CONTENT_TYPE);
    expect(sameSize.text).to.equal('8\n');
    const fromZero = await submit(server.url, addRequest(log.signer, fork, 0, 10));
    expect(fromZero.status).to.equal(409);
    expect(fromZero.text).to.equal('8\n');
    const grown = await submit(server.url, addRequest(log.signer, fork, 8, 10));
    expect(grown.status).to.equal(422);
  });

  it('refuses a consistency proof off by one (422) and an old size above the checkpoint (400)', async () => {
    const tree = treeOf('a', 12);
    const offByOne = formatAddCheckpoint({
      oldSize: 8,
      proof: consistencyProof(tree, 7, 11),
      checkpoint: checkpointOf(log.signer, tree, 11),
    });
    expect((await submit(server.url, offByOne)).status).to.equal(422);
    const toOne = formatAddCheckpoint({
      oldSize: 8,
      proof: consistencyProof(tree, 8, 10),
      checkpoint: checkpointOf(log.signer, tree, 11),
    });
    expect((await submit(server.url, toOne)).status).to.equal(422);
    const above = formatAddCheckpoint({
      oldSize: 9,
      proof: [],
      checkpoint: checkpointOf(log.signer, tree, 8),
    });
    expect((await submit(server.url, above)).status).to.equal(400);
  });

  it('refuses a checkpoint signed by a wrong key (403) and an unknown origin (404)', async () => {
    const tree = treeOf('a', 12);
    const rogue = logIdentityOf(generateEd25519Key(), 'BJ');
    const impostor: NoteSigner = { ...rogue.signer, name: log.name };
    const wrongKey = await submit(server.url, addRequest(impostor, tree, 8, 9));
    expect(wrongKey.status, wrongKey.text).to.equal(403);
    const unknown = await submit(server.url, addRequest(rogue.signer, tree, 0, 9));
    expect(unknown.status).to.equal(404);
    expect((await submit(server.url, 'old 0\nnot a checkpoint')).status).to.equal(400);
  });

  it('gives a cosignature that does not verify when replayed onto a newer checkpoint', async () => {
    const tree = treeOf('a', 12);
    const answer = await submit(server.url, addRequest(log.signer, tree, 8, 9));
    expect(answer.status).to.equal(200);
    const witnessKey = witnessIdentity(witnessDir, 'TJ').verifier;
    const trust = { logKeys: [log.verifier], witnessKeys: [witnessKey], quorum: 1 };
    expect(verifyCosignedCheckpoint(checkpointOf(log.signer, tree, 9) + answer.text, trust).ok).to.equal(
      true,
    );
    const replayed = verifyCosignedCheckpoint(checkpointOf(log.signer, tree, 10) + answer.text, trust);
    expect(replayed).to.include({ ok: false, rule: 'note.bad-signature' });
  });
});

describe('a witness process killed with SIGKILL', function () {
  this.timeout(180_000);
  const dirs = new TempDirs();
  const log = logIdentityOf(generateEd25519Key(), 'BJ');
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGKILL');
    dirs.removeAll();
  });

  function startWitnessProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
    const proc = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        'src/cli/ledger.ts',
        'witness',
        '--region',
        'HE',
        '--dir',
        dir,
        '--log',
        log.verifier.vkey,
      ],
      {
        cwd: HUB,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve({ child: proc, url: (JSON.parse(line) as { url: string }).url });
      });
      proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      proc.once('exit', (code) => reject(new Error(`witness exited ${code}: ${err}`)));
    });
  }

  async function kill(proc: ChildProcess): Promise<void> {
    proc.removeAllListeners('exit');
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }

  it('keeps what it cosigned: after kill -9 mid-stream it still refuses the rolled-back tree', async () => {
    const dir = dirs.make('witness-kill-');
    const tree = treeOf('honest', 6000);
    let run = await startWitnessProcess(dir);
    // cosign a growing tree as fast as the log can ask; kill -9 while requests are in flight
    let acknowledged = 0;
    const stream = (async () => {
      for (let size = 1; size <= 5000; size++) {
        const answer = await submit(run.url, addRequest(log.signer, tree, acknowledged, size)).catch(
          () => undefined,
        );
        if (!answer) return;
        expect(answer.status, answer.text).to.equal(200);
        acknowledged = size;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await kill(run.child);
    await stream;
    expect(acknowledged).to.be.greaterThan(0).and.lessThan(5000); // killed mid-stream
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      logs: Record<string, { size: number }>;
    };
    const kept = state.logs[log.name]!.size;
    // a cosignature given is never forgotten; at most the one being answered when killed is also kept
    expect(kept).to.be.oneOf([acknowledged, acknowledged + 1]);

    run = await startWitnessProcess(dir);
    const rolledBack = await submit(run.url, addRequest(log.signer, tree, 0, kept - 1));
    expect(rolledBack.status).to.equal(409);
    expect(rolledBack.text).to.equal(`${kept}\n`);
    const rolledBackClaimingOld = await submit(
      run.url,
      addRequest(log.signer, treeOf('other', kept), kept, kept),
    );
    expect(rolledBackClaimingOld.status).to.equal(409);
    const fork = treeOf('fork', kept + 5, leavesOf('honest', kept - 1));
    const forked = formatAddCheckpoint({
      oldSize: kept,
      proof: consistencyProof(fork, kept, kept + 5),
      checkpoint: checkpointOf(log.signer, fork, kept + 5),
    });
    expect((await submit(run.url, forked)).status).to.equal(422);
    const honest = await submit(run.url, addRequest(log.signer, tree, kept, kept + 10));
    expect(honest.status, honest.text).to.equal(200);
    await kill(run.child);
    child = undefined;
  });
});
