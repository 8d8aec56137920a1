// One suite of ledger behaviours, driven through the approval chaincode, that every engine behind the ledger
// port must show: commit, idempotency, same-block conflicts with Fabric's codes, endorsement-policy failure, events (with checkpoints),
// history, block chaining, the transparency log over the port, identity-based refusals. It runs against the embedded engine always, and against
// Hyperledger Fabric when FABRIC_CONNECTION_PROFILE names a connection profile (identities in FABRIC_WALLET,
// see src/ledger/README.md); otherwise it says plainly that the Fabric run did not happen.
import { join } from 'node:path';
import { expect } from 'chai';
import { recomputeBlockHashes } from '../src/ledger/block-hashes';
import { EmbeddedLedger } from '../src/ledger/embedded/embedded-ledger';
import { FabricLedger } from '../src/ledger/fabric/fabric-ledger';
import { ChaincodeForbiddenError, RecordConflictError, TransactionInvalidError } from '../src/ledger/errors';
import {
  type CommittedTransaction,
  type LedgerBlock,
  type LedgerChaincodeEvent,
  type LedgerIdentity,
  type LedgerPort,
  parseResult,
} from '../src/ledger/ledger-port';
import { pairScope } from '../src/ledger/namespace-mode';
import {
  anchorOf,
  certificate,
  certificateAnchorOf,
  creditAnchorOf,
  creditEvent,
  grant,
  milestone,
  OTHER_SALT,
  recognitionRequest,
  revocationOf,
  RUN,
  signedDecision,
  signerRegistration,
} from './support/approval-records';
import { TempDirs } from './support/temp-dirs';
import { hexToBytes, leafHash, verifyCheckpoint, verifyInclusionProof } from '@approval-ledger/protocol';
import { pino } from 'pino';
import { Checkpointer } from '../src/tlog/checkpointer';
import { logIdentity } from '../src/tlog/tlog-identity';

const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
const BJ_PNR: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'PNR' };
const BJ_HC: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'HC' };
const BJ_AUDITOR: LedgerIdentity = { region: 'BJ', role: 'auditor' };
const BJ_CREDIT: LedgerIdentity = { region: 'BJ', role: 'approver', dept: 'CREDIT' };
const TJ_ADMIN: LedgerIdentity = { region: 'TJ', role: 'admin' };
const TJ_AUTHORITY: LedgerIdentity = { region: 'TJ', role: 'authority' };
const TJ_PNR: LedgerIdentity = { region: 'TJ', role: 'approver', dept: 'PNR' };
/** Recognitions between Beijing and Tianjin: their pair's namespace under the plan. */
const BJ_TJ = pairScope('BJ', 'TJ');

const FABRIC_NOT_RUN = 'Fabric conformance run did NOT happen: FABRIC_CONNECTION_PROFILE is not set';

interface EngineUnderTest {
  readonly name: string;
  open(): Promise<LedgerPort>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

interface Entry {
  id: string;
  txId: string;
  commitment: string;
}

function conformance(engine: EngineUnderTest): void {
  describe(`ledger conformance: ${engine.name}`, function () {
    this.timeout(120_000);
    let ledger: LedgerPort;

    before(async () => {
      ledger = await engine.open();
      await ledger.submit(BJ_ADMIN, 'issuers:Grant', [grant('BJ', 'PNR', ['LAND_USE_PLANNING'])]);
      await ledger.submit(BJ_ADMIN, 'issuers:Grant', [
        grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
      ]);
      await ledger.submit(TJ_ADMIN, 'recognition:RegisterSigner', [signerRegistration('TJ')]);
    });
    after(() => ledger?.close());

    describe('commit', () => {
      it('commits a milestone and reports its transaction, block, endorsements and event', async () => {
        const m = milestone(1);
        const committed = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]);
        expect(committed.validationCode).to.equal('VALID');
        expect(committed.txId).to.match(/^[0-9a-f]{64}$/);
        expect(parseResult<Entry>(committed.result)).to.include({ id: m.id, txId: committed.txId });
        expect(committed.event?.eventName).to.equal('MilestonesRecorded');
        expect(committed.event?.txId).to.equal(committed.txId);

        const tx = await ledger.getTransaction(committed.txId);
        expect(tx).to.include({
          txId: committed.txId,
          blockNumber: committed.blockNumber,
          validationCode: 'VALID',
        });
        expect(tx.function).to.equal('milestones:Record');
        expect(tx.creator?.mspId).to.equal('BeijingMSP');
        expect(tx.endorsements.map((e) => e.mspId)).to.include('BeijingMSP');
        expect(
          tx.endorsements.every((e) => e.certificate.includes('BEGIN CERTIFICATE') && e.signature.length > 0),
        ).to.equal(true);
        const block = await ledger.getBlock(committed.blockNumber);
        expect(block.transactions[tx.txIndex]?.txId).to.equal(committed.txId);
      });
    });

    describe('idempotency', () => {
      it('returns the existing entry unchanged when the same record is submitted again', async () => {
        const m = milestone(2);
        const first = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]);
        const again = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]);
        expect(again.validationCode).to.equal('VALID');
        expect(parseResult<Entry>(again.result)?.txId).to.equal(first.txId);
      });

      it('refuses the same id with another commitment, naming both (RecordConflictError)', async () => {
        const m = milestone(3);
        const first = parseResult<Entry>(
          (await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)])).result,
        );
        const error = await rejection(ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m, OTHER_SALT)]));
        expect(error).to.be.instanceOf(RecordConflictError);
        const conflict = error as RecordConflictError;
        expect(conflict.code).to.equal('RECORD_CONFLICT');
        expect(conflict.detail).to.include(first?.commitment ?? '?');
        expect(conflict.detail).to.include((JSON.parse(anchorOf(m, OTHER_SALT)) as Entry).commitment);
      });
    });

    describe('versioned corrections (更正)', () => {
      it('commits version 2 naming the current commitment, answers its re-delivery unchanged, refuses a stale correction', async () => {
        const v1 = milestone(40);
        const c1 = (JSON.parse(anchorOf(v1)) as Entry).commitment;
        await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(v1)]);
        const v2 = milestone(40, {
          details: { contractAmountWanYuan: 2 },
          version: 2,
          corrects: c1,
          correctionReason: '更正合同金额',
        });
        const committed = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(v2)]);
        expect(committed.validationCode).to.equal('VALID');
        expect(parseResult<Entry & { version: number }>(committed.result)).to.include({
          version: 2,
          corrects: c1,
        });
        const again = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(v2)]);
        expect(parseResult<Entry>(again.result)?.txId).to.equal(committed.txId);
        const stale = milestone(40, { version: 2, corrects: c1, correctionReason: '另一次更正' });
        const error = await rejection(ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(stale)]));
        expect(error).to.be.instanceOf(RecordConflictError);
        expect((error as RecordConflictError).detail).to.include('version 2');
      });
    });

    describe('conflicts in one block, with the codes Fabric gives them', () => {
      /** Two submissions endorsed concurrently, without resubmission; the rejected one must share the block. */
      async function inOneBlock(
        submit: () => Promise<CommittedTransaction>,
      ): Promise<TransactionInvalidError> {
        const outcomes = await Promise.allSettled([submit(), submit()]);
        const valid = outcomes.filter((o) => o.status === 'fulfilled');
        const invalid = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(valid).to.have.length(1);
        expect(invalid).to.have.length(1);
        const error = invalid[0]?.reason as TransactionInvalidError;
        expect(error).to.be.instanceOf(TransactionInvalidError);
        expect(error.blockNumber, 'both transactions in one block').to.equal(valid[0]?.value.blockNumber);
        return error;
      }

      it("fails the second of two transactions writing one new record: both read it absent (MVCC_READ_CONFLICT; inside the plan no key-level policy is set, the namespace's policy already names the region)", async () => {
        const anchor = anchorOf(milestone(4));
        const error = await inOneBlock(() =>
          ledger.submit(BJ_PNR, 'milestones:Record', [anchor], { conflictRetries: 0 }),
        );
        expect(error.validationCode).to.equal('MVCC_READ_CONFLICT');
        expect((await ledger.getTransaction(error.txId)).validationCode).to.equal('MVCC_READ_CONFLICT');
      });

      it('fails the second of two credit evaluations reading one absent key without a key-level policy (MVCC_READ_CONFLICT)', async () => {
        const [first, second] = [creditAnchorOf(creditEvent(1)), creditAnchorOf(creditEvent(2))];
        const anchors = [first, second];
        const error = await inOneBlock(() =>
          ledger.submit(BJ_CREDIT, 'credit:Record', [anchors.shift() ?? ''], { conflictRetries: 0 }),
        );
        expect(error.validationCode).to.equal('MVCC_READ_CONFLICT');
        expect((await ledger.getTransaction(error.txId)).validationCode).to.equal('MVCC_READ_CONFLICT');
      });

      it('resubmits the conflicting one, which then finds the record already there', async () => {
        const m = milestone(5);
        const [a, b] = await Promise.all([
          ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]),
          ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(m)]),
        ]);
        const retried = [a, b].find((r) => r.retries > 0);
        const original = [a, b].find((r) => r.retries === 0);
        expect(retried, 'one submission was retried').to.not.equal(undefined);
        expect(parseResult<Entry>(retried?.result ?? new Uint8Array())?.txId).to.equal(original?.txId);
      });
    });

    describe('endorsement policy', () => {
      it('fails a recognition decision endorsed by the target region alone (ENDORSEMENT_POLICY_FAILURE), commits it with both', async () => {
        const subject = milestone(6);
        await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(subject)]);
        const request = recognitionRequest(1, subject);
        await ledger.submit(TJ_AUTHORITY, 'recognition:Request', [JSON.stringify(request)], { scope: BJ_TJ });
        const decision = JSON.stringify(await signedDecision(request));

        const error = await rejection(
          ledger.submit(TJ_AUTHORITY, 'recognition:Decide', [decision], {
            endorsingOrganizations: ['TianjinMSP'],
            scope: BJ_TJ,
          }),
        );
        expect(error).to.be.instanceOf(TransactionInvalidError);
        // resubmitted like a same-block collision (the client cannot tell them apart), then reported
        expect(error).to.include({ validationCode: 'ENDORSEMENT_POLICY_FAILURE', retries: 3 });

        const decided = await ledger.submit(TJ_AUTHORITY, 'recognition:Decide', [decision], { scope: BJ_TJ });
        const tx = await ledger.getTransaction(decided.txId);
        expect(tx.chaincodeName).to.equal(
          ledger.namespaceMode === 'plan' ? 'approval-bj-tj' : 'approval-ledger',
        );
        expect(tx.endorsements.map((e) => e.mspId).sort()).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
        expect(parseResult<{ status: string }>(decided.result)?.status).to.equal('RECOGNISED');
      });
    });

    describe('a record cannot be forged across regions', () => {
      const forgeries: [string, LedgerIdentity, string, () => string][] = [
        ['milestone', BJ_PNR, 'milestones:Record', () => anchorOf(milestone(30))],
        ['certificate', BJ_HC, 'certificates:Issue', () => certificateAnchorOf(certificate(30))],
        ['credit event', BJ_CREDIT, 'credit:Record', () => creditAnchorOf(creditEvent(30))],
      ];
      for (const [what, who, fn, arg] of forgeries) {
        it(`fails a first write of a Beijing ${what} endorsed by Tianjin's peer, or Tianjin's and Hebei's (ENDORSEMENT_POLICY_FAILURE)`, async () => {
          for (const organisations of [['TianjinMSP'], ['TianjinMSP', 'HebeiMSP']]) {
            const error = await rejection(
              ledger.submit(who, fn, [arg()], { endorsingOrganizations: organisations, conflictRetries: 0 }),
            );
            expect(error, organisations.join('+')).to.be.instanceOf(TransactionInvalidError);
            expect(error).to.include({ validationCode: 'ENDORSEMENT_POLICY_FAILURE' });
          }
          const honest = await ledger.submit(who, fn, [arg()]);
          const tx = await ledger.getTransaction(honest.txId);
          expect(ledger.namespaceMode, 'a legacy single definition cannot refuse these').to.equal('plan');
          expect(tx.chaincodeName).to.equal('approval-beijing');
          expect(tx.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
        });
      }

      it("fails a Beijing revocation endorsed by Tianjin's and Hebei's peers; the certificate stays valid", async () => {
        const c = certificate(31);
        await ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(c)]);
        const error = await rejection(
          ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(c)], {
            endorsingOrganizations: ['TianjinMSP', 'HebeiMSP'],
            conflictRetries: 0,
          }),
        );
        expect(error).to.include({ validationCode: 'ENDORSEMENT_POLICY_FAILURE' });
        const read = parseResult<{ status: string }>(
          await ledger.evaluate(BJ_AUDITOR, 'certificates:Get', [c.number]),
        );
        expect(read?.status).to.equal('VALID');
      });
    });

    describe('events', () => {
      it('delivers chaincode events from a given block and resumes from a checkpoint', async () => {
        const checkpointer = await ledger.checkpointer(`conformance-${RUN}`);
        const start = await ledger.height();
        const first = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(milestone(7))]);
        const stream = ledger.chaincodeEvents({ startBlock: start });
        let seen: LedgerChaincodeEvent | undefined;
        for await (const event of stream) {
          if (event.txId === first.txId) {
            seen = event;
            await checkpointer.checkpointChaincodeEvent(event);
            break;
          }
        }
        stream.close();
        expect(seen?.eventName).to.equal('MilestonesRecorded');
        expect(seen?.chaincodeName).to.equal(
          ledger.namespaceMode === 'plan' ? 'approval-beijing' : 'approval-ledger',
        );
        expect(JSON.parse(Buffer.from(seen?.payload ?? []).toString('utf8'))).to.have.property('recorded');

        const later: CommittedTransaction[] = [];
        for (const n of [8, 9])
          later.push(await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(milestone(n))]));
        const resumed = ledger.chaincodeEvents({ checkpoint: checkpointer });
        const ids: string[] = [];
        for await (const event of resumed) {
          ids.push(event.txId);
          if (event.txId === later[1]?.txId) break;
        }
        resumed.close();
        expect(ids).to.not.include(first.txId);
        expect(ids).to.include.members(later.map((l) => l.txId));
      });

      it('delivers the committed block of a transaction as a block event', async () => {
        const committed = await ledger.submit(BJ_PNR, 'milestones:Record', [anchorOf(milestone(10))]);
        const stream = ledger.blockEvents({ startBlock: committed.blockNumber });
        const next = await stream[Symbol.asyncIterator]().next();
        stream.close();
        const block = next.value as LedgerBlock;
        expect(block.number).to.equal(committed.blockNumber);
        expect(block.transactions.map((t) => t.txId)).to.include(committed.txId);
      });
    });

    describe('history', () => {
      it("keeps a key's history: a certificate issued, then revoked", async () => {
        const c = certificate(1);
        const issued = await ledger.submit(BJ_HC, 'certificates:Issue', [certificateAnchorOf(c)]);
        const revoked = await ledger.submit(BJ_HC, 'certificates:Revoke', [revocationOf(c)]);
        const history = parseResult<{ txId: string }[]>(
          await ledger.evaluate(BJ_AUDITOR, 'certificates:History', [c.number]),
        );
        expect(history?.map((h) => h.txId)).to.deep.equal([revoked.txId, issued.txId]);
      });
    });

    describe('block chaining', () => {
      it('chains every block to the previous header hash, with data hashes that match the transactions', async () => {
        const height = await ledger.height();
        const from = Math.max(0, height - 6);
        let previous: string | undefined;
        let count = 0;
        for await (const block of ledger.blocks(from, height - 1)) {
          const recomputed = recomputeBlockHashes(block);
          expect(recomputed.hash, `hash of block ${block.number}`).to.equal(block.hash);
          expect(recomputed.dataHash, `data hash of block ${block.number}`).to.equal(block.dataHash);
          if (previous !== undefined) expect(block.previousHash).to.equal(previous);
          expect(block.signatures.length).to.be.greaterThan(0);
          previous = block.hash;
          count++;
        }
        expect(count).to.equal(height - from);
      });
    });

    describe('transparency log', () => {
      it('logs every block through the port: a signed checkpoint, recorded, and each block provably in it', async () => {
        const dataDir = dirs.make('ledger-conformance-tlog-');
        const options = { region: 'BJ', everyBlocks: 1_000_000, everyMs: 3_600_000, witnesses: [] } as const;
        const checkpointer = await Checkpointer.open(ledger, dataDir, options, pino({ level: 'silent' }));
        checkpointer.start();
        try {
          const height = await ledger.height();
          await checkpointer.waitForSize(height);
          const published = (await checkpointer.publish())!;
          expect(published.size).to.be.at.least(height);
          const verified = verifyCheckpoint(published.note, [logIdentity(dataDir, 'BJ').verifier]);
          expect(verified.ok && verified.head.size).to.equal(published.size);
          expect(published.recordedInTx).to.match(/^[0-9a-f]{64}$/);
          for (const n of [0, Math.floor(published.size / 2), published.size - 1]) {
            const proof = await checkpointer.inclusion(n);
            const ok = verifyInclusionProof(
              leafHash(hexToBytes((await ledger.getBlock(n)).hash)),
              n,
              published.size,
              proof.proof.map(hexToBytes),
              hexToBytes(published.root),
            );
            expect(ok, `block ${n}`).to.equal(true);
          }
        } finally {
          await checkpointer.stop();
        }
      });
    });

    describe('identity-based refusals', () => {
      it('refuses a Tianjin approver writing a Beijing milestone (FORBIDDEN_REGION)', async () => {
        const error = await rejection(ledger.submit(TJ_PNR, 'milestones:Record', [anchorOf(milestone(11))]));
        expect(error).to.be.instanceOf(ChaincodeForbiddenError);
        expect((error as ChaincodeForbiddenError).code).to.equal('FORBIDDEN_REGION');
      });

      it('refuses an approver writing another department (FORBIDDEN_DEPARTMENT)', async () => {
        const error = await rejection(ledger.submit(BJ_HC, 'milestones:Record', [anchorOf(milestone(12))]));
        expect((error as ChaincodeForbiddenError).code).to.equal('FORBIDDEN_DEPARTMENT');
      });

      it('refuses every write by an auditor (FORBIDDEN_ROLE)', async () => {
        const error = await rejection(
          ledger.submit(BJ_AUDITOR, 'milestones:Record', [anchorOf(milestone(13))]),
        );
        expect((error as ChaincodeForbiddenError).code).to.equal('FORBIDDEN_ROLE');
      });

      it("refuses a Tianjin admin keeping Beijing's issuer registry (FORBIDDEN_REGION)", async () => {
        const error = await rejection(
          ledger.submit(TJ_ADMIN, 'issuers:Grant', [grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'])]),
        );
        expect((error as ChaincodeForbiddenError).code).to.equal('FORBIDDEN_REGION');
      });
    });
  });
}

const dirs = new TempDirs();
after(() => dirs.removeAll());

conformance({
  name: 'embedded engine',
  open: () => EmbeddedLedger.open({ dataDir: dirs.make('ledger-conformance-'), endorsementWorkers: 0 }),
});

conformance({
  name: 'embedded engine, endorsing in worker threads',
  open: () => EmbeddedLedger.open({ dataDir: dirs.make('ledger-conformance-'), endorsementWorkers: 2 }),
});

const profile = process.env.FABRIC_CONNECTION_PROFILE;
if (profile) {
  conformance({
    name: `Hyperledger Fabric (${profile})`,
    open() {
      const dataDir = dirs.make('ledger-conformance-fabric-');
      const walletRoot = process.env.FABRIC_WALLET ?? join(__dirname, '..', '..', 'network', 'wallet');
      return FabricLedger.open({ connectionProfile: profile, walletRoot, dataDir });
    },
  });
} else {
  // Not a mocha skip: a plain line in the run's output, at its start and again at its end.
  const notRun = (): void => console.log(`\n  ${FABRIC_NOT_RUN}\n`);
  before(notRun);
  after(notRun);
}
