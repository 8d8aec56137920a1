// A record cannot be forged across regions (issue 13, item 3): on the real embedded committer and endorser,
// with the approval chaincode running as the namespaces of the plan (@approval-ledger/protocol
// `registries/namespaces.ts`), transactions endorsed by the wrong organisations' peers are built and signed with
// those peers' real keys and fail at commit as Fabric's validator fails them; a Beijing record that a malicious
// Tianjin peer writes into Tianjin's namespace commits (Fabric cannot tell) and the verifier refuses it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EndorserTransactionJson,
  cryptoSuite,
  embeddedEndorserTransaction,
  embeddedSignedParts,
  parseTransactionEnvelope,
  policyEndorsers,
  recordNamespaceChecks,
  recognitionNamespace,
  regionNamespace,
  runSync,
} from '@approval-ledger/protocol';
import { expect } from 'chai';
import { type ChaincodeStub } from 'fabric-shim';
import {
  anchorOf,
  certificate,
  certificateAnchorOf,
  creditAnchorOf,
  creditEvent,
  grant,
  milestone,
  recognitionRequest,
  revocationOf,
  signedDecision,
  signerRegistration,
} from '../../../test/support/approval-records';
import { KV_CHAINCODE } from '../../../test/support/kv-contract';
import { ChaincodeError } from '../errors';
import { type LedgerIdentity } from '../ledger-port';
import {
  channelConfigOf,
  ChannelTrust,
  Committer,
  type EndorsedTransaction,
  Endorser,
  qualifiedKey,
  LedgerDatabase,
  Signer,
  SqliteState,
} from '@approval-ledger/fabric-engine';
import { type ContractChaincode, createContractChaincode } from '@approval-ledger/chaincode';
import { approvalChaincode } from './embedded-chaincode';
import { MspDirectory } from './organisation-material';

const BEIJING = regionNamespace('BJ');
const TIANJIN = regionNamespace('TJ');
const BJ_TJ = recognitionNamespace('BJ', 'TJ');

describe('forging a record across regions (embedded engine)', function () {
  this.timeout(30_000);
  let dir: string;
  let db: LedgerDatabase;
  let state: SqliteState;
  let committer: Committer;
  let msp: MspDirectory;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forgery-'));
    msp = await MspDirectory.open(dir);
    db = LedgerDatabase.open(join(dir, 'ledger.sqlite'));
    state = new SqliteState(db);
    const { orderer } = msp.orderer;
    committer = new Committer(
      db,
      state,
      new ChannelTrust(channelConfigOf(msp, 'approval', 'approval-ledger')),
      new Signer(orderer.mspId, orderer.certificate, orderer.privateKey),
    );
    committer.commitGenesis({ seconds: 1, nanos: 0 });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function endorserAs(namespace: string, chaincode?: ContractChaincode): Endorser {
    return new Endorser(chaincode ?? createContractChaincode(approvalChaincode().contracts), state, msp, {
      channel: 'approval',
      chaincodeName: namespace,
      clock: () => new Date(),
    });
  }

  async function endorse(
    namespace: string,
    who: LedgerIdentity,
    fn: string,
    args: string[],
    organisations?: string[],
  ): Promise<EndorsedTransaction> {
    return endorserAs(namespace).endorse(await msp.clientIdentity(who), fn, args, organisations);
  }

  async function commitOne(tx: EndorsedTransaction): Promise<string> {
    const [outcome] = await committer.commit([tx]);
    return outcome!.validationCode;
  }

  const BJ_ADMIN: LedgerIdentity = { region: 'BJ', role: 'admin' };
  const approver = (dept: string): LedgerIdentity =>
    ({ region: 'BJ', role: 'approver', dept }) as LedgerIdentity;

  async function grantBeijing(): Promise<void> {
    const honest = await endorse(BEIJING, BJ_ADMIN, 'issuers:Grant', [
      grant('BJ', 'PNR', ['LAND_USE_PLANNING']),
    ]);
    expect(honest.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
    expect(await commitOne(honest)).to.equal('VALID');
    const hc = await endorse(BEIJING, BJ_ADMIN, 'issuers:Grant', [
      grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']),
    ]);
    expect(await commitOne(hc)).to.equal('VALID');
  }

  const records: [string, string, string, () => string][] = [
    ['milestone', 'PNR', 'milestones:Record', () => anchorOf(milestone(1))],
    ['certificate', 'HC', 'certificates:Issue', () => certificateAnchorOf(certificate(1))],
    ['credit event', 'CREDIT', 'credit:Record', () => creditAnchorOf(creditEvent(1))],
  ];
  for (const [what, dept, fn, arg] of records) {
    it(`refuses at commit a first write of a Beijing ${what} endorsed by Tianjin's peer, or by Tianjin's and Hebei's`, async () => {
      await grantBeijing();
      for (const organisations of [['TianjinMSP'], ['HebeiMSP', 'TianjinMSP']]) {
        const forged = await endorse(BEIJING, approver(dept), fn, [arg()], organisations);
        expect(forged.endorsements.map((e) => e.mspId)).to.deep.equal(organisations);
        expect(forged.simulation.readWriteSet.writes.length).to.be.greaterThan(0);
        expect(await commitOne(forged)).to.equal('ENDORSEMENT_POLICY_FAILURE');
      }
      expect(await commitOne(await endorse(BEIJING, approver(dept), fn, [arg()]))).to.equal('VALID');
    });
  }

  it("refuses at commit a Beijing revocation endorsed by Tianjin's and Hebei's peers; the certificate stays valid", async () => {
    await grantBeijing();
    const c = certificate(2);
    expect(
      await commitOne(await endorse(BEIJING, approver('HC'), 'certificates:Issue', [certificateAnchorOf(c)])),
    ).to.equal('VALID');
    const forged = await endorse(
      BEIJING,
      approver('HC'),
      'certificates:Revoke',
      [revocationOf(c)],
      ['TianjinMSP', 'HebeiMSP'],
    );
    expect(await commitOne(forged)).to.equal('ENDORSEMENT_POLICY_FAILURE');
    const read = await endorserAs(BEIJING).simulate(await msp.clientIdentity(BJ_ADMIN), 'certificates:Get', [
      c.number,
    ]);
    expect(JSON.parse(Buffer.from(read.response.payload).toString()) as object).to.include({
      status: 'VALID',
    });
  });

  it("decides a recognition in the pair's namespace only with both regions' peers, reading the source and the signer registry by chaincode-to-chaincode calls", async () => {
    await grantBeijing();
    const subject = milestone(5);
    expect(
      await commitOne(await endorse(BEIJING, approver('PNR'), 'milestones:Record', [anchorOf(subject)])),
    ).to.equal('VALID');
    expect(
      await commitOne(
        await endorse(TIANJIN, { region: 'TJ', role: 'admin' }, 'recognition:RegisterSigner', [
          signerRegistration('TJ'),
        ]),
      ),
    ).to.equal('VALID');
    const request = recognitionRequest(5, subject);
    const authority: LedgerIdentity = { region: 'TJ', role: 'authority' };

    for (const organisations of [['TianjinMSP'], ['HebeiMSP', 'TianjinMSP']]) {
      const forged = await endorse(
        BJ_TJ,
        authority,
        'recognition:Request',
        [JSON.stringify(request)],
        organisations,
      );
      expect(await commitOne(forged), organisations.join('+')).to.equal('ENDORSEMENT_POLICY_FAILURE');
    }
    const requested = await endorse(BJ_TJ, authority, 'recognition:Request', [JSON.stringify(request)]);
    expect(requested.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    expect(requested.simulation.readWriteSet.calledNamespaces?.map((c) => c.namespace)).to.deep.equal([
      BEIJING,
    ]);
    expect(await commitOne(requested)).to.equal('VALID');

    const decision = JSON.stringify(await signedDecision(request));
    const alone = await endorse(BJ_TJ, authority, 'recognition:Decide', [decision], ['TianjinMSP']);
    expect(alone.simulation.readWriteSet.calledNamespaces?.map((c) => c.namespace)).to.deep.equal([
      BEIJING,
      TIANJIN,
    ]);
    expect(await commitOne(alone)).to.equal('ENDORSEMENT_POLICY_FAILURE');
    const decided = await endorse(BJ_TJ, authority, 'recognition:Decide', [decision]);
    expect(await commitOne(decided)).to.equal('VALID');
    expect(JSON.parse(Buffer.from(decided.simulation.response.payload).toString()) as object).to.include({
      status: 'RECOGNISED',
    });
  });

  it("names, on a certificate's revocation in Beijing's namespace, its recognitions in the pair's, which then read SOURCE_REVOKED", async () => {
    await grantBeijing();
    const c = certificate(6);
    expect(
      await commitOne(await endorse(BEIJING, approver('HC'), 'certificates:Issue', [certificateAnchorOf(c)])),
    ).to.equal('VALID');
    const request = {
      id: `forgery-rec-6-${Date.now()}`,
      subjectType: 'certificate',
      subjectId: c.number,
      sourceRegion: 'BJ',
      targetRegion: 'TJ',
    };
    const authority: LedgerIdentity = { region: 'TJ', role: 'authority' };
    expect(
      await commitOne(await endorse(BJ_TJ, authority, 'recognition:Request', [JSON.stringify(request)])),
    ).to.equal('VALID');

    const revoked = await endorse(BEIJING, approver('HC'), 'certificates:Revoke', [revocationOf(c)]);
    expect(revoked.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP']);
    const payload = JSON.parse(Buffer.from(revoked.simulation.response.payload).toString()) as {
      affectedRecognitions: { id: string }[];
    };
    expect(payload.affectedRecognitions.map((r) => r.id)).to.deep.equal([request.id]);
    expect(await commitOne(revoked)).to.equal('VALID');
    const read = await endorserAs(BJ_TJ).simulate(await msp.clientIdentity(authority), 'recognition:Get', [
      request.id,
    ]);
    expect(JSON.parse(Buffer.from(read.response.payload).toString()) as object).to.include({
      status: 'SOURCE_REVOKED',
    });
  });

  it('refuses a conditionally accepted Beijing milestone when Tianjin lists the enterprise as dishonest in its own namespace', async () => {
    await grantBeijing();
    const credit = creditEvent(7);
    expect(
      await commitOne(await endorse(BEIJING, approver('CREDIT'), 'credit:Record', [creditAnchorOf(credit)])),
    ).to.equal('VALID');
    const conditional = milestone(7, { decision: 'CONDITIONALLY_ACCEPTED' });
    const accepted = await endorse(BEIJING, approver('PNR'), 'milestones:Record', [anchorOf(conditional)]);
    expect(accepted.simulation.readWriteSet.calledNamespaces?.map((c) => c.namespace)).to.deep.equal([
      regionNamespace('HE'),
      TIANJIN,
    ]);
    const dishonest = { ...creditEvent(8), region: 'TJ' as const, dishonest: true, level: 'D' as const };
    const tianjinCredit: LedgerIdentity = { region: 'TJ', role: 'approver', dept: 'CREDIT' };
    expect(
      await commitOne(await endorse(TIANJIN, tianjinCredit, 'credit:Record', [creditAnchorOf(dishonest)])),
    ).to.equal('VALID');
    // endorsed before Tianjin's listing: its read of Tianjin's namespace no longer holds
    expect(await commitOne(accepted)).to.equal('MVCC_READ_CONFLICT');
    const refusal = await endorse(BEIJING, approver('PNR'), 'milestones:Record', [
      anchorOf(conditional),
    ]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((refusal as ChaincodeError).code).to.equal('CREDIT_REFUSED');
  });

  it('needs both regions of a recognition pair: one alone, or with the third region, is refused at commit', async () => {
    const kv = createContractChaincode(KV_CHAINCODE.contracts);
    const tianjin = await msp.clientIdentity({ region: 'TJ', role: 'authority' });
    const put = (key: string, organisations?: string[]) =>
      endorserAs(BJ_TJ, kv).endorse(tianjin, 'kv:Put', [key, 'decision'], organisations);
    expect(await commitOne(await put('r1', ['TianjinMSP']))).to.equal('ENDORSEMENT_POLICY_FAILURE');
    expect(await commitOne(await put('r2', ['TianjinMSP', 'HebeiMSP']))).to.equal(
      'ENDORSEMENT_POLICY_FAILURE',
    );
    const honest = await put('r3');
    expect(honest.endorsements.map((e) => e.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    expect(await commitOne(honest)).to.equal('VALID');
  });

  it('keeps each namespace in its own key space, as a peer state DB does', async () => {
    const kv = createContractChaincode(KV_CHAINCODE.contracts);
    const admin = await msp.clientIdentity({ region: 'TJ', role: 'admin' });
    expect(
      await commitOne(await endorserAs(TIANJIN, kv).endorse(admin, 'kv:Put', ['same', 'tianjin'])),
    ).to.equal('VALID');
    expect(db.getState(qualifiedKey(TIANJIN, 'same'))).to.not.equal(undefined);
    expect(db.getState('same')).to.equal(undefined);
    const fromBeijing = await endorserAs(BEIJING, kv).simulate(admin, 'kv:Get', ['same']);
    expect(Buffer.from(fromBeijing.response.payload).toString()).to.equal('');
  });

  describe('chaincode-to-chaincode reads across namespaces, with Fabric semantics', () => {
    const kv = () => createContractChaincode(KV_CHAINCODE.contracts);
    const admin = () => msp.clientIdentity({ region: 'BJ', role: 'admin' });
    const tianjin = () => msp.clientIdentity({ region: 'TJ', role: 'authority' });

    it("reads Beijing's state from the pair namespace, records the read under Beijing's namespace, and writes only its own", async () => {
      expect(
        await commitOne(
          await endorserAs(BEIJING, kv()).endorse(await admin(), 'kv:Put', ['source', 'permit']),
        ),
      ).to.equal('VALID');
      const copy = await endorserAs(BJ_TJ, kv()).endorse(await tianjin(), 'kv:CopyFrom', [
        BEIJING,
        'source',
        'copy',
      ]);
      expect(Buffer.from(copy.simulation.response.payload).toString()).to.equal('permit');
      const rwset = copy.simulation.readWriteSet;
      expect(rwset.calledNamespaces?.map((c) => [c.namespace, c.reads.map((r) => r.key)])).to.deep.equal([
        [BEIJING, ['source']],
      ]);
      expect(rwset.writes.map((w) => w.key)).to.deep.equal(['copy']);
      expect(copy.envelopeText).to.contain('"calledNamespaces":[{"namespace":"approval-beijing"');
      expect(await commitOne(copy)).to.equal('VALID');
      expect(db.getState(qualifiedKey(BJ_TJ, 'copy'))).to.not.equal(undefined);
    });

    it("invalidates the caller when the called namespace's key changed before commit (MVCC_READ_CONFLICT)", async () => {
      expect(
        await commitOne(await endorserAs(BEIJING, kv()).endorse(await admin(), 'kv:Put', ['source', 'v1'])),
      ).to.equal('VALID');
      const copy = await endorserAs(BJ_TJ, kv()).endorse(await tianjin(), 'kv:CopyFrom', [
        BEIJING,
        'source',
        'copy',
      ]);
      const change = await endorserAs(BEIJING, kv()).endorse(await admin(), 'kv:Put', ['source', 'v2']);
      const outcomes = await committer.commit([change, copy]);
      expect(outcomes.map((o) => o.validationCode)).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
    });

    it('refuses a write by the called chaincode, and a call to a chaincode the channel does not define', async () => {
      const viaWrite = await endorserAs(BJ_TJ, kv())
        .simulate(await tianjin(), 'kv:PutVia', [BEIJING, 'k', 'v'])
        .then(
          () => 'simulated',
          (error: unknown) => String(error),
        );
      expect(viaWrite).to.contain('may only read');
      const unknown = await endorserAs(BJ_TJ, kv())
        .simulate(await tianjin(), 'kv:CopyFrom', ['approval-shanghai', 'k', 'copy'])
        .then(
          () => 'simulated',
          (error: unknown) => String(error),
        );
      expect(unknown).to.contain('approval-shanghai has been successfully defined');
    });
  });

  describe("a Beijing record in Tianjin's namespace", () => {
    it('is refused by the chaincode at endorsement (WRONG_NAMESPACE), a first write included', async () => {
      const refusal = await endorse(TIANJIN, BJ_ADMIN, 'issuers:Grant', [
        grant('BJ', 'PNR', ['LAND_USE_PLANNING']),
      ]).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).to.be.instanceOf(ChaincodeError);
      expect((refusal as ChaincodeError).code).to.equal('WRONG_NAMESPACE');
    });

    it('commits when a malicious Tianjin peer endorses it anyway, and the verifier refuses it', async () => {
      // the malicious peer runs the chaincode without its namespace check (it never looks at the proposal)
      const real = createContractChaincode(approvalChaincode().contracts);
      const unguarded: ContractChaincode = {
        Init: (stub) => real.Init(stub),
        Invoke: (stub: ChaincodeStub) => {
          (stub as unknown as { getSignedProposal(): undefined }).getSignedProposal = () => undefined;
          return real.Invoke(stub);
        },
      };
      const malicious = endorserAs(TIANJIN, unguarded);
      const admin = await msp.clientIdentity(BJ_ADMIN);
      const grantTx = await malicious.endorse(
        admin,
        'issuers:Grant',
        [grant('BJ', 'PNR', ['LAND_USE_PLANNING'])],
        ['TianjinMSP'],
      );
      expect(await commitOne(grantTx)).to.equal('VALID');
      const forged = await malicious.endorse(
        await msp.clientIdentity(approver('PNR')),
        'milestones:Record',
        [anchorOf(milestone(3))],
        ['TianjinMSP'],
      );
      expect(await commitOne(forged)).to.equal('VALID');

      const stored = db.transactionById(forged.txId)!;
      const tx = parseTransactionEnvelope(stored.envelope) as EndorserTransactionJson;
      const verdict = runSync(
        embeddedEndorserTransaction(
          embeddedSignedParts(tx),
          tx.proposal.txId,
          new ChannelTrust(channelConfigOf(msp, 'approval', 'approval-ledger')).verification,
        ),
        cryptoSuite(),
      );
      const checks = recordNamespaceChecks(
        { region: 'BJ', kind: 'milestone' },
        { namespace: tx.proposal.chaincode, endorsers: policyEndorsers(verdict) },
      );
      expect(checks.map((c) => [c.name, c.status])).to.deep.equal([
        ['record.namespace', 'failed'],
        ['record.endorsement', 'failed'],
      ]);
    });
  });
});
