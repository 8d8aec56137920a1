import { expect } from 'chai';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryJournal } from './delivery-journal';

describe('DeliveryJournal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts distinct records and envelopes, whatever is read or sent again', () => {
    const journal = new DeliveryJournal(join(dir, 'j.jsonl'));
    journal.read('f.csv:1', 'duplicate');
    journal.read('f.csv:2', 'published');
    journal.read('f.csv:2', 'duplicate');
    journal.read('f.csv:2', 'skipped');
    journal.read('f.csv:3', 'dead-lettered');
    journal.sent('s:a:1', 'legacy.BJ.DRC.milestone', '{"a":1}', 1_000);
    journal.sent('s:a:1', 'legacy.BJ.DRC.milestone', '{"a":1}', 2_000);
    journal.sent('s:b:1', 'legacy.BJ.DRC.milestone', '{"b":1}', 1_000);
    journal.receipted('s:a:1', 'ANCHORED');
    expect(journal.counts()).to.deep.include({ read: 3, sent: 2, sends: 3, receipted: 1, unreceipted: 1 });
    // a record published once stays published when it is read again after a crash
    expect(journal.counts().readOutcomes).to.deep.equal({
      published: 1,
      duplicate: 1,
      'dead-lettered': 1,
      skipped: 0,
    });
    journal.close();
  });

  it('survives a reopen (a kill -9) with the same counts, skipping a torn last line', () => {
    const file = join(dir, 'j.jsonl');
    const first = new DeliveryJournal(file);
    first.read('r1', 'published');
    first.sent('s:a:1', 'legacy.BJ.EE.milestone', '{"a":1}', 1_000);
    first.sent('s:b:1', 'legacy.BJ.EE.milestone', '{"b":1}', 1_000);
    first.receipted('s:b:1', 'DUPLICATE');
    first.close();
    appendFileSync(file, '{"sent":"s:c:1","subj');
    const again = new DeliveryJournal(file);
    expect(again.counts()).to.deep.include({ read: 1, sent: 2, receipted: 1, unreceipted: 1 });
    expect(again.unreceipted(10_000, 100).map((e) => e.msgId)).to.deep.equal(['s:a:1']);
    again.close();
  });

  it('takes a receipt that comes before its envelope is written down', () => {
    const journal = new DeliveryJournal();
    journal.receipted('s:a:1', 'ANCHORED');
    expect(journal.counts()).to.deep.include({ sent: 0, receiptsOfUnknown: 1 });
    journal.sent('s:a:1', 'legacy.BJ.EE.milestone', '{}', 1_000);
    expect(journal.counts()).to.deep.include({ sent: 1, receipted: 1, unreceipted: 0, receiptsOfUnknown: 0 });
    expect(journal.unreceipted(1_000_000, 1)).to.deep.equal([]);
  });

  it('re-sends an unreceipted envelope after the delay, then after twice as long', () => {
    const journal = new DeliveryJournal();
    journal.sent('s:a:1', 'legacy.BJ.EE.milestone', '{"a":1}', 0);
    expect(journal.unreceipted(999, 1_000)).to.have.length(0);
    expect(journal.unreceipted(1_000, 1_000)).to.deep.equal([
      { msgId: 's:a:1', subject: 'legacy.BJ.EE.milestone', payload: '{"a":1}' },
    ]);
    journal.sent('s:a:1', 'legacy.BJ.EE.milestone', '{"a":1}', 1_000);
    expect(journal.unreceipted(2_999, 1_000)).to.have.length(0);
    expect(journal.unreceipted(3_000, 1_000)).to.have.length(1);
  });
});
