/**
 * Status proofs end to end over the embedded ledger: a certificate issued and revoked through the chaincode,
 * the chain index following the blocks, the checkpointer committing to the status tree in each checkpoint
 * (cosigned by Tianjin's and Hebei's witnesses over HTTP), the v2 bundle built from the blocks and the log,
 * and the protocol verifier pinned to the trust anchors: revoked stays revoked when the revocation is
 * stripped from the evidence, the status of an earlier checkpoint is served exactly after a restart, and
 * the status line is what the witnesses cosigned. Run on a chain of each crypto suite (国密 `gm`: SM3 blocks and
 * Merkle paths, SM2 signatures), whose v2 bundles verify only where that suite is accepted.
 */
import { join } from 'node:path';
import {
  CRYPTO_SUITE_NAMES,
  type AnyProofBundle,
  type ProofBundleV2,
  parseStatusExtension,
  parseCheckpoint,
  parseNote,
  verifyProofBundle,
  verifyCosignedCheckpoint,
  type VerifyProofOptions,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { pino } from 'pino';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { type LedgerIdentity } from '../src/ledger';
import { Checkpointer, type CheckpointerOptions } from '../src/tlog/checkpointer';
import { registerNativeEd25519 } from '../src/tlog/ed25519-key';
import { logIdentity } from '../src/tlog/tlog-identity';
import { type WitnessEndpoint } from '../src/tlog/witness-client';
import { ChainIndex } from '../src/verification/chain-index';
import { ChainIndexer } from '../src/verification/chain-indexer';
import { ProofBundleBuilder } from '../src/verification/proof-bundle-builder';
import { buildProofBundleV2 } from '../src/verification/proof-bundle-v2';
import { statusEntries } from '../src/verification/status-entries';
import { certificate, certificateAnchorOf, grant, revocationOf } from './support/approval-records';
import { listenRegionalWitnesses, type RegionalWitnesses } from './support/regional-witnesses';
import { TempDirs } from './support/temp-dirs';

const logger = pino({ level: 'silent' });
const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_HC: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'HC' };

for (const suite of CRYPTO_SUITE_NAMES)
  describe(`status proofs (${suite}): checkpoints commit to the revocations, bundles v2 prove them`, function () {
    this.timeout(180_000);
    const dirs = new TempDirs();
    let regional: RegionalWitnesses | undefined;
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let index: ChainIndex;
    let indexer: ChainIndexer;
    let witnesses: WitnessEndpoint[];
    let builder: ProofBundleBuilder;
    const revoked = certificate(901);
    const valid = certificate(902);
    const issued = new Map<string, string>();
    let revocationTx = '';

    const options = (): CheckpointerOptions => ({
      region: 'BJ',
      everyBlocks: 10_000,
      everyMs: 3_600_000,
      witnesses,
      record: false,
      status: {
        entriesAt: async (size) => {
          await indexer.waitFor(size - 1);
          return statusEntries(index, size);
        },
      },
    });

    async function pinned(): Promise<VerifyProofOptions> {
      return {
        trustedGenesisHash: (await ledger.getBlock(0)).hash,
        acceptedSuites: [suite],
        tlog: {
          logKeys: [logIdentity(dataDir, 'BJ').verifier],
          witnessKeys: witnesses.map((w) => w.key),
          quorum: 2,
        },
      };
    }

    async function evidenceOf(
      number: string,
      lastBlock: number,
      revocation?: string,
    ): Promise<AnyProofBundle> {
      const anchor = JSON.parse(certificateAnchorOf(number === revoked.number ? revoked : valid)) as Record<
        string,
        unknown
      >;
      return builder.build({
        kind: 'certificate',
        id: number,
        anchor,
        txId: issued.get(number)!,
        ...(revocation ? { revocationTxId: revocation } : {}),
        status: revocation ? 'revoked' : 'valid',
        chainTo: lastBlock,
      });
    }

    async function publishAll(checkpointer: Checkpointer): Promise<number> {
      const height = await ledger.height();
      await checkpointer.waitForSize(height);
      const published = await checkpointer.publish();
      return published!.size;
    }

    before(async () => {
      registerNativeEd25519();
      dataDir = dirs.make('status-proofs-');
      ledger = await EmbeddedLedger.open({
        dataDir,
        batch: { timeoutMs: 5 },
        endorsementWorkers: 0,
        cryptoSuite: suite,
      });
      index = ChainIndex.open(join(dataDir, 'index.sqlite'));
      indexer = new ChainIndexer(ledger, index, logger);
      indexer.start();
      builder = new ProofBundleBuilder(ledger);
      regional = await listenRegionalWitnesses(dataDir);
      witnesses = regional.endpoints;
      await ledger.submit(BJ_ADMIN, 'issuers:Grant', [
        grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
      ]);
      for (const c of [revoked, valid]) {
        issued.set(
          c.number,
          (await ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(c)])).txId,
        );
      }
      revocationTx = (await ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(revoked)])).txId;
    });

    after(async () => {
      await regional?.close();
      await indexer.stop();
      index.close();
      await ledger.close();
      dirs.removeAll();
    });

    let firstSize = 0;
    let firstStatusRoot = '';

    it('commits the status tree in a checkpoint line the witnesses cosign, and proves revoked and not revoked', async () => {
      const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
      checkpointer.start();
      try {
        firstSize = await publishAll(checkpointer);
        const latest = checkpointer.latest()!;
        const trust = await pinned();
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
      const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
      try {
        const v2 = (await buildProofBundleV2(checkpointer, (last) =>
          evidenceOf(revoked.number, last, revocationTx),
        ))!;
        const { revocation: _gone, ...evidence } = v2.evidence;
        const stripped: ProofBundleV2 = { ...v2, evidence };
        const verdict = verifyProofBundle(stripped, await pinned());
        expect(verdict.status).to.equal('revoked');
        expect(verdict.revokedBy?.txId).to.equal(revocationTx);
      } finally {
        await checkpointer.stop();
      }
    });

    it('after a restart serves the earlier checkpoint’s status exactly, and a later checkpoint has the new revocation', async () => {
      const later = (await ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(valid)])).txId;
      const checkpointer = await Checkpointer.open(ledger, dataDir, options(), logger);
      checkpointer.start();
      try {
        const before = checkpointer.statusProof('certificate', valid.number, firstSize);
        expect(before.statusRoot).to.equal(firstStatusRoot);
        expect(before.proof.member).to.equal(undefined);
        const size = await publishAll(checkpointer);
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
