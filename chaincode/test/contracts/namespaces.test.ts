// The chaincode runs as one namespace of the plan (protocol `registries/namespaces.ts`) and the in-memory
// network commits with that namespace's definition policy, as a peer's validator would: a region's records are
// valid only with its peer's endorsement, first writes included, and a record of another region is refused at
// endorsement.
import { sampleIssuerGrant } from '@approval-ledger/protocol/testing';
import { definitionPolicy, type RegionCode, regionNamespace } from '@approval-ledger/protocol';
import { expect } from 'chai';
import {
  Fixture,
  MSP,
  anchorOf,
  certificate,
  certificateAnchorOf,
  creditAnchorOf,
  creditEvent,
  milestone,
} from '../support/fixture';

const peers = (...regions: RegionCode[]) => regions.map((r) => ({ mspId: MSP[r], role: 'peer' as const }));

const REVOCATION = JSON.stringify({
  number: certificate().number,
  region: 'BJ',
  dept: 'HC',
  reason: '申请人隐瞒有关情况',
  revokedAt: '2025-03-09T10:00:00+08:00',
  source: { system: 'bj-hc-permits', recordId: 'R-0001', version: 1 },
});

async function runningAs(region: RegionCode): Promise<Fixture> {
  const namespace = regionNamespace(region);
  return Fixture.create({ chaincodeName: namespace, chaincodePolicy: definitionPolicy(namespace)! });
}

describe('chaincode namespaces', () => {
  describe("Beijing's namespace, guarded by OR('BeijingMSP.peer')", () => {
    let f: Fixture;
    beforeEach(async () => {
      f = await runningAs('BJ');
      await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']);
    });

    const writes: [string, string, () => string, string][] = [
      ['milestone', 'milestones:Record', () => anchorOf(milestone()), 'HC'],
      ['certificate', 'certificates:Issue', () => certificateAnchorOf(certificate()), 'HC'],
      ['credit event', 'credit:Record', () => creditAnchorOf(creditEvent()), 'CREDIT'],
    ];
    for (const [what, fcn, arg, dept] of writes) {
      it(`refuses at commit a first write of a Beijing ${what} endorsed by Tianjin's peer, or Tianjin's and Hebei's`, async () => {
        const approver = await f.who('BJ', 'approver', dept as 'HC');
        for (const endorsers of [peers('TJ'), peers('TJ', 'HE')]) {
          const forged = await f.submit(approver, fcn, [arg()], endorsers);
          expect(forged.status, forged.message).to.equal(200);
          expect(forged.validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
        }
        const honest = await f.submit(approver, fcn, [arg()], peers('BJ'));
        expect(honest.validationCode).to.equal('VALID');
      });
    }

    it("refuses at commit a Beijing revocation endorsed without Beijing's peer", async () => {
      const approver = await f.who('BJ', 'approver', 'HC');
      await f.ok(approver, 'certificates:Issue', [certificateAnchorOf(certificate())]);
      const forged = await f.submit(approver, 'certificates:Revoke', [REVOCATION], peers('TJ', 'HE'));
      expect(forged.validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
      const read = (await f.evaluate(approver, 'certificates:Get', [certificate().number])) as {
        status: string;
      };
      expect(read.status).to.equal('VALID');
    });

    it("refuses a registry grant of Beijing endorsed by Tianjin's peer", async () => {
      const grant = JSON.stringify(sampleIssuerGrant('BJ', 'EE', ['EIA']));
      const forged = await f.submit(await f.who('BJ', 'admin'), 'issuers:Grant', [grant], peers('TJ'));
      expect(forged.validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
    });
  });

  describe('what a record costs a peer', () => {
    // Each key written is a call to the peer while endorsing and a state and a history write at commit; a
    // key-level policy is one more call and one more metadata write. Only what the rules read is written.
    const keysOf = (writes: readonly { key: string }[]) =>
      writes.map((w) => w.key.split('\u0000').filter((p) => p !== ''));
    const batch = (n: number) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) =>
          JSON.parse(
            anchorOf(
              milestone({ id: `bj-hc-${i}`, source: { system: 's', recordId: `P-${i}`, version: 1 } }),
            ),
          ),
        ),
      );

    it('inside the plan: one key per milestone and per certificate, and no key-level policy', async () => {
      const f = await runningAs('BJ');
      await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT'], ['CONSTRUCTION_PERMIT']);
      const approver = await f.who('BJ', 'approver', 'HC');
      const recorded = await f.submit(approver, 'milestones:RecordBatch', [batch(20)], peers('BJ'));
      expect(recorded.validationCode).to.equal('VALID');
      const rwset = recorded.simulation.readWriteSet;
      expect(keysOf(rwset.writes)).to.deep.equal(
        Array.from({ length: 20 }, (_, i) => ['milestone', `bj-hc-${i}`]).sort((a, b) =>
          a[1]! < b[1]! ? -1 : 1,
        ),
      );
      expect(rwset.metadataWrites).to.deep.equal([]);
      const issued = await f.submit(
        approver,
        'certificates:Issue',
        [certificateAnchorOf(certificate())],
        peers('BJ'),
      );
      expect(keysOf(issued.simulation.readWriteSet.writes)).to.deep.equal([
        ['certificate', certificate().number],
      ]);
      expect(issued.simulation.readWriteSet.metadataWrites).to.deep.equal([]);
    });

    it('inside the plan: a revoking milestone also writes the one index the recognition rule scans', async () => {
      const f = await runningAs('BJ');
      await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT']);
      const approver = await f.who('BJ', 'approver', 'HC');
      const revoking = milestone({
        id: 'bj-hc-r',
        decision: 'REVOKED',
        source: { system: 's', recordId: 'R', version: 1 },
      });
      const res = await f.submit(approver, 'milestones:Record', [anchorOf(revoking)], peers('BJ'));
      expect(keysOf(res.simulation.readWriteSet.writes).map((k) => k[0])).to.deep.equal([
        'milestone',
        'milestone~revocation',
      ]);
    });

    it("outside the plan: the key-level policy names the record's region, since the definition's policy does not", async () => {
      const f = await Fixture.create();
      await f.grant('BJ', 'HC', ['CONSTRUCTION_PERMIT']);
      const res = await f.submit(await f.who('BJ', 'approver', 'HC'), 'milestones:Record', [
        anchorOf(milestone()),
      ]);
      expect(res.validationCode).to.equal('VALID');
      expect(keysOf(res.simulation.readWriteSet.metadataWrites)).to.deep.equal([['milestone', 'bj-hc-0001']]);
    });
  });

  describe("a Beijing record in Tianjin's namespace", () => {
    it('is refused by the chaincode at endorsement with WRONG_NAMESPACE, registries included', async () => {
      const f = await runningAs('TJ');
      const grant = sampleIssuerGrant('BJ', 'HC', ['CONSTRUCTION_PERMIT']);
      const message = await f.refused(
        await f.who('BJ', 'admin'),
        'issuers:Grant',
        [JSON.stringify(grant)],
        'WRONG_NAMESPACE',
      );
      expect(message).to.contain('belongs in chaincode namespace approval-beijing, not approval-tianjin');
      await f.refused(
        await f.who('BJ', 'approver', 'HC'),
        'milestones:Record',
        [anchorOf(milestone())],
        'WRONG_NAMESPACE',
      );
    });

    it("lets Tianjin's own records through in Tianjin's namespace", async () => {
      const f = await runningAs('TJ');
      await f.grant('TJ', 'HC', ['CONSTRUCTION_PERMIT']);
      const entries = await f.evaluate(await f.who('TJ', 'auditor'), 'issuers:List', ['TJ', '']);
      expect(entries).to.have.length(1);
    });
  });
});
