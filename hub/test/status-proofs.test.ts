/**
 * Status proofs end to end over the embedded ledger: a certificate issued and revoked through the chaincode,
 * the chain index following the blocks, the checkpointer committing to the status tree in each checkpoint
 * (cosigned by Tianjin's and Hebei's witnesses over HTTP), the v2 bundle built from the blocks and the log,
 * and the protocol verifier pinned to the trust anchors: revoked stays revoked when the revocation is
 * stripped from the evidence, the status of an earlier checkpoint is served exactly after a restart, and
 * the status line is what the witnesses cosigned. Run on a chain of each crypto suite (国密 `gm`: SM3 blocks and
 * Merkle paths, SM2 signatures), whose v2 bundles verify only where that suite is accepted.
 */
import {
  CRYPTO_SUITE_NAMES,
  type AnyProofBundle,
  type ProofBundleV2,
  parseStatusExtension,
  parseCheckpoint,
  parseNote,
  verifyProofBundle,
  verifyCosignedCheckpoint,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { type LedgerIdentity } from '../src/ledger';
import { buildProofBundleV2 } from '../src/verification/proof-bundle-v2';
import { certificate, certificateAnchorOf, grant, revocationOf } from './support/approval-records';
import { openProofHarness, type ProofHarness } from './support/proof-harness';
import { TempDirs } from './support/temp-dirs';

const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_HC: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'HC' };

for (const suite of CRYPTO_SUITE_NAMES)
  describe(`status proofs (${suite}): checkpoints commit to the revocations, bundles v2 prove them`, function () {
    this.timeout(180_000);
    const dirs = new TempDirs();
    let h: ProofHarness;
    const revoked = certificate(901);
    const valid = certificate(902);
    const issued = new Map<string, string>();
    let revocationTx = '';

    async function evidenceOf(
      number: string,
      lastBlock: number,
      revocation?: string,
    ): Promise<AnyProofBundle> {
      const anchor = JSON.parse(certificateAnchorOf(number === revoked.number ? revoked : valid)) as Record<
        string,
        unknown
      >;
      return h.builder.build({
        kind: 'certificate',
        id: number,
        anchor,
        txId: issued.get(number)!,
        ...(revocation ? { revocationTxId: revocation } : {}),
        status: revocation ? 'revoked' : 'valid',
        chainTo: lastBlock,
      });
    }

    before(async () => {
      h = await openProofHarness(dirs, 'status-proofs-', { cryptoSuite: suite });
      await h.ledger.submit(BJ_ADMIN, 'issuers:Grant', [
        grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
      ]);
      for (const c of [revoked, valid]) {
        issued.set(
          c.number,
          (await h.ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(c)])).txId,
        );
      }
      revocationTx = (await h.ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(revoked)])).txId;
    });

    after(async () => {
      await h?.close();
      dirs.removeAll();
    });

    let firstSize = 0;
    let firstStatusRoot = '';

    it('commits the status tree in a checkpoint line the witnesses cosign, and proves revoked and not revoked', async () => {
      const checkpointer = await h.openCheckpointer();
      checkpointer.start();
      try {
        firstSize = await h.publishAll(checkpointer);
        const latest = checkpointer.latest()!;
        const trust = await h.pinned();
        const cosigned = verifyCosignedCheckpoint(latest.cosigned, trust.tlog!);
        expect(cosigned.ok, JSON.stringify(cosigned)).to.equal(true);
        const commitment = parseStatusExtension(parseCheckpoint(parseNote(latest.cosigned).text).extensions);
        expect(commitment?.size).to.equal(1);
        firstStatusRoot = latest.status!.root;

        const answer = checkpointer.statusProof('certificate', revoked.number);
        expect(answer.proof.member?.entry).to.include({ txId: revocationTx, status: 'REVOKED' });

        const v2 = (await buildProofBundleV2(checkpointer, (last) =>
          evidenceOf(revoked.number, last, revocationTx),
        ))!;
        const verdict = verifyProofBundle(v2, trust);
        expect(verdict.checks.filter((c) => c.status === 'failed')).to.deep.equal([]);
        expect(verdict.status).to.equal('revoked');
        expect(verdict.assurance?.statusProof).to.equal('current');
        expect(verdict.suite).to.equal(suite);
        // a verifier not told to accept the chain's suite refuses the bundle, naming the suite
        const other = CRYPTO_SUITE_NAMES.filter((name) => name !== suite);
        const refused = verifyProofBundle(v2, { ...trust, acceptedSuites: other });
        expect(refused.ok).to.equal(false);
        expect(refused.checks.find((c) => c.name === 'bundle.suite')).to.deep.include({
          status: 'failed',
          detail: `ledger.suite: crypto suite "${suite}" is not accepted here (accepted: ${other.join(', ')})`,
        });

        const ok = verifyProofBundle(
          (await buildProofBundleV2(checkpointer, (last) => evidenceOf(valid.number, last)))!,
          trust,
        );
        expect(ok).to.include({ ok: true, status: 'valid' });
        expect(ok.assurance?.summary.join('\n')).to.contain(`not revoked as of checkpoint ${firstSize}`);
      } finally {
        await checkpointer.stop();
      }
    });

    it('still says revoked when a forger strips the revocation from the evidence', async () => {
      const checkpointer = await h.openCheckpointer();
      try {
        const v2 = (await buildProofBundleV2(checkpointer, (last) =>
          evidenceOf(revoked.number, last, revocationTx),
        ))!;
        const { revocation: _gone, ...evidence } = v2.evidence;
        const stripped: ProofBundleV2 = { ...v2, evidence };
        const verdict = verifyProofBundle(stripped, await h.pinned());
        expect(verdict.status).to.equal('revoked');
        expect(verdict.revokedBy?.txId).to.equal(revocationTx);
      } finally {
        await checkpointer.stop();
      }
    });

    it('after a restart serves the earlier checkpoint’s status exactly, and a later checkpoint has the new revocation', async () => {
      const later = (await h.ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(valid)])).txId;
      const checkpointer = await h.openCheckpointer();
      checkpointer.start();
      try {
        const before = checkpointer.statusProof('certificate', valid.number, firstSize);
        expect(before.statusRoot).to.equal(firstStatusRoot);
        expect(before.proof.member).to.equal(undefined);
        const size = await h.publishAll(checkpointer);
        expect(size).to.be.greaterThan(firstSize);
        const after = checkpointer.statusProof('certificate', valid.number, size);
        expect(after.proof.member?.entry.txId).to.equal(later);
        expect(checkpointer.statusProof('certificate', valid.number, firstSize).statusRoot).to.equal(
          firstStatusRoot,
        );
      } finally {
        await checkpointer.stop();
      }
    });
  });
