/**
 * Every version of a corrected record (更正) provable, over the embedded ledger and the real chaincode: a
 * certificate issued, then corrected to version 2; the chain index keeps both versions' anchoring, the
 * checkpointer commits to a status tree holding version 1's SUPERSEDED leaf (cosigned by Tianjin's and
 * Hebei's witnesses over HTTP), and the protocol verifier, pinned to the trust anchors, reads a v2 bundle of
 * version 1 as superseded by version 2 and one of version 2 as the latest; a bundle of version 1 whose
 * supersession proof is stripped is never current.
 */
import { join } from 'node:path';
import {
  type AnyProofBundle,
  type Certificate,
  type ProofBundleV2,
  verifyProofBundle,
} from '@approval-ledger/protocol';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { type LedgerIdentity } from '../src/ledger';
import { type Checkpointer } from '../src/tlog/checkpointer';
import { ChainIndex } from '../src/verification/chain-index';
import { UnsupportedProofError } from '../src/verification/proof-bundle-builder';
import { buildProofBundleV2 } from '../src/verification/proof-bundle-v2';
import { certificate, certificateAnchorOf, grant } from './support/approval-records';
import { openProofHarness, type ProofHarness } from './support/proof-harness';
import { TempDirs } from './support/temp-dirs';

const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_HC: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'HC' };

describe('version proofs: every version of a corrected record provable, and whether it is the latest', function () {
  this.timeout(180_000);
  const dirs = new TempDirs();
  let h: ProofHarness;
  let checkpointer: Checkpointer;
  let size = 0;
  const v1 = certificate(931);
  let v2: Certificate;
  const tx: string[] = [];

  /** The v2 bundle of one version, from what the chain index keeps of it. */
  async function bundleOfVersion(version: number): Promise<ProofBundleV2> {
    const anchored = h.index.version('certificate', v1.number, version)!;
    const current = h.index.get('certificate', v1.number)!;
    const latest = anchored.txId === current.txId;
    const evidence = (last: number): Promise<AnyProofBundle> =>
      h.builder.build({
        kind: 'certificate',
        id: v1.number,
        anchor: JSON.parse(anchored.anchorJson) as Record<string, unknown>,
        txId: anchored.txId,
        status: latest ? 'valid' : 'superseded',
        latest,
        chainTo: last,
      });
    return (await buildProofBundleV2(checkpointer, evidence))!;
  }

  before(async () => {
    h = await openProofHarness(dirs, 'version-proofs-');
    await h.ledger.submit(BJ_ADMIN, 'issuers:Grant', [
      grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
    ]);
    tx.push((await h.ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(v1)])).txId);
    const corrects = (JSON.parse(certificateAnchorOf(v1)) as { commitment: string }).commitment;
    v2 = {
      ...v1,
      validUntil: '2028-03-06T16:30:00+08:00',
      version: 2,
      corrects,
      correctionReason: '更正：有效期录入有误',
      source: { ...v1.source, version: 2 },
    };
    tx.push((await h.ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(v2)])).txId);
    checkpointer = await h.openCheckpointer();
    checkpointer.start();
    size = await h.publishAll(checkpointer);
  });

  after(async () => {
    await checkpointer?.stop();
    await h?.close();
    dirs.removeAll();
  });

  it('rebuilds from block 0 an index written before it kept versions', () => {
    const file = join(dirs.make('old-index-'), 'chain-index.sqlite');
    const old = ChainIndex.open(file);
    const block = { number: 0, hash: 'h', previousHash: '', dataHash: 'd', txCount: 0, validTxCount: 0 };
    old.applyBlock(
      { ...block, records: 0, time: null, signers: [] },
      { anchors: [], revocations: [], recognitions: [], decisions: [] },
    );
    expect(old.nextBlock).to.equal(1);
    old.close();
    const db = new Database(file);
    db.exec('DROP TABLE anchor_versions');
    db.close();
    const reopened = ChainIndex.open(file);
    expect(reopened.nextBlock).to.equal(0);
    expect(reopened.blocks(undefined, 10)).to.deep.equal([]);
    reopened.close();
  });

  it('keeps every version’s anchoring in the chain index, the current one under the key', () => {
    const versions = h.index.versions('certificate', v1.number);
    expect(versions.map((v) => [v.version, v.txId])).to.deep.equal([
      [1, tx[0]],
      [2, tx[1]],
    ]);
    expect(h.index.get('certificate', v1.number)?.txId).to.equal(tx[1]);
  });

  it('commits version 1’s supersession by version 2 to the checkpoint’s status tree', () => {
    const anchored = h.index.version('certificate', v1.number, 2)!;
    const answer = checkpointer.statusProof('certificate', v1.number, size, 1);
    expect(answer.proof.member?.entry).to.deep.equal({
      kind: 'certificate',
      id: v1.number,
      status: 'SUPERSEDED',
      version: 1,
      supersededBy: 2,
      txId: tx[1],
      block: anchored.blockNumber,
    });
    expect(checkpointer.statusProof('certificate', v1.number, size, 2).proof.member).to.equal(undefined);
    expect(checkpointer.statusProof('certificate', v1.number, size).proof.member).to.equal(undefined);
  });

  it('verifies a v2 bundle of version 1 as superseded by version 2 at the checkpoint', async () => {
    const bundle = await bundleOfVersion(1);
    expect((bundle.evidence as { statement: unknown }).statement).to.include({
      version: 1,
      latest: false,
      status: 'superseded',
    });
    const verdict = verifyProofBundle(bundle, await h.pinned());
    expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'superseded' });
    expect(verdict.version).to.deep.equal({
      number: 1,
      latest: false,
      basis: 'checkpoint',
      supersededBy: {
        version: 2,
        txId: tx[1],
        block: h.index.version('certificate', v1.number, 2)!.blockNumber,
      },
      asOfCheckpoint: size,
    });
  });

  it('verifies a v2 bundle of version 2 as valid and the latest as of the checkpoint', async () => {
    const verdict = verifyProofBundle(await bundleOfVersion(2), await h.pinned());
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.version).to.include({
      number: 2,
      latest: true,
      basis: 'checkpoint',
      asOfCheckpoint: size,
    });
  });

  it('never reads version 1 as current when a forger strips its supersession, nor with version 2’s proof', async () => {
    const bundle = await bundleOfVersion(1);
    const { supersession: _gone, ...stripped } = bundle;
    const withoutIt = verifyProofBundle(stripped, await h.pinned());
    expect(withoutIt.status).to.equal('status-unknown');
    expect(withoutIt.version).to.deep.equal({ number: 1, basis: 'none' });
    // the hub's statement is in the evidence; a forger rewrites it too
    const evidence = { ...stripped.evidence, statement: { status: 'valid', version: 1, latest: true } };
    expect(verifyProofBundle({ ...stripped, evidence }, await h.pinned()).status).to.equal('status-unknown');
    const swapped = { ...bundle, supersession: (await bundleOfVersion(2)).supersession };
    const verdict = verifyProofBundle(swapped, await h.pinned());
    expect(verdict.status).to.equal('invalid');
    expect(verdict.checks.find((c) => c.name === 'status.version')?.status).to.equal('failed');
  });

  it('has no v2 bundle of a version corrected after the latest checkpoint until a checkpoint covers the correction', async () => {
    const corrects = (JSON.parse(certificateAnchorOf(v2)) as { commitment: string }).commitment;
    const v3: Certificate = {
      ...v2,
      validUntil: '2029-03-06T16:30:00+08:00',
      version: 3,
      corrects,
      correctionReason: '更正：有效期再次录入有误',
      source: { ...v1.source, version: 3 },
    };
    const third = await h.ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(v3)]);
    await h.indexer.waitFor(third.blockNumber);
    // the latest checkpoint has version 2 as the latest; the hub knows version 3 superseded it
    expect(checkpointer.latest()?.size).to.equal(size);
    expect(checkpointer.statusProof('certificate', v1.number, size, 2).proof.member).to.equal(undefined);
    let refusal: unknown;
    await bundleOfVersion(2).catch((error: unknown) => (refusal = error));
    expect(refusal).to.be.instanceOf(UnsupportedProofError);
    expect(String(refusal)).to.match(
      /version 2 of certificate .* is superseded by a version no checkpoint covers yet/,
    );
    // the next checkpoint covers it: version 2 verifies as superseded by version 3
    const covering = await h.publishAll(checkpointer);
    const verdict = verifyProofBundle(await bundleOfVersion(2), await h.pinned());
    expect(verdict).to.include({ ok: true, status: 'superseded' });
    expect(verdict.version).to.deep.include({ number: 2, latest: false, asOfCheckpoint: covering });
    expect(verdict.version?.supersededBy).to.include({ version: 3, txId: third.txId });
  });
});
