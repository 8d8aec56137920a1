/**
 * Proof bundles v2 carry the public anchor in practice: anchoring lags the checkpoints, so the bundle of a
 * record carries the older anchored checkpoint covering its block, proven against the bundle's newer
 * checkpoint. End to end over the embedded ledger, the checkpointer with Tianjin's and Hebei's witnesses over
 * HTTP, and the anchorer on a real anvil: the bundle verifies offline (the anchor named, not proven), online
 * against the anvil (proven), a record newer than the last anchor says "not yet anchored", and the chain
 * refuses what offline checks cannot see: a reference to another anchor's transaction, a note other than the
 * one anchored.
 */
import {
  type AnyProofBundle,
  type ProofBundleV2,
  type ProofVerdict,
  parseNote,
  verifyProofBundle,
  verifyPublicAnchorOnline,
} from '@approval-ledger/protocol';
import { useAnvil } from '@approval-ledger/testkit';
import { expect } from 'chai';
import { type CheckpointAnchorer } from '../src/anchor/checkpoint-anchorer';
import { type LedgerIdentity } from '../src/ledger';
import { type Checkpointer } from '../src/tlog/checkpointer';
import { buildProofBundleV2 } from '../src/verification/proof-bundle-v2';
import { openAnchorer } from './support/anchor-fixtures';
import { certificate, certificateAnchorOf, grant } from './support/approval-records';
import { openProofHarness, type ProofHarness } from './support/proof-harness';
import { TempDirs } from './support/temp-dirs';

const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_HC: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'HC' };

const levelOf = (v: ProofVerdict) => v.assurance?.levels.find((l) => l.level === 'public-anchor');
const failedOf = (v: ProofVerdict) => v.checks.filter((c) => c.status === 'failed').map((c) => c.name);

describe('proof bundles v2 carry the public anchor of an older checkpoint (real anvil)', function () {
  this.timeout(180_000);
  const anvil = useAnvil();
  const dirs = new TempDirs();
  let h: ProofHarness;
  let checkpointer: Checkpointer;
  let anchorer: CheckpointAnchorer;
  const early = certificate(911);
  const late = certificate(912);
  const issued = new Map<string, string>();

  async function issue(c: ReturnType<typeof certificate>): Promise<void> {
    issued.set(c.number, (await h.ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(c)])).txId);
  }

  function bundleOf(c: ReturnType<typeof certificate>): Promise<ProofBundleV2 | undefined> {
    const evidence = (last: number): Promise<AnyProofBundle> =>
      h.builder.build({
        kind: 'certificate',
        id: c.number,
        anchor: JSON.parse(certificateAnchorOf(c)) as Record<string, unknown>,
        txId: issued.get(c.number)!,
        status: 'valid',
        chainTo: last,
      });
    return buildProofBundleV2(checkpointer, evidence, anchorer);
  }

  before(async () => {
    h = await openProofHarness(dirs, 'anchored-bundles-');
    checkpointer = await h.openCheckpointer();
    checkpointer.start();
    const source = {
      origin: checkpointer.origin,
      latest: () => checkpointer.latest(),
      witnessCount: h.witnesses.length,
    };
    ({ anchorer } = await openAnchorer(h.dataDir, anvil().url, source));
    await h.ledger.submit(BJ_ADMIN, 'issuers:Grant', [
      grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
    ]);
    await issue(early);
    await h.publishAll(checkpointer);
    const anchored = await anchorer.anchorNow();
    expect(anchored, 'the first checkpoint is anchored').to.not.equal(undefined);
    await issue(late);
    await h.publishAll(checkpointer);
  });

  after(async () => {
    await anchorer?.stop();
    await checkpointer?.stop();
    await h?.close();
    dirs.removeAll();
  });

  it('carries the older anchored checkpoint and proves the record in it offline, saying what that does not prove', async () => {
    const bundle = (await bundleOf(early))!;
    const anchoredSize = anchorer.latest()!.anchor.checkpoint.size;
    expect(bundle.anchor?.reference).to.deep.equal(anchorer.latest()!.anchor);
    expect(bundle.anchor!.reference.checkpoint.size).to.be.lessThan(checkpointer.latest()!.size);
    expect(bundle.anchor!.consistency).to.not.deep.equal([]);
    const verdict = verifyProofBundle(bundle, await h.pinned());
    expect(failedOf(verdict)).to.deep.equal([]);
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.assurance?.anchor?.state).to.equal('offline');
    expect(levelOf(verdict)).to.include({ status: 'not-proven' });
    expect(levelOf(verdict)?.detail).to.contain(`is in checkpoint ${anchoredSize} of`);
    expect(levelOf(verdict)?.detail).to.contain('not checked offline');
  });

  it('proves the anchor on chain against the anvil: the event names the anchored checkpoint and note', async () => {
    const verdict = verifyProofBundle((await bundleOf(early))!, await h.pinned());
    const online = await verifyPublicAnchorOnline(verdict, anvil().url);
    expect(failedOf(online)).to.deep.equal([]);
    expect(online).to.include({ ok: true, status: 'valid' });
    expect(online.assurance?.anchor?.state).to.equal('on-chain');
    expect(online.assurance?.anchor?.confirmations).to.be.at.least(1);
    expect(levelOf(online)?.status).to.equal('proven');
    expect(online.checks.filter((c) => c.name.startsWith('anchor.')).map((c) => c.name)).to.include.members([
      'anchor.note',
      'anchor.inclusion',
      'anchor.consistency',
      'anchor.checkpoint',
      'anchor.chain',
      'anchor.transaction',
      'anchor.block',
      'anchor.event',
    ]);
    expect(online.assurance?.summary.join('\n')).to.match(/anchored on chain 31337 at block \d+/);
  });

  it('says "not yet anchored", not failed, for a record newer than the last anchor', async () => {
    const bundle = (await bundleOf(late))!;
    expect(bundle.anchor).to.equal(undefined);
    const verdict = verifyProofBundle(bundle, await h.pinned());
    expect(verdict).to.include({ ok: true, status: 'valid' });
    expect(verdict.assurance?.anchor?.state).to.equal('not-anchored');
    expect(levelOf(verdict)?.detail).to.match(/^not yet anchored/);
  });

  it('refuses on chain an anchor reference to another anchor’s transaction (another size and root)', async () => {
    const first = (await bundleOf(early))!;
    const second = await anchorer.anchorNow();
    expect(second?.anchor.checkpoint.size).to.be.greaterThan(first.anchor!.reference.checkpoint.size);
    const { checkpoint, ...otherTransaction } = second!.anchor;
    void checkpoint;
    const forged: ProofBundleV2 = {
      ...first,
      anchor: { ...first.anchor!, reference: { ...first.anchor!.reference, ...otherTransaction } },
    };
    const offline = verifyProofBundle(forged, await h.pinned());
    expect(failedOf(offline), 'offline cannot see it').to.deep.equal([]);
    const online = await verifyPublicAnchorOnline(offline, anvil().url);
    expect(failedOf(online)).to.deep.equal(['anchor.event']);
    expect(online.status).to.equal('invalid');
    expect(levelOf(online)?.status).to.equal('failed');
    expect(levelOf(online)?.detail).to.match(/the contract recorded .* size \d+ root .*, the anchor names/);
  });

  it('refuses on chain an anchored note other than the one anchored (its cosignatures stripped)', async () => {
    const bundle = (await bundleOf(early))!;
    const note = parseNote(bundle.anchor!.note);
    // the log's own signature only: still a checkpoint the pinned key signed, so offline passes
    const logOnly = `${note.text}\n${bundle.anchor!.note.split('\n\n')[1]!.split('\n')[0]}\n`;
    expect(parseNote(logOnly).signatures).to.have.length(1);
    const forged: ProofBundleV2 = { ...bundle, anchor: { ...bundle.anchor!, note: logOnly } };
    const offline = verifyProofBundle(forged, await h.pinned());
    expect(failedOf(offline)).to.deep.equal([]);
    const online = await verifyPublicAnchorOnline(offline, anvil().url);
    expect(failedOf(online)).to.deep.equal(['anchor.event']);
    expect(online.checks.find((c) => c.name === 'anchor.event')?.detail).to.match(/note hash/);
  });

  it('keeps the anchored note across a restart of the anchorer', async () => {
    const size = anchorer.latest()!.anchor.checkpoint.size;
    const note = anchorer.covering(size - 1, size)?.note;
    expect(note).to.be.a('string');
    await anchorer.stop();
    ({ anchorer } = await openAnchorer(h.dataDir, anvil().url, {
      origin: checkpointer.origin,
      latest: () => checkpointer.latest(),
      witnessCount: h.witnesses.length,
    }));
    expect(anchorer.covering(size - 1, size)?.note).to.equal(note);
  });
});
