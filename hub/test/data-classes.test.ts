/**
 * Data classes across regions, through the real stack: a sensitive Beijing milestone's full record and salt are
 * for Beijing's tokens; a Tianjin or Hebei authority or auditor sees what the chain holds and is told why the
 * rest is withheld, until a recognition request about that record concerns its region. Internal records stay
 * readable to every authority and auditor. The proof route's `opening=true` follows the same rule.
 */
import { type Milestone } from '@approval-ledger/protocol';
import { expect } from 'chai';
import { certificate, envelopeOf, milestone } from './support/records';
import { startTestHub, type TestHub } from './support/test-hub';

describe('data classes across regions', function () {
  this.timeout(180_000);
  let t: TestHub;
  const sensitive = milestone({ n: 7101, serial: 710, dept: 'PNR', dataClass: 'sensitive' });
  const internal = milestone({ n: 7102, serial: 710, dept: 'EE', dataClass: 'internal' });
  const project = sensitive.projectCode;
  const permitNumber = '110105202503107101';
  const permit = { ...certificate(permitNumber, { serial: 710 }), dataClass: 'sensitive' as const };

  async function entries(role: 'authority' | 'auditor', region: 'BJ' | 'TJ' | 'HE'): Promise<any[]> {
    const res = await t.api('GET', `/api/v1/projects/${project}`, { token: await t.token(role, region) });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.milestones as any[];
  }

  const entryOf = (list: any[], m: Milestone): any => list.find((e) => e.id === m.id);

  async function opening(region: 'BJ' | 'TJ' | 'HE'): Promise<{ status: number; body: any }> {
    return t.api('GET', `/api/v1/proofs/milestone/${encodeURIComponent(sensitive.id)}?opening=true`, {
      token: await t.token('authority', region),
    });
  }

  before(async () => {
    t = await startTestHub();
    const token = await t.token('approver', 'BJ', 'PNR');
    for (const m of [sensitive, internal]) {
      const writer = m.dept === 'PNR' ? token : await t.token('approver', 'BJ', 'EE');
      const accepted = await t.api('POST', '/api/v1/milestones', { token: writer, body: [m] });
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    }
    await t.publish(envelopeOf(permit, 'certificate'));
    await t.waitFor('the certificate receipt', () =>
      t.receipts.find((r) => r.recordId === `test-bj-hc:C${permitNumber}:1`),
    );
    await t.waitFor('both milestones in the chain index', async () => {
      const list = await entries('auditor', 'BJ');
      return list.length === 2 && list.every((e) => e.record !== undefined) ? true : undefined;
    });
  });

  after(async () => {
    await t?.stop();
  });

  it('Beijing’s own authority and auditor read the sensitive record in full', async () => {
    for (const role of ['authority', 'auditor'] as const) {
      const entry = entryOf(await entries(role, 'BJ'), sensitive);
      expect(entry.record?.id, role).to.equal(sensitive.id);
      expect(entry.withheld, role).to.equal(undefined);
    }
    const bundle = await opening('BJ');
    expect(bundle.status).to.equal(200);
    expect(bundle.body.record.opening.record.id).to.equal(sensitive.id);
  });

  it('another region’s authority and auditor see the chain’s part and why the rest is withheld', async () => {
    for (const [role, region] of [
      ['authority', 'TJ'],
      ['auditor', 'TJ'],
      ['auditor', 'HE'],
    ] as const) {
      const list = await entries(role, region);
      const entry = entryOf(list, sensitive);
      expect(entry, `${role} ${region}`).to.not.have.property('record');
      expect(entry.withheld).to.match(new RegExp(`sensitive BJ record: a ${region} token`));
      expect(entry).to.include({ id: sensitive.id, commitment: entry.commitment, dataClass: 'sensitive' });
      expect(entry.txId).to.match(/^[0-9a-f]{64}$/);
      // an internal record of the same project stays readable
      expect(entryOf(list, internal).record?.id).to.equal(internal.id);
    }
    const refused = await opening('TJ');
    expect(refused.status).to.equal(403);
    expect(refused.body.detail).to.match(/opening=true refused: a sensitive BJ record/);
    // the bundle without its opening is public
    const plain = await t.api('GET', `/api/v1/proofs/milestone/${encodeURIComponent(sensitive.id)}`);
    expect(plain.status).to.equal(200);
    expect(plain.body.record.opening).to.equal(undefined);
  });

  it('a recognition request about the record gives its target region a reason, and no other region', async () => {
    const requested = await t.api('POST', '/api/v1/recognitions', {
      token: await t.token('authority', 'TJ'),
      body: {
        id: 'REC-TJ-7101',
        subjectType: 'milestone',
        subjectId: sensitive.id,
        sourceRegion: 'BJ',
        targetRegion: 'TJ',
      },
    });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(201);
    await t.waitFor('Tianjin to read the record', async () =>
      entryOf(await entries('authority', 'TJ'), sensitive).record !== undefined ? true : undefined,
    );
    expect(entryOf(await entries('auditor', 'TJ'), sensitive).record.id).to.equal(sensitive.id);
    expect(entryOf(await entries('authority', 'HE'), sensitive)).to.not.have.property('record');
    expect((await opening('TJ')).status).to.equal(200);
    expect((await opening('HE')).status).to.equal(403);
  });

  it('a sensitive certificate: in full for Beijing, its status without the record for Hebei', async () => {
    const read = async (region: 'BJ' | 'HE'): Promise<any> => {
      const res = await t.api('GET', `/api/v1/certificates/${permitNumber}`, {
        token: await t.token('auditor', region),
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    };
    const own = await read('BJ');
    expect(own.record?.number).to.equal(permitNumber);
    const other = await read('HE');
    expect(other).to.include({ status: 'VALID', valid: true, dataClass: 'sensitive' });
    expect(other).to.not.have.property('record');
    expect(other.withheld).to.match(/sensitive BJ record: a HE token/);
  });
});
