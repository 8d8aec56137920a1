import { CHAINCODE_EVENTS, type RecognitionRequest } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { decodeEndorsementPolicy } from '@approval-ledger/fabric-engine';
import {
  Fixture,
  anchorOf,
  certificate,
  certificateAnchorOf,
  milestone,
  official,
  signedDecision,
} from '../support/fixture';

const NUMBER = '建字第110105202500012号';

const request = (overrides: Partial<RecognitionRequest> = {}): RecognitionRequest => ({
  id: 'rec-tj-0001',
  subjectType: 'certificate',
  subjectId: NUMBER,
  sourceRegion: 'BJ',
  targetRegion: 'TJ',
  ...overrides,
});

const registration = (n: number, region = 'TJ', validFrom = '2025-01-01T00:00:00+08:00'): string =>
  JSON.stringify({ region, address: official(n).address, name: `官员${n}`, validFrom });

describe('recognition contract', () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await Fixture.create();
    await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']);
    await f.ok(await f.who('BJ', 'approver', 'HC'), 'certificates:Issue', [
      certificateAnchorOf(certificate()),
    ]);
    await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [anchorOf(milestone())]);
    await f.ok(await f.who('TJ', 'admin'), 'recognition:RegisterSigner', [registration(1)]);
  });

  const requestIt = async (r = request()) =>
    f.ok(await f.who(r.targetRegion, 'authority'), 'recognition:Request', [JSON.stringify(r)]);

  describe('requests', () => {
    it("lets the target region's authority request recognition of another region's certificate", async () => {
      const authority = await f.who('TJ', 'authority');
      const res = await f.submit(authority, 'recognition:Request', [JSON.stringify(request())]);
      expect(res.validationCode).to.equal('VALID');
      expect(JSON.parse(res.payload)).to.include({
        id: 'rec-tj-0001',
        status: 'PENDING',
        requestTxId: res.txId,
      });
      expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.RecognitionRequested);
    });

    it('puts a key-level policy on the recognition that needs both regions', async () => {
      const res = await f.submit(await f.who('TJ', 'authority'), 'recognition:Request', [
        JSON.stringify(request()),
      ]);
      const meta = res.simulation.readWriteSet.metadataWrites.find((m) => m.key.includes('rec-tj-0001'));
      expect(meta).to.not.equal(undefined);
      const policy = decodeEndorsementPolicy(meta!.entries!.VALIDATION_PARAMETER!);
      expect(policy.identities.map((i) => i.mspId)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
    });

    it('recognises milestones too', async () => {
      expect(
        await requestIt(request({ id: 'rec-ms', subjectType: 'milestone', subjectId: 'bj-hc-0001' })),
      ).to.include({ status: 'PENDING' });
    });

    it('is idempotent for the same request and refuses a different one under the same id', async () => {
      await requestIt();
      const again = await f.submit(await f.who('TJ', 'authority'), 'recognition:Request', [
        JSON.stringify(request()),
      ]);
      expect(again.simulation.readWriteSet.writes).to.have.length(0);
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(request({ note: '加急' }))],
        'RECORD_CONFLICT',
      );
    });

    it('refuses requests by another region than the target, by non-authorities and auditors', async () => {
      await f.refused(
        await f.who('HE', 'authority'),
        'recognition:Request',
        [JSON.stringify(request())],
        'FORBIDDEN_REGION',
      );
      await f.refused(
        await f.who('TJ', 'approver', 'HC'),
        'recognition:Request',
        [JSON.stringify(request())],
        'FORBIDDEN_ROLE',
      );
      await f.refused(
        await f.who('TJ', 'auditor'),
        'recognition:Request',
        [JSON.stringify(request())],
        'FORBIDDEN_ROLE',
      );
    });

    it('refuses unknown subjects, a wrong source region and recognition within one region', async () => {
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(request({ subjectId: '无此证' }))],
        'NOT_FOUND',
      );
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(request({ sourceRegion: 'HE' }))],
        'VALIDATION_FAILED',
      );
      const same = await f.refused(
        await f.who('BJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(request({ targetRegion: 'BJ' }))],
        'VALIDATION_FAILED',
      );
      expect(same).to.contain('request.targetRegion');
    });
  });

  describe('decisions', () => {
    it('accepts a decision signed (EIP-712) by a registered signer of the target region, endorsed by both regions', async () => {
      await requestIt();
      const decision = await signedDecision(request(), official(1));
      const authority = await f.who('TJ', 'authority');
      const res = await f.submit(authority, 'recognition:Decide', [JSON.stringify(decision)]);
      expect(res.validationCode).to.equal('VALID');
      expect(res.committed).to.not.equal(undefined);
      expect(await f.network.defaultEndorsers(res.simulation)).to.deep.equal([
        { mspId: 'BeijingMSP', role: 'peer' },
        { mspId: 'TianjinMSP', role: 'peer' },
      ]);
      expect(JSON.parse(res.payload)).to.include({ status: 'RECOGNISED' });
      expect(res.event?.eventName).to.equal(CHAINCODE_EVENTS.RecognitionDecided);
    });

    it('fails validation when only the target region endorses the decision', async () => {
      await requestIt();
      const decision = await signedDecision(request(), official(1));
      const res = await f.submit(
        await f.who('TJ', 'authority'),
        'recognition:Decide',
        [JSON.stringify(decision)],
        [{ mspId: 'TianjinMSP', role: 'peer' }],
      );
      expect(res.validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
      expect(await f.evaluate(await f.who('TJ', 'auditor'), 'recognition:Get', ['rec-tj-0001'])).to.include({
        status: 'PENDING',
      });
    });

    it('records a rejection with its reason', async () => {
      await requestIt();
      const decision = await signedDecision(request(), official(1), {
        outcome: 'REJECTED',
        reason: '材料不全',
      });
      expect(
        await f.ok(await f.who('TJ', 'authority'), 'recognition:Decide', [JSON.stringify(decision)]),
      ).to.include({ status: 'REJECTED' });
    });

    it('refuses a bad signature: another message, or another signer than named', async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      const signed = await signedDecision(request(), official(1));
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify({ ...signed, outcome: 'REJECTED', reason: '篡改' })],
        'BAD_SIGNATURE',
      );
      const byOther = await signedDecision(request(), official(2));
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify({ ...byOther, signer: official(1).address })],
        'BAD_SIGNATURE',
      );
      const garbage = { ...signed, signature: `0x${'11'.repeat(65)}` };
      await f.refused(authority, 'recognition:Decide', [JSON.stringify(garbage)], 'BAD_SIGNATURE');
    });

    it('refuses a replayed signature', async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      const decision = await signedDecision(request(), official(1));
      await f.ok(authority, 'recognition:Decide', [JSON.stringify(decision)]);
      await f.refused(authority, 'recognition:Decide', [JSON.stringify(decision)], 'SIGNATURE_REPLAYED');
    });

    it('refuses a second, different decision on a decided recognition', async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      await f.ok(authority, 'recognition:Decide', [
        JSON.stringify(await signedDecision(request(), official(1))),
      ]);
      const second = await signedDecision(request(), official(1), {
        outcome: 'REJECTED',
        reason: '改变主意',
      });
      await f.refused(authority, 'recognition:Decide', [JSON.stringify(second)], 'INVALID_STATE');
    });

    it('refuses signers that are not registered, registered for another region, or revoked', async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify(await signedDecision(request(), official(2)))],
        'SIGNER_NOT_AUTHORISED',
      );
      await f.ok(await f.who('BJ', 'admin'), 'recognition:RegisterSigner', [registration(3, 'BJ')]);
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify(await signedDecision(request(), official(3)))],
        'SIGNER_NOT_AUTHORISED',
      );
      await f.ok(await f.who('TJ', 'admin'), 'recognition:RevokeSigner', ['TJ', official(1).address]);
      const message = await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify(await signedDecision(request(), official(1)))],
        'SIGNER_NOT_AUTHORISED',
      );
      expect(message).to.contain('revoked');
    });

    it("refuses a decision dated before the signer's validity, or after the transaction", async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      await f.ok(await f.who('TJ', 'admin'), 'recognition:RegisterSigner', [
        registration(4, 'TJ', '2025-03-10T09:00:00+08:00'),
      ]);
      await f.refused(
        authority,
        'recognition:Decide',
        [
          JSON.stringify(
            await signedDecision(request(), official(4), { decidedAt: '2025-03-10T08:00:00+08:00' }),
          ),
        ],
        'SIGNER_NOT_AUTHORISED',
      );
      await f.refused(
        authority,
        'recognition:Decide',
        [
          JSON.stringify(
            await signedDecision(request(), official(1), { decidedAt: '2030-01-01T00:00:00+08:00' }),
          ),
        ],
        'VALIDATION_FAILED',
      );
    });

    it('refuses decisions by another region, by non-authorities and by auditors', async () => {
      await requestIt();
      const decision = JSON.stringify(await signedDecision(request(), official(1)));
      await f.refused(await f.who('BJ', 'authority'), 'recognition:Decide', [decision], 'FORBIDDEN_REGION');
      await f.refused(await f.who('TJ', 'admin'), 'recognition:Decide', [decision], 'FORBIDDEN_ROLE');
      await f.refused(await f.who('TJ', 'auditor'), 'recognition:Decide', [decision], 'FORBIDDEN_ROLE');
    });

    it('refuses malformed decisions naming the field', async () => {
      await requestIt();
      const authority = await f.who('TJ', 'authority');
      const decision = await signedDecision(request(), official(1));
      expect(
        await f.refused(
          authority,
          'recognition:Decide',
          [JSON.stringify({ ...decision, signature: '0x12' })],
          'VALIDATION_FAILED',
        ),
      ).to.contain('decision.signature');
      expect(
        await f.refused(
          authority,
          'recognition:Decide',
          [JSON.stringify({ ...decision, outcome: 'REJECTED' })],
          'VALIDATION_FAILED',
        ),
      ).to.contain('decision.reason');
      expect(
        await f.refused(
          authority,
          'recognition:Decide',
          [JSON.stringify({ ...decision, signer: '0xabc' })],
          'VALIDATION_FAILED',
        ),
      ).to.contain('decision.signer');
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify({ ...decision, recognitionId: 'nope' })],
        'NOT_FOUND',
      );
    });
  });

  describe('source revocation', () => {
    it('reads every recognition of a revoked certificate as SOURCE_REVOKED; the revocation names them and needs only the issuing region', async () => {
      await requestIt();
      await f.ok(await f.who('TJ', 'authority'), 'recognition:Decide', [
        JSON.stringify(await signedDecision(request(), official(1))),
      ]);
      await requestIt(request({ id: 'rec-he-0001', targetRegion: 'HE' }));
      const revoke = JSON.stringify({
        number: NUMBER,
        region: 'BJ',
        dept: 'HC',
        reason: '证书撤销',
        revokedAt: '2025-03-09T10:00:00+08:00',
        source: { system: 'bj-hc-permits', recordId: 'R-1', version: 1 },
      });
      const res = await f.submit(
        await f.who('BJ', 'approver', 'HC'),
        'certificates:Revoke',
        [revoke],
        [{ mspId: 'BeijingMSP', role: 'peer' }],
      );
      expect(res.validationCode).to.equal('VALID');
      const event = JSON.parse(Buffer.from(res.event!.payload).toString()) as {
        affectedRecognitions: { id: string; targetRegion: string }[];
      };
      expect(event.affectedRecognitions).to.deep.equal([
        { id: 'rec-he-0001', sourceRegion: 'BJ', targetRegion: 'HE' },
        { id: 'rec-tj-0001', sourceRegion: 'BJ', targetRegion: 'TJ' },
      ]);
      const auditor = await f.who('HE', 'auditor');
      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-tj-0001'])).to.include({
        status: 'SOURCE_REVOKED',
      });
      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-he-0001'])).to.include({
        status: 'SOURCE_REVOKED',
      });
      const board = (await f.evaluate(auditor, 'recognition:List', [
        'BJ',
        '',
        'SOURCE_REVOKED',
      ])) as unknown[];
      expect(board).to.have.length(2);
      await f.refused(
        await f.who('HE', 'authority'),
        'recognition:Decide',
        [
          JSON.stringify(
            await signedDecision(request({ id: 'rec-he-0001', targetRegion: 'HE' }), official(1)),
          ),
        ],
        'INVALID_STATE',
      );
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(request({ id: 'rec-tj-0002' }))],
        'INVALID_STATE',
      );
    });
  });

  describe('milestone revocation', () => {
    const MILESTONE = 'bj-hc-0001';
    const msRequest = (id = 'rec-tj-ms', targetRegion: 'TJ' | 'HE' = 'TJ'): RecognitionRequest =>
      request({ id, subjectType: 'milestone', subjectId: MILESTONE, targetRegion });
    const revocation = milestone({
      id: 'bj-hc-0001-revoked',
      decision: 'REVOKED',
      decidedAt: '2025-03-09T10:00:00+08:00',
      documents: [{ name: '撤销决定书.pdf', sha256: '0'.repeat(63) + '1' }],
      source: { system: 'bj-hc-permits', recordId: 'P-0001', version: 2 },
    });

    it('reads every recognition of a milestone a later REVOKED milestone revokes as SOURCE_REVOKED, written by the issuing region alone', async () => {
      await requestIt(msRequest());
      await f.ok(await f.who('TJ', 'authority'), 'recognition:Decide', [
        JSON.stringify(await signedDecision(msRequest(), official(1))),
      ]);
      await requestIt(msRequest('rec-he-ms', 'HE'));
      await requestIt();
      const auditor = await f.who('HE', 'auditor');
      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-tj-ms'])).to.include({
        status: 'RECOGNISED',
      });

      const res = await f.submit(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(revocation)],
        [{ mspId: 'BeijingMSP', role: 'peer' }],
      );
      expect(res.validationCode).to.equal('VALID');
      const written = res.simulation.readWriteSet.writes.map((w) => w.key);
      expect(written.some((k) => k.includes('recognition'))).to.equal(false);

      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-tj-ms'])).to.include({
        status: 'SOURCE_REVOKED',
      });
      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-he-ms'])).to.include({
        status: 'SOURCE_REVOKED',
      });
      expect(await f.evaluate(auditor, 'recognition:Get', ['rec-tj-0001']), 'a certificate').to.include({
        status: 'PENDING',
      });
      const board = (await f.evaluate(auditor, 'recognition:List', ['BJ', '', 'SOURCE_REVOKED'])) as {
        id: string;
      }[];
      expect(board.map((r) => r.id)).to.deep.equal(['rec-he-ms', 'rec-tj-ms']);
      const decide = await f.refused(
        await f.who('HE', 'authority'),
        'recognition:Decide',
        [JSON.stringify(await signedDecision(msRequest('rec-he-ms', 'HE'), official(1)))],
        'INVALID_STATE',
      );
      expect(decide).to.contain(`milestone ${MILESTONE} is revoked`);
      const again = await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(msRequest('rec-tj-ms-2'))],
        'INVALID_STATE',
      );
      expect(again).to.contain(`milestone ${MILESTONE} is revoked and cannot be recognised`);
    });

    it('reads only the stage’s revocations to decide, not the project’s whole trail', async () => {
      // the project grows: other decisions of the same department (other days) that revoke nothing
      for (let i = 0; i < 25; i++) {
        await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [
          anchorOf(
            milestone({
              id: `bj-hc-later-${i}`,
              decision: 'RETURNED',
              decidedAt: `2025-04-${String(i + 1).padStart(2, '0')}T10:00:00+08:00`,
              documents: [{ name: '补正通知.pdf', sha256: '0'.repeat(62) + String(i).padStart(2, '0') }],
              source: { system: 'bj-hc-permits', recordId: `L-${i}`, version: 1 },
            }),
          ),
        ]);
      }
      await requestIt(msRequest());
      const decided = await f.submit(
        await f.who('TJ', 'authority'),
        'recognition:Decide',
        [JSON.stringify(await signedDecision(msRequest(), official(1)))],
        [
          { mspId: 'BeijingMSP', role: 'peer' },
          { mspId: 'TianjinMSP', role: 'peer' },
        ],
      );
      expect(decided.validationCode).to.equal('VALID');
      const read = decided.simulation.readWriteSet.reads.map((r) => r.key);
      expect(read.filter((k) => k.includes('bj-hc-later-'))).to.deep.equal([]);
      expect(read.length, read.join(' | ')).to.be.below(20);
    });

    it('leaves a re-approval after the revocation, and decisions of other stages, recognisable', async () => {
      await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT', 'COMPLETION_ACCEPTANCE'], ['CONSTRUCTION_PERMIT']);
      await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [anchorOf(revocation)]);
      const reapproval = milestone({
        id: 'bj-hc-0002',
        decidedAt: '2025-03-12T10:00:00+08:00',
        source: { system: 'bj-hc-permits', recordId: 'P-0001', version: 3 },
      });
      const otherStage = milestone({
        id: 'bj-hc-0003',
        stage: 'COMPLETION_ACCEPTANCE',
        decidedAt: '2025-03-01T10:00:00+08:00',
        source: { system: 'bj-hc-permits', recordId: 'P-0003', version: 1 },
      });
      await f.ok(await f.who('BJ', 'approver', 'HC'), 'milestones:RecordBatch', [
        `[${anchorOf(reapproval)},${anchorOf(otherStage)}]`,
      ]);
      for (const [id, subjectId] of [
        ['rec-tj-re', 'bj-hc-0002'],
        ['rec-tj-other', 'bj-hc-0003'],
      ] as const) {
        expect(await requestIt(request({ id, subjectType: 'milestone', subjectId }))).to.include({
          status: 'PENDING',
        });
      }
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:Request',
        [JSON.stringify(msRequest())],
        'INVALID_STATE',
      );
    });
  });

  describe('the board', () => {
    it('lists by source, target and status', async () => {
      await requestIt();
      await requestIt(request({ id: 'rec-he-0001', targetRegion: 'HE' }));
      await requestIt(request({ id: 'rec-tj-ms', subjectType: 'milestone', subjectId: 'bj-hc-0001' }));
      await f.ok(await f.who('TJ', 'authority'), 'recognition:Decide', [
        JSON.stringify(await signedDecision(request(), official(1))),
      ]);
      const auditor = await f.who('BJ', 'auditor');
      const ids = async (s: string, t: string, st: string) =>
        ((await f.evaluate(auditor, 'recognition:List', [s, t, st])) as { id: string }[]).map((r) => r.id);
      expect(await ids('BJ', 'TJ', '')).to.deep.equal(['rec-tj-0001', 'rec-tj-ms']);
      expect(await ids('', 'HE', '')).to.deep.equal(['rec-he-0001']);
      expect(await ids('', '', 'RECOGNISED')).to.deep.equal(['rec-tj-0001']);
      expect(await ids('', '', 'PENDING')).to.deep.equal(['rec-he-0001', 'rec-tj-ms']);
      expect(await ids('TJ', '', '')).to.deep.equal([]);
      await f.refused(auditor, 'recognition:List', ['XX', '', ''], 'VALIDATION_FAILED');
      await f.refused(auditor, 'recognition:List', ['', '', 'DONE'], 'VALIDATION_FAILED');
    });
  });

  describe('signer registry', () => {
    it("is kept by the region's admin only", async () => {
      await f.refused(
        await f.who('BJ', 'admin'),
        'recognition:RegisterSigner',
        [registration(5, 'TJ')],
        'FORBIDDEN_REGION',
      );
      await f.refused(
        await f.who('TJ', 'authority'),
        'recognition:RegisterSigner',
        [registration(5, 'TJ')],
        'FORBIDDEN_ROLE',
      );
      await f.refused(
        await f.who('TJ', 'auditor'),
        'recognition:RegisterSigner',
        [registration(5, 'TJ')],
        'FORBIDDEN_ROLE',
      );
      await f.refused(
        await f.who('BJ', 'admin'),
        'recognition:RevokeSigner',
        ['TJ', official(1).address],
        'FORBIDDEN_REGION',
      );
    });

    it('registers idempotently and refuses a conflicting re-registration', async () => {
      const admin = await f.who('TJ', 'admin');
      const again = await f.submit(admin, 'recognition:RegisterSigner', [registration(1)]);
      expect(again.validationCode).to.equal('VALID');
      expect(again.simulation.readWriteSet.writes).to.have.length(0);
      await f.refused(
        admin,
        'recognition:RegisterSigner',
        [JSON.stringify({ ...(JSON.parse(registration(1)) as object), name: '别人' })],
        'RECORD_CONFLICT',
      );
    });

    it('rotates a signer: the old key is refused, the new one accepted', async () => {
      await requestIt();
      const admin = await f.who('TJ', 'admin');
      const rotated = await f.ok<{ revoked: { replacedBy: string }; registered: { address: string } }>(
        admin,
        'recognition:RotateSigner',
        [official(1).address, registration(6)],
      );
      expect(rotated.revoked.replacedBy).to.equal(official(6).address);
      const authority = await f.who('TJ', 'authority');
      await f.refused(
        authority,
        'recognition:Decide',
        [JSON.stringify(await signedDecision(request(), official(1)))],
        'SIGNER_NOT_AUTHORISED',
      );
      await f.ok(authority, 'recognition:Decide', [
        JSON.stringify(await signedDecision(request(), official(6))),
      ]);
      await f.refused(
        admin,
        'recognition:RotateSigner',
        [official(1).address, registration(7)],
        'INVALID_STATE',
      );
      await f.refused(admin, 'recognition:RegisterSigner', [registration(1)], 'INVALID_STATE');
      const signers = (await f.evaluate(admin, 'recognition:ListSigners', ['TJ'])) as {
        address: string;
        revokedAt?: string;
      }[];
      expect(signers.map((s) => [s.address, s.revokedAt !== undefined])).to.have.deep.members([
        [official(1).address, true],
        [official(6).address, false],
      ]);
    });

    it('reads a signer and refuses unknown ones', async () => {
      const auditor = await f.who('BJ', 'auditor');
      expect(
        await f.evaluate(auditor, 'recognition:GetSigner', ['TJ', official(1).address.toLowerCase()]),
      ).to.include({ address: official(1).address });
      await f.refused(auditor, 'recognition:GetSigner', ['TJ', official(9).address], 'NOT_FOUND');
      await f.refused(
        await f.who('TJ', 'admin'),
        'recognition:RevokeSigner',
        ['TJ', official(9).address],
        'NOT_FOUND',
      );
    });
  });
});
