import { canonicalize, commitment, recordIdOf, verifyCommitment } from '@approval-ledger/protocol';
import {
  sampleCertificate,
  sampleCreditEvent,
  sampleMilestone,
  sampleRevocation,
} from '@approval-ledger/protocol/testing';
import { expect } from 'chai';
import { benchMilestone } from '../bench/bench-records';
import { freshSalt, newRecord } from './new-record';

describe('newRecord (the row of a record)', () => {
  it('commits exactly as protocol’s commitment(record, salt)', () => {
    for (let i = 0; i < 50; i++) {
      const record = {
        ...benchMilestone(i, 'BJ', 'EE', 'unit'),
        projectName: `第${i}号 "引号" \\ \u2028 😀`,
      };
      const row = newRecord({ kind: 'milestone', record });
      expect(row.commitment).to.equal(commitment(record, row.salt));
      expect(verifyCommitment(record, row.salt, row.commitment)).to.equal(true);
    }
  });

  it('fills the lookup columns of each kind from its own fields', () => {
    const at = new Date('2026-12-06T08:00:00.000Z');
    const options = { salt: 'ab'.repeat(32), receivedAt: at, dept: 'CREDIT' as const };
    const milestone = sampleMilestone();
    const certificate = sampleCertificate();
    const revocation = sampleRevocation();
    const credit = sampleCreditEvent();
    const rows = [
      newRecord({ kind: 'milestone', record: milestone }, options),
      newRecord({ kind: 'certificate', record: certificate }, options),
      newRecord({ kind: 'certificate-revocation', record: revocation }, options),
      newRecord({ kind: 'credit', record: credit }, options),
    ];
    const common = (record: { source: typeof milestone.source; region: string }) => ({
      id: recordIdOf(record.source),
      region: record.region,
      source: record.source,
      recordJson: canonicalize(record),
      salt: options.salt,
      commitment: commitment(record, options.salt),
      receivedAt: at,
    });
    expect(rows).to.deep.equal([
      {
        ...common(milestone),
        kind: 'milestone',
        record: milestone,
        projectCode: milestone.projectCode,
        dataClass: milestone.dataClass,
        documents: milestone.documents,
        ledgerKey: milestone.id,
        dept: milestone.dept,
      },
      {
        ...common(certificate),
        kind: 'certificate',
        record: certificate,
        projectCode: certificate.projectCode,
        dataClass: certificate.dataClass,
        documents: certificate.documents,
        ledgerKey: certificate.number,
        dept: certificate.dept,
      },
      {
        ...common(revocation),
        kind: 'certificate-revocation',
        record: revocation,
        projectCode: null,
        dataClass: 'internal',
        documents: [],
        ledgerKey: revocation.number,
        dept: revocation.dept,
      },
      {
        ...common(credit),
        kind: 'credit',
        record: credit,
        projectCode: null,
        dataClass: credit.dataClass,
        documents: [],
        ledgerKey: credit.id,
        dept: 'CREDIT',
      },
    ]);
    // one shape for every row: the same keys in the same order
    expect(new Set(rows.map((row) => Object.keys(row).join()))).to.have.lengthOf(1);
  });

  it('refuses a malformed salt, as protocol does', () => {
    const record = benchMilestone(1, 'TJ', 'DRC', 'unit');
    expect(() => newRecord({ kind: 'milestone', record }, { salt: 'ABC' })).to.throw(/salt/);
  });

  it('draws distinct 32-byte hex salts, across refills of the pool', () => {
    const salts = Array.from({ length: 1000 }, () => freshSalt());
    for (const salt of salts) expect(salt).to.match(/^[0-9a-f]{64}$/);
    expect(new Set(salts).size).to.equal(salts.length);
  });
});
